import { Router } from 'express';
import type { Db } from '../db/knex';
import { actorOf, lang } from '../http/context';
import { myWeek, pendingCounts } from './week';

/** The home page's figures (dashboard/week.ts), read only. */
export function dashboardRoutes(db: Db): Router {
  const router = Router();
  router.get('/dashboard/week', async (req, res) => {
    res.json(await myWeek(db, actorOf(req), lang(req)));
  });
  // The menu's badges: cheap enough to ask on every page.
  router.get('/dashboard/pending', async (req, res) => {
    res.json(await pendingCounts(db, actorOf(req)));
  });
  return router;
}
