import { Router } from 'express';
import type { Db } from '../db/knex';
import { actorOf } from '../http/context';
import { studentRecord } from './record';

/** A student's (or parent's) own record, read only (student-record/record.ts). */
export function studentRecordRoutes(db: Db): Router {
  const router = Router();
  router.get('/student-record', async (req, res) => {
    res.json(await studentRecord(db, actorOf(req), req.query));
  });
  return router;
}
