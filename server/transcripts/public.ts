import { normaliseCode } from '../../domain/transcript/chain';
import { AppError, notFound } from '../core/errors';
import type { Db } from '../db/knex';

/**
 * The public lookup behind the QR code and the verification code (no login): only what proves a copy is genuine
 * and in force — the transcript's id, version, status, school and the SHA-256 of the sealed XML. No personal data.
 */
export async function publicLookup(db: Db, rawCode: string) {
  const code = normaliseCode(String(rawCode ?? ''));
  if (!/^[0-9A-Z]{10}$/.test(code)) throw notFound('transcripts', String(rawCode ?? '').slice(0, 20));
  const row = (await db('transcript_versions as v')
    .join('transcripts as t', 't.id', 'v.transcript_id')
    .join('schools as s', 's.id', 't.school_id')
    .where('v.verification_code', code)
    .whereIn('v.status', ['sealed', 'superseded', 'revoked'])
    .first('t.transcript_uid', 'v.version', 'v.status', 's.name', 's.code', 'v.sha256', 'v.sealed_at')) as Record<string, unknown> | undefined;
  if (!row) throw notFound('transcripts', code);
  const status = row.status === 'sealed' ? 'in_force' : String(row.status);
  return {
    transcriptUid: row.transcript_uid,
    version: Number(row.version),
    status,
    statusText: status === 'in_force' ? 'Đang có hiệu lực' : status === 'superseded' ? 'Đã được thay thế bởi phiên bản mới hơn' : 'Đã bị thu hồi',
    school: { name: row.name, code: row.code },
    sha256: row.sha256,
    sealedAt: row.sealed_at,
  };
}

/**
 * A small in-memory token bucket per client address: the lookup is public, so it must not become a way to walk
 * the code space. Per process (enough for one server; the sign-in throttles live in the database instead).
 */
export class TokenBucket {
  private buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    readonly capacity = 20,
    readonly refillPerMinute = 20,
  ) {}

  take(key: string, now = Date.now()): boolean {
    const b = this.buckets.get(key) ?? { tokens: this.capacity, at: now };
    b.tokens = Math.min(this.capacity, b.tokens + ((now - b.at) / 60_000) * this.refillPerMinute);
    b.at = now;
    const ok = b.tokens >= 1;
    if (ok) b.tokens -= 1;
    this.buckets.set(key, b);
    if (this.buckets.size > 10_000) this.prune(now);
    return ok;
  }

  private prune(now: number): void {
    for (const [k, b] of this.buckets) if (now - b.at > 10 * 60_000) this.buckets.delete(k);
  }
}

export const tooManyLookups = () => new AppError('throttled', 'publicTooMany');
