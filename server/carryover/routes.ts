import { Router } from 'express';
import type { Db } from '../db/knex';
import { actorOf, lang } from '../http/context';
import { carryOver } from './operations';

/** Kết chuyển năm học (carryover/operations.ts). */
export function carryOverRoutes(db: Db): Router {
  const router = Router();
  router.post('/carry-over', async (req, res) => {
    const { dryRun, report } = await carryOver(db, actorOf(req), req.body, lang(req));
    res.status(dryRun ? 200 : 201).json(report);
  });
  return router;
}
