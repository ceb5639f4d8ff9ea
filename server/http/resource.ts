import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import type { z } from 'zod';
import {
  can,
  scopesFor,
  type Action,
  type RecordAttributes,
  type Resource,
  type Scope,
} from '../../domain/permissions';
import type { Db } from '../db/knex';
import { isForeignKeyViolation } from '../core/records';
import { actorOf, userOf, type AuthedUser } from './context';
import { applyFilters, parseListQuery, type FieldMap } from './list-query';
import { appendAudit } from '../core/audit';
import { forbidden, AppError, notFound } from '../core/errors';
import { parse } from '../core/validate';

export interface WriteContext {
  trx: Knex.Transaction;
  user: AuthedUser;
  req: Request;
  schoolId: number;
}

/**
 * One REST resource in ra-data-simple-rest form. A capability describes its table, fields, scope and
 * validation; this module does the listing, permission checks, transactions and auditing the same way for all.
 */
export interface ResourceDef<Rec extends { id: number; schoolId: number }> {
  name: Resource;
  table: string;
  /** The column naming the owning school (default `<table>.school_id`). */
  schoolColumn?: string;
  /** The list/show query (joins for read-only fields); must select `<table>.id`. */
  baseQuery: (db: Knex | Knex.Transaction) => Knex.QueryBuilder;
  fields: FieldMap;
  searchColumns?: string[];
  defaultSort?: string;
  toApi: (row: Record<string, unknown>) => Rec;
  /** Adds what one query per page can fetch better than a join (e.g. an account's roles). */
  enrich?: (recs: Rec[], conn: Knex | Knex.Transaction) => Promise<Rec[]>;
  /** Restricts a query to the rows of one school reachable through `scope`. */
  applyScope?: (qb: Knex.QueryBuilder, scope: Scope) => void;
  /** The attributes a single record is checked against (defaults to the record itself). */
  attributes?: (rec: Rec, db: Knex | Knex.Transaction) => Promise<RecordAttributes> | RecordAttributes;
  /** Fields the API returns but a client may not set; ignored when a client sends them back (react-admin does). */
  readOnly?: string[];
  create?: {
    schema: z.ZodType<Record<string, unknown>>;
    /** Checks and inserts; returns the new id. */
    insert: (input: Record<string, unknown>, ctx: WriteContext) => Promise<number>;
  };
  update?: {
    schema: z.ZodType<Record<string, unknown>>;
    apply: (existing: Rec, input: Record<string, unknown>, ctx: WriteContext) => Promise<void>;
  };
  remove?: (existing: Rec, ctx: WriteContext) => Promise<void>;
}

const ALWAYS_READ_ONLY = ['id', 'schoolId'];

