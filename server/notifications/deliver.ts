/**
 * The email side of notifications: one digest per person per day, merging their pending items; nothing between
 * 21:00 and 06:30; escalations go out the same day (domain/timeline/delivery.ts). Each item is claimed before the
 * send and marked after it, so an item is emailed at most once; when SMTP is down the claim is released and the
 * digest retried with backoff, while the in-app item is there all along.
 */
import { digestSendAt, type StepKind } from '../../domain/timeline';
import type { Db } from '../db/knex';
import type { Mailer } from './mailer';

const BACKOFF_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000];
/** Ids per IN (…) list: well inside SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 500;

interface Recipient {
  email: string | null;
  full_name: string;
  disabled: unknown;
}
/**
 * A claim is a lease: a process that dies between claim and "sent" (killed mid-send) would otherwise leave its
 * items in `sending` forever — the email lost. Past the lease (longer than any SMTP send: nodemailer gives up on a
 * silent socket after 10 minutes) the items are pending again. The price is at-least-once on that rare path: a
 * message the SMTP server accepted just before the crash may go out a second time.
 */
const CLAIM_LEASE_MS = 30 * 60_000;

interface Pending {
  id: number;
  user_id: number;
  kind: string;
  title: string;
  lines: string;
  email_attempts: number;
}

/** Sends the digests due at `now`; returns when the next one is due (or undefined when nothing waits). */
export async function deliverEmails(db: Db, mailer: Mailer | null, now: string): Promise<string | undefined> {
  if (!mailer) {
    await db('notifications').where({ email_status: 'pending' }).update({ email_status: 'none' });
    return undefined;
  }
  // Claims whose process died mid-send: pending again once their lease ran out.
  await db('notifications').where({ email_status: 'sending' }).where('email_next_at', '<=', now).update({ email_status: 'pending' });
  const pending = (await db('notifications')
    .where({ email_status: 'pending' })
    .where((q) => q.whereNull('email_next_at').orWhere('email_next_at', '<=', now))
    .orderBy('id')
    .select('id', 'user_id', 'kind', 'title', 'lines', 'email_attempts')) as Pending[];
  const byUser = new Map<number, Pending[]>();
  for (const p of pending) {
    const list = byUser.get(Number(p.user_id));
    if (list) list.push(p);
    else byUser.set(Number(p.user_id), [p]);
  }
  // The recipients and their last digests, read once for the round rather than two queries per person.
  const users = new Map<number, Recipient>();
  const lastDigest = new Map<number, string>();
  const ids = [...byUser.keys()];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const rows = (await db('users').whereIn('id', chunk).select('id', 'email', 'full_name', 'disabled')) as Array<Recipient & { id: number }>;
    for (const u of rows) users.set(Number(u.id), u);
    const sent = (await db('notifications')
      .whereIn('user_id', chunk)
      .where({ email_status: 'sent' })
      .groupBy('user_id')
      .select('user_id')
      .max({ at: 'emailed_at' })) as Array<{ user_id: number; at: string | null }>;
    for (const r of sent) if (r.at) lastDigest.set(Number(r.user_id), r.at);
  }
  for (const [userId, items] of byUser) await deliverTo(db, mailer, users.get(userId), lastDigest.get(userId) ?? null, items, now);
  const next = (await db('notifications').whereIn('email_status', ['pending', 'sending']).min({ at: 'email_next_at' }).first()) as { at: string | null } | undefined;
  return next?.at ?? undefined;
}

async function deliverTo(db: Db, mailer: Mailer, user: Recipient | undefined, lastDigestAt: string | null, items: Pending[], now: string): Promise<void> {
  const ids = items.map((i) => Number(i.id));
  if (!user?.email || user.disabled === true || user.disabled === 1) {
    await db('notifications').whereIn('id', ids).update({ email_status: 'none' });
    return;
  }
  const sendAt = digestSendAt(items.map((i) => ({ kind: i.kind as StepKind })), lastDigestAt, now);
  if (!sendAt || sendAt > now) {
    await db('notifications').whereIn('id', ids).update({ email_next_at: sendAt });
    return;
  }
  // Claim: only the rows still pending become ours (another process may have taken some).
  const leaseUntil = new Date(Date.parse(now) + CLAIM_LEASE_MS).toISOString();
  const claimed = await db('notifications').whereIn('id', ids).where({ email_status: 'pending' }).update({ email_status: 'sending', email_next_at: leaseUntil });
  if (claimed === 0) return;
  // All claimed (the usual case): they are the rows read above, in id order; else re-read the ones that are ours.
  const mine = claimed === ids.length ? items : ((await db('notifications').whereIn('id', ids).where({ email_status: 'sending' }).orderBy('id')) as Pending[]);
  try {
    await mailer.send({ to: user.email, subject: digestSubject(mine), text: digestText(user.full_name, mine) });
    await db('notifications').whereIn('id', mine.map((m) => Number(m.id))).update({ email_status: 'sent', emailed_at: now });
  } catch {
    const attempts = Math.max(...mine.map((m) => Number(m.email_attempts))) + 1;
    const retryAt = new Date(Date.parse(now) + BACKOFF_MS[Math.min(attempts - 1, BACKOFF_MS.length - 1)]).toISOString();
    await db('notifications').whereIn('id', mine.map((m) => Number(m.id))).update({ email_status: 'pending', email_attempts: attempts, email_next_at: retryAt });
  }
}

function digestSubject(items: Pending[]): string {
  const late = items.filter((i) => i.kind === 'escalate').length;
  return late ? `[Sổ điểm] ${items.length} thông báo, ${late} về chậm tiến độ` : `[Sổ điểm] ${items.length} việc cần làm`;
}

function digestText(name: string, items: Pending[]): string {
  const blocks = items.map((i) => [i.title, ...(JSON.parse(i.lines) as string[]).map((l) => `  • ${l}`)].join('\n'));
  return [`Kính gửi ${name},`, '', ...blocks.flatMap((b) => [b, '']), 'Xem chi tiết và mở đúng sổ điểm trong mục Thông báo của cổng thông tin.'].join('\n');
}
