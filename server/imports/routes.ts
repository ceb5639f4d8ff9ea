import { Router } from 'express';
import type { Db } from '../db/knex';
import { actorOf, lang } from '../http/context';
import { importFile } from './operations';

/** Imports from a spreadsheet (imports/operations.ts). */
export function importRoutes(db: Db): Router {
  const router = Router();
  router.post('/imports/:kind', async (req, res) => {
    res.json(await importFile(db, actorOf(req), { kind: String(req.params.kind), options: req.query, file: req.body }, lang(req)));
  });
  return router;
}
