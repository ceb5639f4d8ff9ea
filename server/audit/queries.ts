import { can, scopesFor } from '../../domain/permissions';
import { principalOf, type Actor } from '../core/actor';
import { forbidden } from '../core/errors';
import type { ResourceDef } from '../core/resource';
import type { Db } from '../db/knex';
import { verifyChain, type ChainReport } from './audit-log';
import { LIST_LIMIT, type AuditDescription } from './describe';
import { describePage } from './describe-page';

function parseJson(v: unknown): unknown {
  return typeof v === 'string' ? JSON.parse(v) : null;
}

export interface AuditEventRecord {
  id: number;
  schoolId: number;
  at: string;
  userId: number | null;
  username: string | null;
  role: string | null;
  ip: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
  prevHash: string;
  hash: string;
}

/** An event as the API answers it: the stored row, and the same in words in the request's language. */
export type AuditEventView = AuditEventRecord & Partial<AuditDescription>;

/**
 * The audit trail as a read-only record type (filters, search, one event). Each event is also told in words
 * (describe.ts): a page of the list shows the first LIST_LIMIT changes of each event, one event all of them.
 */
export const auditEventsResource: ResourceDef<AuditEventView> = {
  name: 'audit-events',
  table: 'audit_events',
  baseQuery: (conn) => conn('audit_events').select('audit_events.*'),
  defaultSort: 'id',
  fields: {
    id: { column: 'audit_events.id', type: 'number' },
    at: { column: 'audit_events.at', type: 'string' },
    userId: { column: 'audit_events.user_id', type: 'number' },
    username: { column: 'audit_events.username', type: 'string' },
    action: { column: 'audit_events.action', type: 'string' },
    entity: { column: 'audit_events.entity', type: 'string' },
    entityId: { column: 'audit_events.entity_id', type: 'string' },
  },
  searchColumns: ['audit_events.username', 'audit_events.entity', 'audit_events.action'],
  toApi: (r) => ({
    id: Number(r.id),
    schoolId: Number(r.school_id),
    at: String(r.at),
    userId: r.user_id === null ? null : Number(r.user_id),
    username: (r.username as string | null) ?? null,
    role: (r.role as string | null) ?? null,
    ip: (r.ip as string | null) ?? null,
    action: String(r.action),
    entity: String(r.entity),
    entityId: (r.entity_id as string | null) ?? null,
    before: parseJson(r.before),
    after: parseJson(r.after),
    reason: (r.reason as string | null) ?? null,
    prevHash: String(r.prev_hash),
    hash: String(r.hash),
  }),
  enrich: async (recs, conn, read) => {
    const words = await describePage(conn, recs, read.lang, read.single ? Infinity : LIST_LIMIT);
    return recs.map((r, i) => ({ ...r, ...words[i] }));
  },
};

/** Query: walks the whole hash chain (principal and admin). */
/** The whole chain is walked (its links cross schools), but the answer speaks only of the caller's own schools. */
export async function verifyAuditChain(db: Db, actor: Actor): Promise<ChainReport> {
  const schoolIds = [...new Set(scopesFor(principalOf(actor), 'verify', 'audit-events').map((s) => s.schoolId))];
  if (schoolIds.length === 0) throw forbidden();
  return verifyChain(db, { schoolIds });
}
