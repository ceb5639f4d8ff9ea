import type { Knex } from 'knex';
import { can, scopesFor, type Action, type RecordAttributes, type Resource } from '../../domain/permissions';
import { type AuthedUser } from '../http/context';
import { type ResourceDef } from '../http/resource';
import { forbidden, notFound } from '../core/errors';

/** Helpers shared by locks, unlock requests and entry delegations. */

type Conn = Knex | Knex.Transaction;

/** One record through the resource's own query and mapping, so every response has the same shape as a list row. */
export async function loadOne<Rec extends { id: number; schoolId: number }>(def: ResourceDef<Rec>, conn: Conn, rawId: string | number): Promise<Rec> {
  const id = Number(rawId);
  if (!Number.isInteger(id) || id <= 0) throw notFound(def.name, String(rawId));
  const row = (await def.baseQuery(conn).where(`${def.table}.id`, id).first()) as Record<string, unknown> | undefined;
  if (!row) throw notFound(def.name, id);
  const rec = def.toApi(row);
  return def.enrich ? (await def.enrich([rec], conn))[0] : rec;
}

/** Refuses unless the user may do `action` on this record (its school and scope). */
export function authorize(user: AuthedUser, action: Action, resource: Resource, attrs: RecordAttributes): void {
  if (!can(user.principal, action, resource, attrs)) throw forbidden();
}

/** A new record belongs to the school of what it names; the user must be allowed to create there. */
export function assertMayCreateIn(user: AuthedUser, resource: Resource, schoolId: number): void {
  if (!scopesFor(user.principal, 'create', resource).some((s) => s.schoolId === schoolId)) throw forbidden();
}

export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
export const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
