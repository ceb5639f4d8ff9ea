import type { Knex } from 'knex';
import { AppError } from '../core/errors';

type Conn = Knex | Knex.Transaction;

/**
 * Four different people (issue 8, item 5): the requester, the approving principal, the supervising vice principal
 * and the second witness. rules.ts already keeps the requester and the supervising VPs out of the witness role;
 * this adds the approver: the principal who decided, or — while the request is pending — anyone who could approve
 * it (a principal of the school), since naming them now would let them approve their own witnessed request.
 */
export async function approverIds(conn: Conn, schoolId: number, decidedBy: number | null): Promise<number[]> {
  if (decidedBy !== null) return [decidedBy];
  const rows = (await conn('user_roles').where({ school_id: schoolId, role: 'principal' }).distinct('user_id')) as Array<{ user_id: number }>;
  return rows.map((r) => Number(r.user_id));
}

/** Everyone who is already a party and so may not also be the witness. */
export async function partiesOf(
  conn: Conn,
  rec: { schoolId: number; requestedBy: number | null; decidedBy: number | null; vpUserId: number | null },
  also: Array<number | null> = [],
): Promise<Set<number>> {
  const ids = [rec.requestedBy, rec.vpUserId, ...also, ...(await approverIds(conn, rec.schoolId, rec.decidedBy))];
  return new Set(ids.filter((x): x is number => x !== null));
}

export async function refuseWitnessParty(conn: Conn, rec: Parameters<typeof partiesOf>[1], witnessUserId: number, also: Array<number | null> = []): Promise<void> {
  if ((await partiesOf(conn, rec, also)).has(witnessUserId)) {
    throw new AppError('invalid', 'validation', {}, { witnessUserId: { key: 'correctionWitnessIsParty' } });
  }
}
