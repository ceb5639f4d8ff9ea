import { Router } from 'express';
import type { Db } from '../db/knex';
import { actorOf, lang } from '../http/context';
import { conductView, saveConduct } from './conduct';
import { gridView, saveGrid } from './grid';
import { listSettings, showSettings, updateSettings } from './settings';
import { setTestDate } from './test-dates';

/** The grade book: the grid, test dates, the homeroom teacher's conduct sheet, and each school's cutoff settings. */
export function gradebookRoutes(db: Db): Router {
  const router = Router();
  router.get('/gradebook', async (req, res) => {
    res.json(await gridView(db, actorOf(req), req.query, lang(req)));
  });
  router.put('/gradebook', async (req, res) => {
    res.json(await saveGrid(db, actorOf(req), req.body, lang(req)));
  });
  router.put('/gradebook/test-dates', async (req, res) => {
    res.json(await setTestDate(db, actorOf(req), req.body));
  });
  router.get('/gradebook/conduct', async (req, res) => {
    res.json(await conductView(db, actorOf(req), req.query));
  });
  router.put('/gradebook/conduct', async (req, res) => {
    res.json(await saveConduct(db, actorOf(req), req.body));
  });
  router.get('/school-settings', async (req, res) => {
    const list = await listSettings(db, actorOf(req));
    res.setHeader('Content-Range', `school-settings 0-${Math.max(list.length - 1, 0)}/${list.length}`);
    res.setHeader('Access-Control-Expose-Headers', 'Content-Range');
    res.json(list);
  });
  router.get('/school-settings/:id', async (req, res) => {
    res.json(await showSettings(db, actorOf(req), req.params.id));
  });
  router.put('/school-settings/:id', async (req, res) => {
    res.json(await updateSettings(db, actorOf(req), req.params.id, req.body));
  });
  return router;
}
