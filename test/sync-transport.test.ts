/**
 * The HTTP transport of sync packets against a fake endpoint (issue 13): a 503 is retried with exponential backoff
 * until the answer comes, a 4xx is not retried, a network failure is retried and reported after the last attempt;
 * every attempt carries the same packet id and bytes. And the pure rule choosing NEW / UPDATE / CANCEL.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideEntry, NO_HISTORY } from '../domain/sync/rules';
import { httpTransport } from '../server/sync/transport';

describe('the HTTP sync transport', () => {
  let server: http.Server;
  let url: string;
  /** What the fake endpoint answers, in order, and what it received. */
  let script: Array<{ status: number; body: unknown }> = [];
  let seen: Array<{ key: string | undefined; auth: string | undefined; bytes: number }> = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => {
        seen.push({ key: req.headers['idempotency-key'] as string | undefined, auth: req.headers.authorization, bytes: Buffer.concat(parts).length });
        const next = script.shift() ?? { status: 500, body: { message: 'script empty' } };
        res.writeHead(next.status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(next.body));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });

  const packet = { packetId: '0b7f3c1e-52a4-4c55-9d8e-2f1f6b7c9a10', zip: Buffer.from('PK-fake-packet') };
  const ack = { packetId: packet.packetId, duplicate: false, results: [{ idbanghi: 'a', phienban: 1, status: 'accepted' }, { idbanghi: 'b', phienban: 2, status: 'rejected', reason: { code: 'signature', message: 'Chữ ký sig-condau không hợp lệ' } }] };

  it('retries a 503 with exponential backoff, then parses the per-student answer', async () => {
    script = [{ status: 503, body: { message: 'busy' } }, { status: 503, body: { message: 'busy' } }, { status: 200, body: ack }];
    seen = [];
    const waits: number[] = [];
    const t = httpTransport({ endpoint: url, apiKey: 'k-0123456789abcdef', baseDelayMs: 100, sleep: async (ms) => void waits.push(ms) });
    const d = await t.deliver(packet);
    expect(d).toMatchObject({ kind: 'acknowledged', attempts: 3, duplicate: false });
    expect(d.kind === 'acknowledged' && d.results).toEqual([
      { idbanghi: 'a', phienban: 1, status: 'accepted', reason: null },
      { idbanghi: 'b', phienban: 2, status: 'rejected', reason: { code: 'signature', message: 'Chữ ký sig-condau không hợp lệ' } },
    ]);
    expect(waits).toEqual([100, 200]);
    expect(seen.map((s) => s.key)).toEqual([packet.packetId, packet.packetId, packet.packetId]);
    expect(seen.every((s) => s.auth === 'Bearer k-0123456789abcdef' && s.bytes === packet.zip.length)).toBe(true);
  });

  it('does not retry a 4xx: the whole packet is refused with the receiver’s reason', async () => {
    script = [{ status: 422, body: { error: 'manifest_signature', message: 'Bản kê không hợp lệ: chữ ký sig-goi-condau' } }, { status: 200, body: ack }];
    seen = [];
    const d = await httpTransport({ endpoint: url, baseDelayMs: 1 }).deliver(packet);
    expect(d).toEqual({ kind: 'refused', status: 422, message: 'Bản kê không hợp lệ: chữ ký sig-goi-condau', attempts: 1 });
    expect(seen.length).toBe(1);
    script = [];
  });

  it('gives up after the last attempt when the endpoint cannot be reached, saying why', async () => {
    const waits: number[] = [];
    const d = await httpTransport({ endpoint: 'http://127.0.0.1:1', maxAttempts: 3, baseDelayMs: 50, sleep: async (ms) => void waits.push(ms) }).deliver(packet);
    expect(d.kind).toBe('failed');
    expect(d.kind === 'failed' && d.message).toMatch(/network/);
    expect(waits).toEqual([50, 100]);
  });
});

describe('which event a student gets (domain/sync/rules.ts)', () => {
  const sealed = { kind: 'sealed', versionId: 7, version: 1 } as const;
  it('NEW the first time, UPDATE after any earlier send, nothing once that version is accepted', () => {
    expect(decideEntry(sealed, NO_HISTORY)).toEqual({ kind: 'entry', sukien: 'NEW', phienban: 1, versionId: 7 });
    expect(decideEntry(sealed, { maxPhienban: 1, everSent: true, lastAccepted: null })).toEqual({ kind: 'entry', sukien: 'UPDATE', phienban: 2, versionId: 7 });
    expect(decideEntry(sealed, { maxPhienban: 1, everSent: true, lastAccepted: { versionId: 7, sukien: 'NEW' } })).toEqual({ kind: 'skip', why: 'upToDate' });
    expect(decideEntry({ kind: 'sealed', versionId: 9, version: 2 }, { maxPhienban: 1, everSent: true, lastAccepted: { versionId: 7, sukien: 'NEW' } })).toEqual({ kind: 'entry', sukien: 'UPDATE', phienban: 2, versionId: 9 });
  });
  it('CANCEL for a revoked transcript the receiver holds; not ready with why otherwise', () => {
    const revoked = { kind: 'revoked', versionId: 7, version: 1, reason: null } as const;
    expect(decideEntry(revoked, { maxPhienban: 3, everSent: true, lastAccepted: { versionId: 7, sukien: 'UPDATE' } })).toEqual({ kind: 'entry', sukien: 'CANCEL', phienban: 4, versionId: 7 });
    expect(decideEntry(revoked, NO_HISTORY)).toEqual({ kind: 'skip', why: 'neverSentRevoked' });
    expect(decideEntry({ kind: 'open', versionId: 3, missing: ['Nguyễn Văn A (Toán)'] }, NO_HISTORY)).toEqual({ kind: 'not_ready', why: { key: 'syncMissingSignatures', missing: ['Nguyễn Văn A (Toán)'] } });
    expect(decideEntry({ kind: 'none' }, NO_HISTORY)).toEqual({ kind: 'not_ready', why: { key: 'syncNoTranscript' } });
  });
});
