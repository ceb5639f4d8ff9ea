import { Router } from 'express';
import type { Db } from '../db/knex';
import { actorOf } from '../http/context';
import { resourceRouter } from '../http/resource';
import {
  applyApprovedCorrection,
  approveCorrection,
  cancelCorrection,
  confirmCorrection,
  correctionMinutes,
  correctionWitnessCandidates,
  fileCorrection,
  rejectCorrection,
} from './operations';
import { correctionRequestsResource } from './store';

const STEPS = { approve: approveCorrection, reject: rejectCorrection, confirm: confirmCorrection, cancel: cancelCorrection, apply: applyApprovedCorrection };

/** Đề nghị sửa điểm: the requests as a read-only resource, and each step of the procedure (corrections/operations.ts). */
export function correctionRoutes(db: Db): Router {
  const router = Router();
  // Before the resource router, whose GET /:id would take "witness-candidates" for an id.
  router.get('/correction-requests/witness-candidates', async (req, res) => {
    res.json(await correctionWitnessCandidates(db, actorOf(req), req.query));
  });

  router.use('/correction-requests', resourceRouter(db, correctionRequestsResource));

  router.post('/correction-requests', async (req, res) => {
    res.status(201).json(await fileCorrection(db, actorOf(req), req.body));
  });
  for (const [step, run] of Object.entries(STEPS)) {
    router.post(`/correction-requests/:id/${step}`, async (req, res) => {
      res.json(await run(db, actorOf(req), { id: req.params.id as string, details: req.body }));
    });
  }
  router.get('/correction-requests/:id/minutes', async (req, res) => {
    const { id, pdf } = await correctionMinutes(db, actorOf(req), req.params.id);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="bien-ban-sua-diem-${id}.pdf"`);
    res.send(pdf);
  });
  return router;
}
