import { z } from 'zod';
import { canRecomputeResults } from '../../domain/permissions';
import { principalOf, type Actor } from '../core/actor';
import { appendAudit } from '../core/audit';
import { forbidden, notFound } from '../core/errors';
import { parse } from '../core/validate';
import type { Db } from '../db/knex';
import { recomputeSchool } from './recompute';

const RecomputeBody = z.strictObject({ schoolYearId: z.number().int().positive() });

/** Operation: recomputes every stored result of a school year (after a subject's assessment count changed, say). */
export async function recomputeYear(db: Db, actor: Actor, input: unknown) {
  const principal = principalOf(actor);
  const body = parse(RecomputeBody, input);
  const year = (await db('school_years').where({ id: body.schoolYearId }).first('school_id')) as { school_id: number } | undefined;
  if (!year) throw notFound('school-years', body.schoolYearId);
  const schoolId = Number(year.school_id);
  if (!canRecomputeResults(principal, schoolId)) throw forbidden();
  const result = await recomputeSchool(db, schoolId, body.schoolYearId);
  // Derived data only: the audit row records that it ran (the batches commit on their own, see recomputeSchool).
  await db.transaction((trx) => appendAudit(trx, actor, { action: 'recompute', entity: 'results', entityId: body.schoolYearId, schoolId, after: result }));
  return result;
}
