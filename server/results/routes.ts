import { Router } from 'express';
import { z } from 'zod';
import { canRecomputeResults } from '../../domain/results-access';
import type { Db } from '../db/knex';
import { actorOf, userOf } from '../http/context';
import { listRoutes } from './lists';
import { recomputeSchool } from './recompute';
import { recordRoutes } from './records';
import { summaryRoutes } from './summary';
import { appendAudit } from '../core/audit';
import { forbidden, notFound } from '../core/errors';
import { parse } from '../core/validate';

const RecomputeBody = z.strictObject({ schoolYearId: z.number().int().positive() });

/** Computed results (TT22 Điều 8–15): summary sheet, lists and their approval, retest and summer-training records. */
export function resultsRoutes(db: Db): Router {
  const router = Router();
  router.use(summaryRoutes(db));
  router.use(listRoutes(db));
  router.use(recordRoutes(db));

  // Recomputes every stored result of a school year (after a subject's assessment count changed, say).
  router.post('/results/recompute', async (req, res) => {
    const user = userOf(req);
    const body = parse(RecomputeBody, req.body);
    const year = (await db('school_years').where({ id: body.schoolYearId }).first('school_id')) as { school_id: number } | undefined;
    if (!year) throw notFound('school-years', body.schoolYearId);
    const schoolId = Number(year.school_id);
    if (!canRecomputeResults(user.principal, schoolId)) throw forbidden();
    const result = await recomputeSchool(db, schoolId, body.schoolYearId);
    // Derived data only: the audit row records that it ran (the batches commit on their own, see recomputeSchool).
    await db.transaction((trx) => appendAudit(trx, actorOf(req), { action: 'recompute', entity: 'results', entityId: body.schoolYearId, schoolId, after: result }));
    res.json(result);
  });

  return router;
}
