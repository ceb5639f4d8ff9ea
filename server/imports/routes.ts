import { Router } from 'express';
import type { Db } from '../db/knex';
import { actorOf, lang } from '../http/context';
import { importFile } from './operations';
import { importScores } from './scores';

/** Imports from a spreadsheet (imports/operations.ts). */
export function importRoutes(db: Db): Router {
  const router = Router();
  // A grade book's scores (imports/scores.ts): before /imports/:kind, which knows only the school-wide lists.
  router.post('/imports/scores', async (req, res) => {
    res.json(await importScores(db, actorOf(req), { options: req.query, file: req.body }, lang(req)));
  });
  router.post('/imports/:kind', async (req, res) => {
    res.json(await importFile(db, actorOf(req), { kind: String(req.params.kind), options: req.query, file: req.body }, lang(req)));
  });
  return router;
}
