import type { Knex } from 'knex';
import { z } from 'zod';
import { can, scopesFor, type Action, type Principal, type RecordAttributes, type Resource, type Scope } from '../../domain/permissions';
import type { Db } from '../db/knex';
import { principalOf, type Actor } from './actor';
import { appendAudit } from './audit';
import { AppError, forbidden, invalidField, notFound } from './errors';
import type { Lang } from './i18n';
import type { FieldMap } from './list-query';
import { isForeignKeyViolation } from './records';
import { parse } from './validate';
import { parseIdParam } from './fields';

type Conn = Knex | Knex.Transaction;

/** How records are being read: in which language, and one record (show) or a page of a list. */
export interface ReadContext {
  lang: Lang;
  single: boolean;
}
const SHOW: ReadContext = { lang: 'vi', single: true };

export interface WriteContext {
  trx: Knex.Transaction;
  actor: Actor;
  /** The actor's permission subject (the record operations refuse an actor without one). */
  principal: Principal;
  schoolId: number;
}

/**
 * One record type of a school: its table, fields, scope and validation. The record operations below do the
 * permission checks, transactions and auditing the same way for all; server/http/resource.ts serves them as REST.
 */
export interface ResourceDef<Rec extends { id: number; schoolId: number }> {
  name: Resource;
  table: string;
  /** The column naming the owning school (default `<table>.school_id`). */
  schoolColumn?: string;
  /** The list/show query (joins for read-only fields); must select `<table>.id`. */
  baseQuery: (db: Conn) => Knex.QueryBuilder;
  fields: FieldMap;
  searchColumns?: string[];
  defaultSort?: string;
  toApi: (row: Record<string, unknown>) => Rec;
  /** Adds what one query per page can fetch better than a join (e.g. an account's roles, an audit event in words). */
  enrich?: (recs: Rec[], conn: Conn, read: ReadContext) => Promise<Rec[]>;
  /** Restricts a query to the rows of one school reachable through `scope`. */
  applyScope?: (qb: Knex.QueryBuilder, scope: Scope) => void;
  /** The attributes a single record is checked against (defaults to the record itself). */
  attributes?: (rec: Rec, db: Conn) => Promise<RecordAttributes> | RecordAttributes;
  /** Fields the API returns but a client may not set; ignored when a client sends them back (react-admin does). */
  readOnly?: string[];
  create?: {
    /** A schema with a `reason` field of its own keeps it (a lock's reason); otherwise `reason` only goes to the audit row. */
    schema: z.ZodType<Record<string, unknown>>;
    /** The school the new record belongs to, when the input names it indirectly (a lock's school year). */
    schoolOf?: (input: Record<string, unknown>, trx: Knex.Transaction, actor: Actor) => Promise<number>;
    /** Checks and inserts; returns the new id. */
    insert: (input: Record<string, unknown>, ctx: WriteContext) => Promise<number>;
  };
  update?: {
    schema: z.ZodType<Record<string, unknown>>;
    apply: (existing: Rec, input: Record<string, unknown>, ctx: WriteContext) => Promise<void>;
  };
  /** A delete that removes the row; the answer is the record as it was. */
  remove?: (existing: Rec, ctx: WriteContext) => Promise<void>;
  /**
   * A delete that keeps the row and marks it (a lock lifted, a delegation revoked), audited as `action` with the
   * body's reason; the answer is the record after the change.
   */
  softDelete?: {
    action: string;
    schema: z.ZodType<{ reason?: string | null }>;
    apply: (existing: Rec, input: { reason?: string | null }, ctx: WriteContext) => Promise<void>;
  };
}

const ALWAYS_READ_ONLY = ['id', 'schoolId'];

/** One record through the resource's own query and mapping, so every answer has the same shape as a list row. */
export async function loadRecord<Rec extends { id: number; schoolId: number }>(def: ResourceDef<Rec>, conn: Conn, rawId: string | number, read: ReadContext = SHOW): Promise<Rec> {
  const id = parseIdParam(rawId);
  if (id === null) throw notFound(def.name, String(rawId));
  const row = (await def.baseQuery(conn).where(`${def.table}.id`, id).first()) as Record<string, unknown> | undefined;
  if (!row) throw notFound(def.name, rawId);
  const rec = def.toApi(row);
  return def.enrich ? (await def.enrich([rec], conn, read))[0] : rec;
}

/** Refuses unless the principal may do `action` on this record (its school and scope). */
export async function authorizeRecord<Rec extends { id: number; schoolId: number }>(
  def: ResourceDef<Rec>,
  principal: Principal,
  action: Action,
  rec: Rec,
  conn: Conn,
): Promise<void> {
  const attrs = def.attributes ? await def.attributes(rec, conn) : (rec as unknown as RecordAttributes);
  if (!can(principal, action, def.name, attrs)) throw forbidden();
}

/** The rows of the resource the principal may `action`, across the schools and scopes it reaches. */
export function scopedQuery<Rec extends { id: number; schoolId: number }>(db: Conn, def: ResourceDef<Rec>, principal: Principal, action: Action): Knex.QueryBuilder {
  const scopes = scopesFor(principal, action, def.name);
  if (scopes.length === 0) throw forbidden();
  return def.baseQuery(db).where((outer) => {
    for (const s of scopes) {
      outer.orWhere((w) => {
        w.where(def.schoolColumn ?? `${def.table}.school_id`, s.schoolId);
        if (s.scope.kind !== 'all') {
          if (!def.applyScope) w.whereRaw('1 = 0');
          else def.applyScope(w, s.scope);
        }
      });
    }
  });
}

