import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../app';
import { parse } from '../core/validate';
import { actorOf, userOf } from '../http/context';
import { nightlyStatusFor } from './nightly';

/** The nightly backup as the admin and the records clerk see it: the last run (when, size, check) and the next. */
export function nightlyRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/backups/nightly', async (req, res) => {
    userOf(req);
    parse(z.strictObject({}), req.query);
    res.json(await nightlyStatusFor(ctx.db, actorOf(req), ctx.config));
  });
  return router;
}
