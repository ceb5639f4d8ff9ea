/** The in-app inbox: a person sees only their own notifications (the server filters by the signed-in user). */
import { z } from 'zod';
import type { Actor } from '../core/actor';
import { AppError } from '../core/errors';
import { parse } from '../core/validate';
import { nowIso, type Db } from '../db/knex';

export interface NotificationRecord {
  id: number;
  kind: string;
  milestone: string;
  title: string;
  lines: string[];
  items: unknown[];
  link: string | null;
  at: string;
  createdAt: string;
  readAt: string | null;
  read: boolean;
}

function fromRow(r: Record<string, unknown>): NotificationRecord {
  return {
    id: Number(r.id),
    kind: String(r.kind),
    milestone: String(r.milestone),
    title: String(r.title),
    lines: JSON.parse(String(r.lines)) as string[],
    items: JSON.parse(String(r.items)) as unknown[],
    link: (r.link as string | null) ?? null,
    at: String(r.at),
    createdAt: String(r.created_at),
    readAt: (r.read_at as string | null) ?? null,
    read: r.read_at !== null && r.read_at !== undefined,
  };
}

function ownerOf(actor: Actor): number {
  if (actor.userId === null) throw new AppError('unauthenticated', 'unauthenticated');
  return actor.userId;
}

const ListQuery = z.object({ offset: z.number().int().min(0).max(100_000), limit: z.number().int().min(1).max(200), unreadOnly: z.boolean() });

export async function listNotifications(db: Db, actor: Actor, input: { offset: number; limit: number; unreadOnly: boolean }) {
  const q = parse(ListQuery, input);
  const base = () => {
    const b = db('notifications').where({ user_id: ownerOf(actor) });
    return q.unreadOnly ? b.whereNull('read_at') : b;
  };
  const [rows, total] = await Promise.all([
    base().orderBy('at', 'desc').orderBy('id', 'desc').offset(q.offset).limit(q.limit),
    base().count({ n: '*' }).first() as Promise<{ n: number | string }>,
  ]);
  return { items: (rows as Array<Record<string, unknown>>).map(fromRow), total: Number(total.n) };
}

export async function unreadCount(db: Db, actor: Actor): Promise<number> {
  const r = (await db('notifications').where({ user_id: ownerOf(actor) }).whereNull('read_at').count({ n: '*' }).first()) as { n: number | string };
  return Number(r.n);
}

export async function showNotification(db: Db, actor: Actor, id: number): Promise<NotificationRecord> {
  const row = (await db('notifications').where({ id, user_id: ownerOf(actor) }).first()) as Record<string, unknown> | undefined;
  if (!row) throw new AppError('not_found', 'notFound', { entity: 'notifications', id });
  return fromRow(row);
}

const MarkRead = z.strictObject({ ids: z.array(z.number().int().positive()).max(500).optional(), all: z.boolean().optional() });

/** Marks the caller's own notifications read (named ones, or all); returns how many changed. */
export async function markRead(db: Db, actor: Actor, input: unknown): Promise<number> {
  const { ids, all } = parse(MarkRead, input);
  const q = db('notifications').where({ user_id: ownerOf(actor) }).whereNull('read_at');
  if (!all) q.whereIn('id', ids ?? []);
  return q.update({ read_at: nowIso() });
}