/** Creates a record from a client's body: checks, inserts, re-reads, audits, in one transaction. */
export async function createRecord<Rec extends { id: number; schoolId: number }>(db: Db, def: ResourceDef<Rec>, actor: Actor, body: unknown): Promise<Rec> {
  const create = def.create;
  if (!create) throw forbidden();
  const principal = principalOf(actor);
  if (!can(principal, 'create', def.name)) throw forbidden();
  const ownReason = ownsReason(create.schema);
  const input = parse(create.schema, strip(body, ownReason ? ['id'] : ['id', 'reason']));
  return db.transaction(async (trx) => {
    const schoolId = create.schoolOf ? await create.schoolOf(input, trx, actor) : targetSchool(principal, def.name, input.schoolId);
    if (create.schoolOf) assertMayCreateIn(principal, def.name, schoolId);
    const id = await create.insert(input, { trx, actor, principal, schoolId });
    const created = await loadRecord(def, trx, id);
    await authorizeRecord(def, principal, 'create', created, trx);
    const reason = ownReason ? ((input.reason as string | null | undefined) ?? null) : reasonOf(body);
    await appendAudit(trx, actor, { action: 'create', entity: def.name, entityId: id, after: created, schoolId, reason });
    return created;
  });
}

/** Updates a record: the result must still be within the editor's scope (no moving a record out of one's reach). */
export async function updateRecord<Rec extends { id: number; schoolId: number }>(db: Db, def: ResourceDef<Rec>, actor: Actor, rawId: string, body: unknown): Promise<Rec> {
  const update = def.update;
  if (!update) throw forbidden();
  const principal = principalOf(actor);
  if (!can(principal, 'edit', def.name)) throw forbidden();
  return db.transaction(async (trx) => {
    const existing = await loadRecord(def, trx, rawId);
    await authorizeRecord(def, principal, 'edit', existing, trx);
    const input = parse(update.schema, strip(body, [...ALWAYS_READ_ONLY, 'reason', ...(def.readOnly ?? [])]));
    await update.apply(existing, input, { trx, actor, principal, schoolId: existing.schoolId });
    const updated = await loadRecord(def, trx, rawId);
    await authorizeRecord(def, principal, 'edit', updated, trx);
    await appendAudit(trx, actor, { action: 'update', entity: def.name, entityId: existing.id, before: existing, after: updated, schoolId: existing.schoolId, reason: reasonOf(body) });
    return updated;
  });
}

/**
 * Deletes a record: a hard delete answers with the record as it was; a soft delete (lift, revoke) keeps the row,
 * carries the body's reason to the audit row and answers with the record after the change.
 */
export async function deleteRecord<Rec extends { id: number; schoolId: number }>(db: Db, def: ResourceDef<Rec>, actor: Actor, rawId: string, body: unknown): Promise<Rec> {
  const principal = principalOf(actor);
  if (!def.remove && !def.softDelete) throw forbidden();
  if (!can(principal, 'delete', def.name)) throw forbidden();
  return db.transaction(async (trx) => {
    const existing = await loadRecord(def, trx, rawId);
    await authorizeRecord(def, principal, 'delete', existing, trx);
    const ctx: WriteContext = { trx, actor, principal, schoolId: existing.schoolId };
    if (def.softDelete) {
      const input = parse(def.softDelete.schema, body ?? {});
      await def.softDelete.apply(existing, input, ctx);
      const after = await loadRecord(def, trx, existing.id);
      await appendAudit(trx, actor, { action: def.softDelete.action, entity: def.name, entityId: existing.id, before: existing, after, schoolId: existing.schoolId, reason: input.reason ?? null });
      return after;
    }
    try {
      await def.remove!(existing, ctx);
    } catch (err) {
      if (isForeignKeyViolation(err)) throw new AppError('conflict', 'referenced');
      throw err;
    }
    await appendAudit(trx, actor, { action: 'delete', entity: def.name, entityId: existing.id, before: existing, schoolId: existing.schoolId, reason: reasonOf(body) });
    return existing;
  });
}

/** A new record belongs to the school of what it names; the principal must be allowed to create there. */
export function assertMayCreateIn(principal: Principal, resource: Resource, schoolId: number): void {
  if (!scopesFor(principal, 'create', resource).some((s) => s.schoolId === schoolId)) throw forbidden();
}

/** Whether a create schema has a `reason` field of its own. */
function ownsReason(schema: z.ZodType): boolean {
  return schema instanceof z.ZodObject && 'reason' in schema.shape;
}

/** Why the change was made, if the client said (any write may carry `reason`; it goes to the audit trail). */
function reasonOf(body: unknown): string | null {
  const r = (body as { reason?: unknown } | null)?.reason;
  return typeof r === 'string' && r.trim() !== '' ? r.trim().slice(0, 1000) : null;
}

/** Drops the fields a client may send back but never sets (react-admin returns the whole record on update). */
function strip(body: unknown, fields: string[]): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const skip = new Set(fields);
  return Object.fromEntries(Object.entries(body as Record<string, unknown>).filter(([k]) => !skip.has(k)));
}

/** The school a new record belongs to: the one the principal may create in (asked for explicitly when several). */
function targetSchool(principal: Principal, resource: Resource, requested: unknown): number {
  const schools = [...new Set(scopesFor(principal, 'create', resource).map((s) => s.schoolId))];
  if (typeof requested === 'number') {
    if (!schools.includes(requested)) throw forbidden();
    return requested;
  }
  if (schools.length === 1) return schools[0];
  throw invalidField('schoolId', { key: 'required' });
}
