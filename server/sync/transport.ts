/**
 * How a packet leaves the school: one interface, two transports.
 * - `file`: the ZIP itself, which the admin downloads and uploads through the ministry or province portal (as
 *   schools do today); nothing comes back, so the students stay "sent".
 * - `http`: POST of the same ZIP to the configured endpoint (SYNC_ENDPOINT, `Authorization: Bearer SYNC_API_KEY`),
 *   the packet id in `Idempotency-Key` (the receiver answers a retry with its first answer, storing nothing twice);
 *   retried with exponential backoff on a network error or a 5xx, never on a 4xx; the per-student answer parsed.
 */
import { z } from 'zod';
import type { SyncTransportKind } from '../../domain/sync/rules';

export interface SyncPacket {
  packetId: string;
  zip: Buffer;
}

export interface EntryAck {
  idbanghi: string;
  phienban: number;
  status: 'accepted' | 'rejected';
  reason: { code: string; message: string } | null;
}

export type Delivery =
  | { kind: 'exported'; zip: Buffer }
  | { kind: 'acknowledged'; duplicate: boolean; results: EntryAck[]; attempts: number }
  /** The receiver refused the whole packet (a 4xx): every student gets its reason. */
  | { kind: 'refused'; status: number; message: string; attempts: number }
  /** Still failing after every retry (network, 5xx): nothing is known; a later send of the same packet is safe. */
  | { kind: 'failed'; message: string; attempts: number };

export interface SyncTransport {
  readonly kind: SyncTransportKind;
  deliver(packet: SyncPacket): Promise<Delivery>;
}

export const fileTransport: SyncTransport = {
  kind: 'file',
  deliver: async (packet) => ({ kind: 'exported', zip: packet.zip }),
};

export interface HttpTransportOptions {
  endpoint: string;
  apiKey?: string;
  /** Attempts in all (default 5), first delay (default 1 s, doubling each time, at most 30 s). */
  maxAttempts?: number;
  baseDelayMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const AckSchema = z.object({
  packetId: z.string(),
  duplicate: z.boolean().optional(),
  results: z.array(
    z.object({
      idbanghi: z.string(),
      phienban: z.number().int(),
      status: z.enum(['accepted', 'rejected']),
      reason: z.object({ code: z.string(), message: z.string() }).optional().nullable(),
    }),
  ),
});

export function httpTransport(o: HttpTransportOptions): SyncTransport {
  const maxAttempts = o.maxAttempts ?? 5;
  const base = o.baseDelayMs ?? 1_000;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  return {
    kind: 'http',
    async deliver(packet) {
      let last = '';
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        if (attempt > 1) await sleep(Math.min(30_000, base * 2 ** (attempt - 2)));
        let res: Response;
        try {
          res = await fetch(packetUrl(o.endpoint), {
            method: 'POST',
            headers: { 'Content-Type': 'application/zip', 'Idempotency-Key': packet.packetId, ...(o.apiKey ? { Authorization: `Bearer ${o.apiKey}` } : {}) },
            body: new Uint8Array(packet.zip),
            signal: AbortSignal.timeout(o.timeoutMs ?? 120_000),
          });
        } catch (err) {
          last = `network: ${err instanceof Error ? err.message : String(err)}`;
          continue;
        }
        const text = await res.text();
        if (res.status >= 500) {
          last = `HTTP ${res.status}: ${text.slice(0, 300)}`;
          continue;
        }
        if (res.status >= 400) return { kind: 'refused', status: res.status, message: messageOf(text) ?? `HTTP ${res.status}`, attempts: attempt };
        const parsed = AckSchema.safeParse(safeJson(text));
        if (!parsed.success || parsed.data.packetId !== packet.packetId) return { kind: 'failed', message: `câu trả lời không đọc được: ${text.slice(0, 200)}`, attempts: attempt };
        const results = parsed.data.results.map((r) => ({ idbanghi: r.idbanghi, phienban: r.phienban, status: r.status, reason: r.reason ?? null }));
        return { kind: 'acknowledged', duplicate: parsed.data.duplicate ?? false, results, attempts: attempt };
      }
      return { kind: 'failed', message: last, attempts: maxAttempts };
    },
  };
}

/** The endpoint may be the service's root or its /packets address. */
const packetUrl = (endpoint: string) => (/\/packets\/?$/.test(endpoint) ? endpoint : `${endpoint.replace(/\/$/, '')}/packets`);

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function messageOf(text: string): string | null {
  const body = safeJson(text) as { message?: unknown } | null;
  return body && typeof body.message === 'string' ? body.message.slice(0, 1000) : text ? text.slice(0, 300) : null;
}
