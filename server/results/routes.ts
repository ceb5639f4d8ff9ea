import { Router } from 'express';
import type { Db } from '../db/knex';
import { actorOf } from '../http/context';
import { approveResultList, resultLists } from './lists';
import { recomputeYear } from './operations';
import { deleteResultRecord, enterRetestResult, enterSummerTrainingResult, entityOf, listResultRecords, showResultRecord, type ResultRecordKind } from './records';
import { classSummary } from './summary';

/** Computed results (TT22 Điều 8–15): summary sheet, lists and their approval, retest and summer-training records. */
export function resultsRoutes(db: Db): Router {
  const router = Router();
  router.get('/results/class-summary', async (req, res) => {
    res.json(await classSummary(db, actorOf(req), req.query));
  });
  router.get('/results/lists', async (req, res) => {
    res.json(await resultLists(db, actorOf(req), req.query));
  });
  router.post('/results/lists/approve', async (req, res) => {
    res.status(201).json(await approveResultList(db, actorOf(req), req.body));
  });
  router.post('/results/recompute', async (req, res) => {
    res.json(await recomputeYear(db, actorOf(req), req.body));
  });

  for (const kind of ['retest', 'summer'] as ResultRecordKind[]) {
    const entity = entityOf(kind);
    router.get(`/${entity}`, async (req, res) => {
      const page = await listResultRecords(db, actorOf(req), kind, req.query as Record<string, unknown>);
      res.setHeader('Content-Range', `${entity} ${page.start}-${page.start + Math.max(page.records.length - 1, 0)}/${page.total}`);
      res.setHeader('Access-Control-Expose-Headers', 'Content-Range');
      res.json(page.records);
    });
    router.get(`/${entity}/:id`, async (req, res) => {
      res.json(await showResultRecord(db, actorOf(req), kind, String(req.params.id)));
    });
    // A mistyped result is removed (with the reason in the audit trail) and entered again.
    router.delete(`/${entity}/:id`, async (req, res) => {
      res.json(await deleteResultRecord(db, actorOf(req), kind, String(req.params.id), req.body));
    });
  }
  router.post('/retest-results', async (req, res) => {
    res.status(201).json(await enterRetestResult(db, actorOf(req), req.body));
  });
  router.post('/summer-training-results', async (req, res) => {
    res.status(201).json(await enterSummerTrainingResult(db, actorOf(req), req.body));
  });
  return router;
}
