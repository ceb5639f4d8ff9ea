/**
 * The receiving service (issue 13): a small HTTP program that takes sync packets (the ZIP of server/sync/zip.ts),
 * checks them and answers per student. For the tests, and for a province that wants one (docs/sync.md).
 *
 *   POST /packets   body: the packet ZIP (Content-Type application/zip), `Authorization: Bearer <key>` if one is set
 *     200 {packetId, duplicate, results: [{idbanghi, sukien, phienban, status: accepted|rejected, reason?}]}
 *     400 hostile or unreadable XML or ZIP, a bad manifest · 401 wrong key · 409 packet id reused for other bytes
 *     411/413 body size · 415 not a ZIP · 422 the manifest's seal does not hold
 *   GET /records/:idbanghi  what is stored for a record · GET /health
 *
 * Plain node:http (no framework): nothing here is the school's portal. Every limit is checked before the bytes
 * are trusted: body size, ZIP entries and inflated sizes, XML declarations (no DTD, no entities), depth.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MANIFEST_NAME } from '../../domain/sync/packet';
import { AppError } from '../core/errors';
import { t } from '../core/i18n';
import { manifestSealProblem, readManifest } from '../sync/manifest';
import { DEFAULT_ZIP_LIMITS, unzipPacket, type ZipLimits } from '../sync/zip';
import { HostilePacket, judgeEntries, refuseHostile } from './judge';
import { ReceiverStore } from './store';

export interface ReceiverOptions {
  dataDir: string;
  /** PEM trust anchors: the roots the schools' seals and signers chain to (registered certificates). */
  trustAnchors: string[];
  /** When set, every packet must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  maxBodyBytes?: number;
  zipLimits?: ZipLimits;
}

export interface RunningReceiver {
  url: string;
  store: ReceiverStore;
  close: () => Promise<void>;
}

const DEFAULT_MAX_BODY = 50 * 1024 * 1024;

class HttpRefusal extends Error {
  constructor(readonly status: number, readonly code: string, readonly detail: string) {
    super(detail);
  }
}

export function createReceiver(o: ReceiverOptions): { server: http.Server; store: ReceiverStore } {
  const store = new ReceiverStore(o.dataDir);
  const inFlight = new Map<string, Promise<unknown>>();
  const server = http.createServer((req, res) => {
    void handle(req, res).catch((err) => {
      const r = err instanceof HttpRefusal ? err : refusalOf(err);
      if (r.status >= 500) console.error('sync receiver', err);
      const reply = () => send(res, r.status, { error: r.code, message: r.detail });
      // Refused before its body was read (a wrong key, a wrong type): read it to the end first, or the sender, still
      // writing, sees the connection reset instead of the answer. A body refused for its size is not read.
      if (req.complete || req.destroyed || r.status === 413) return reply();
      req.once('end', reply).once('error', () => undefined).resume();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://receiver');
    if (req.method === 'GET' && url.pathname === '/health') return send(res, 200, { ok: true });
    if (req.method === 'GET' && url.pathname.startsWith('/records/')) {
      authorise(req);
      const id = decodeURIComponent(url.pathname.slice('/records/'.length));
      const record = store.record(id);
      return record ? send(res, 200, { ...record, documents: store.documentCount(id) }) : send(res, 404, { error: 'not_found', message: `Không có bản ghi ${id}.` });
    }
    if (req.method !== 'POST' || url.pathname !== '/packets') throw new HttpRefusal(404, 'not_found', 'Không có chức năng này.');
    authorise(req);
    if (!/^application\/(zip|octet-stream)\b/.test(req.headers['content-type'] ?? '')) throw new HttpRefusal(415, 'unsupported', 'Gói phải là tệp ZIP (Content-Type: application/zip).');
    const body = await readBody(req, o.maxBodyBytes ?? DEFAULT_MAX_BODY);
    const answer = await receive(body);
    send(res, 200, answer);
  }

  function authorise(req: http.IncomingMessage): void {
    if (!o.apiKey) return;
    const given = Buffer.from(String(req.headers.authorization ?? ''));
    const wanted = Buffer.from(`Bearer ${o.apiKey}`);
    if (given.length !== wanted.length || !crypto.timingSafeEqual(given, wanted)) throw new HttpRefusal(401, 'unauthenticated', 'Thiếu hoặc sai khóa truy cập (API key).');
  }

  async function receive(body: Buffer): Promise<unknown> {
    const files = unzipPacket(body, o.zipLimits ?? DEFAULT_ZIP_LIMITS);
    const manifestBytes = files.get(MANIFEST_NAME);
    if (!manifestBytes) throw new HttpRefusal(400, 'bad_packet', 'Gói không có manifest.xml.');
    refuseHostile(files);
    const manifestXml = manifestBytes.toString('utf8');
    const manifest = readManifest(manifestXml);
    const sha256 = crypto.createHash('sha256').update(body).digest('hex');
    // Idempotent on the packet id: a retry gets the first answer; the same id for other bytes is refused.
    const pending = inFlight.get(manifest.packetId);
    if (pending) await pending.catch(() => undefined);
    const seen = store.packet(manifest.packetId);
    if (seen) {
      if (seen.sha256 !== sha256) throw new HttpRefusal(409, 'packet_id_reused', `Mã gói ${manifest.packetId} đã dùng cho một gói khác.`);
      return { ...(seen.answer as object), duplicate: true };
    }
    const work = (async () => {
      const problem = manifestSealProblem(manifestXml, manifest.schoolCode, o.trustAnchors);
      if (problem) throw new HttpRefusal(422, 'manifest_signature', `Bản kê không hợp lệ: ${problem}`);
      const { results, changes } = await judgeEntries(manifest, files, o.trustAnchors, store);
      const answer = { packetId: manifest.packetId, schoolCode: manifest.schoolCode, schoolYear: manifest.schoolYear, duplicate: false, results };
      store.commit({ packetId: manifest.packetId, schoolCode: manifest.schoolCode, schoolYear: manifest.schoolYear, sha256, answer }, changes, new Date().toISOString());
      return answer;
    })();
    inFlight.set(manifest.packetId, work);
    try {
      return await work;
    } finally {
      inFlight.delete(manifest.packetId);
    }
  }

  return { server, store };
}

export async function startReceiver(o: ReceiverOptions & { port?: number; host?: string }): Promise<RunningReceiver> {
  const { server, store } = createReceiver(o);
  await new Promise<void>((resolve) => server.listen(o.port ?? 0, o.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${o.host ?? '127.0.0.1'}:${port}`,
    store,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      store.close();
    },
  };
}

function readBody(req: http.IncomingMessage, max: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > max) return Promise.reject(new HttpRefusal(413, 'too_large', `Gói quá lớn (tối đa ${Math.round(max / 1_048_576)} MB).`));
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        reject(new HttpRefusal(413, 'too_large', `Gói quá lớn (tối đa ${Math.round(max / 1_048_576)} MB).`));
        req.destroy();
        return;
      }
      parts.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

const STATUS: Record<string, number> = { invalid: 400, too_large: 413, unsupported: 415, conflict: 409 };

function refusalOf(err: unknown): HttpRefusal {
  if (err instanceof HostilePacket) return new HttpRefusal(400, 'hostile_xml', `${err.file}: ${t('vi', err.error.key, err.error.params)}`);
  if (err instanceof AppError) return new HttpRefusal(STATUS[err.kind] ?? 400, err.key, t('vi', err.key, err.params));
  return new HttpRefusal(500, 'internal', 'Lỗi máy chủ tiếp nhận.');
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
