import { Router } from 'express';
import type { Db } from '../db/knex';
import { actorOf } from '../http/context';
import { sendDownload } from '../http/download';
import { exportGradebook } from './gradebook';
import { exportOverdue, exportProgress } from './progress';
import { exportClassSummary, exportResultLists } from './results';

/** Excel exports (issue 12): each mirrors a JSON view, with that view's query and permission checks. */
export function exportRoutes(db: Db): Router {
  const router = Router();
  router.get('/exports/gradebook.xlsx', async (req, res) => {
    sendDownload(res, await exportGradebook(db, actorOf(req), req.query));
  });
  router.get('/exports/class-summary.xlsx', async (req, res) => {
    sendDownload(res, await exportClassSummary(db, actorOf(req), req.query));
  });
  router.get('/exports/result-lists.xlsx', async (req, res) => {
    sendDownload(res, await exportResultLists(db, actorOf(req), req.query));
  });
  router.get('/exports/progress.xlsx', async (req, res) => {
    sendDownload(res, await exportProgress(db, actorOf(req), req.query));
  });
  router.get('/exports/overdue.xlsx', async (req, res) => {
    sendDownload(res, await exportOverdue(db, actorOf(req), req.query));
  });
  return router;
}
