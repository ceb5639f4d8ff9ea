import { Router } from 'express';
import type { Db } from '../db/knex';
import { actorOf } from '../http/context';
import { officeSchool, officeSchools } from './dashboard';

/** Phòng/Sở GDĐT: its schools' progress, read only (office/dashboard.ts). No write route exists here. */
export function officeRoutes(db: Db): Router {
  const router = Router();
  router.get('/office/schools', async (req, res) => {
    res.json(await officeSchools(db, actorOf(req), req.query));
  });
  router.get('/office/schools/:schoolId', async (req, res) => {
    res.json(await officeSchool(db, actorOf(req), Number(req.params.schoolId), req.query));
  });
  return router;
}
