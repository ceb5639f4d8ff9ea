import { Router } from 'express';
import type { Db } from '../db/knex';
import { actorOf } from '../http/context';
import type { TimelineControl } from './control';
import { timelineDashboard } from './dashboard';
import { createTimeline, updateTimeline } from './operations';
import { inspectionPdf, inspectionXlsx, listInspectionReports } from './inspection';
import { showTimeline } from './queries';

/** Lộ trình năm học: read it with each milestone's status; start one from a profile; change it. */
export function timelineRoutes(db: Db, control: TimelineControl): Router {
  const router = Router();
  router.get('/timelines/:schoolYearId', async (req, res) => {
    res.json({ ...(await showTimeline(db, actorOf(req), Number(req.params.schoolYearId))), engine: control.engine });
  });
  router.get('/timelines/:schoolYearId/dashboard', async (req, res) => {
    res.json(await timelineDashboard(db, actorOf(req), Number(req.params.schoolYearId)));
  });
  router.post('/timelines', async (req, res) => {
    res.status(201).json(await createTimeline(db, actorOf(req), req.body, control));
  });
  router.get('/timelines/:schoolYearId/inspections', async (req, res) => {
    res.json(await listInspectionReports(db, actorOf(req), Number(req.params.schoolYearId)));
  });
  router.get('/inspection-reports/:id/pdf', async (req, res) => {
    const { fileName, pdf } = await inspectionPdf(db, actorOf(req), Number(req.params.id));
    res.type('application/pdf').setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
    res.send(pdf);
  });
  router.get('/inspection-reports/:id/xlsx', async (req, res) => {
    const { fileName, xlsx } = await inspectionXlsx(db, actorOf(req), Number(req.params.id));
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
    res.send(xlsx);
  });
  router.put('/timelines/:schoolYearId', async (req, res) => {
    res.json(await updateTimeline(db, actorOf(req), Number(req.params.schoolYearId), req.body, control));
  });
  return router;
}