export function resourceRouter<Rec extends { id: number; schoolId: number }>(db: Db, def: ResourceDef<Rec>): Router {
  const router = Router();
  const attributesOf = async (rec: Rec, conn: Knex | Knex.Transaction): Promise<RecordAttributes> =>
    def.attributes ? def.attributes(rec, conn) : (rec as unknown as RecordAttributes);

  async function load(conn: Knex | Knex.Transaction, rawId: string): Promise<Rec> {
    const id = Number(rawId);
    if (!Number.isInteger(id) || id <= 0) throw notFound(def.name, rawId);
    const row = (await def.baseQuery(conn).where(`${def.table}.id`, id).first()) as Record<string, unknown> | undefined;
    if (!row) throw notFound(def.name, rawId);
    const rec = def.toApi(row);
    return def.enrich ? (await def.enrich([rec], conn))[0] : rec;
  }

  async function authorize(user: AuthedUser, action: Action, rec: Rec, conn: Knex | Knex.Transaction): Promise<void> {
    if (!can(user.principal, action, def.name, await attributesOf(rec, conn))) throw forbidden();
  }

  function scopedQuery(user: AuthedUser, action: Action): Knex.QueryBuilder {
    const scopes = scopesFor(user.principal, action, def.name);
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

  router.get('/', async (req, res) => {
    const user = userOf(req);
    const lq = parseListQuery(req.query as Record<string, unknown>, def.fields, def.defaultSort);
    const filtered = applyFilters(scopedQuery(user, 'list'), lq, def.searchColumns ?? []);
    const countRow = (await filtered.clone().clearSelect().clearOrder().count({ n: '*' }).first()) as { n: number | string };
    const total = Number(countRow.n);
    const rows = (await filtered
      .orderBy(lq.sort.column, lq.sort.order)
      .orderBy(`${def.table}.id`, 'asc')
      .offset(lq.range.start)
      .limit(lq.range.end - lq.range.start + 1)) as Record<string, unknown>[];
    const end = rows.length === 0 ? lq.range.start : lq.range.start + rows.length - 1;
    res.setHeader('Content-Range', `${def.name} ${lq.range.start}-${end}/${total}`);
    res.setHeader('Access-Control-Expose-Headers', 'Content-Range');
    const recs = rows.map(def.toApi);
    res.json(def.enrich ? await def.enrich(recs, db) : recs);
  });

  router.get('/:id', async (req, res) => {
    const user = userOf(req);
    const rec = await load(db, req.params.id);
    await authorize(user, 'show', rec, db);
    res.json(rec);
  });

  if (def.create) {
    const create = def.create;
    router.post('/', async (req, res) => {
      const user = userOf(req);
      if (!can(user.principal, 'create', def.name)) throw forbidden();
      const input = parse(create.schema, strip(req.body, ['id', 'reason']));
      const schoolId = targetSchool(user, def.name, input.schoolId);
      const rec = await db.transaction(async (trx) => {
        const ctx: WriteContext = { trx, user, req, schoolId };
        const id = await create.insert(input, ctx);
        const created = await load(trx, String(id));
        await authorize(user, 'create', created, trx);
        await appendAudit(trx, actorOf(req), { action: 'create', entity: def.name, entityId: id, after: created, schoolId, reason: reasonOf(req.body) });
        return created;
      });
      res.status(201).json(rec);
    });
  }

  if (def.update) {
    const update = def.update;
    router.put('/:id', async (req, res) => {
      const user = userOf(req);
      if (!can(user.principal, 'edit', def.name)) throw forbidden();
      const rec = await db.transaction(async (trx) => {
        const existing = await load(trx, req.params.id);
        await authorize(user, 'edit', existing, trx);
        const input = parse(update.schema, strip(req.body, [...ALWAYS_READ_ONLY, 'reason', ...(def.readOnly ?? [])]));
        const ctx: WriteContext = { trx, user, req, schoolId: existing.schoolId };
        await update.apply(existing, input, ctx);
        const updated = await load(trx, req.params.id);
        // The result must still be within the editor's scope (no moving a record out of one's own reach).
        await authorize(user, 'edit', updated, trx);
        await appendAudit(trx, actorOf(req), {
          action: 'update',
          entity: def.name,
          entityId: existing.id,
          before: existing,
          after: updated,
          schoolId: existing.schoolId,
          reason: reasonOf(req.body),
        });
        return updated;
      });
      res.json(rec);
    });
  }

  if (def.remove) {
    const remove = def.remove;
    router.delete('/:id', async (req, res) => {
      const user = userOf(req);
      if (!can(user.principal, 'delete', def.name)) throw forbidden();
      const rec = await db.transaction(async (trx) => {
        const existing = await load(trx, req.params.id);
        await authorize(user, 'delete', existing, trx);
        try {
          await remove(existing, { trx, user, req, schoolId: existing.schoolId });
        } catch (err) {
          if (isForeignKeyViolation(err)) throw new AppError('conflict', 'referenced');
          throw err;
        }
        await appendAudit(trx, actorOf(req), { action: 'delete', entity: def.name, entityId: existing.id, before: existing, schoolId: existing.schoolId, reason: reasonOf(req.body) });
        return existing;
      });
      res.json(rec);
    });
  }

  return router;
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

/** The school a new record belongs to: the one the user may create in (asked for explicitly when several). */
function targetSchool(user: AuthedUser, resource: Resource, requested: unknown): number {
  const schools = [...new Set(scopesFor(user.principal, 'create', resource).map((s) => s.schoolId))];
  if (typeof requested === 'number') {
    if (!schools.includes(requested)) throw forbidden();
    return requested;
  }
  if (schools.length === 1) return schools[0];
  throw new AppError('invalid', 'validation', {}, { schoolId: { key: 'required' } });
}

