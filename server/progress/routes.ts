import { Router } from 'express';
import type { Db } from '../db/knex';
import { actorOf, lang } from '../http/context';
import { overdueCells, progressSummary } from './view';

/** Tiến độ nhập điểm, read only (progress/view.ts). */
export function progressRoutes(db: Db): Router {
  const router = Router();
  router.get('/progress', async (req, res) => {
    res.json(await progressSummary(db, actorOf(req), req.query, lang(req)));
  });
  router.get('/progress/overdue', async (req, res) => {
    res.json(await overdueCells(db, actorOf(req), req.query, lang(req)));
  });
  return router;
}
