import { Router } from 'express';
import { z } from 'zod';
import { parse } from '../core/validate';
import type { Db } from '../db/knex';
import { actorOf, userOf } from '../http/context';
import { resourceRouter } from '../http/resource';
import { delegationsResource, myDelegations } from './delegations';
import { locksResource } from './locks';
import { decideUnlockRequest, unlockRequestsResource } from './unlock-requests';

/** Khóa sổ, đề nghị mở khóa and ủy quyền nhập điểm: what closes and reopens grade-book cells besides the cutoffs. */
export function lockRoutes(db: Db): Router {
  const router = Router();
  router.use('/locks', resourceRouter(db, locksResource));
  for (const decision of ['approve', 'reject'] as const) {
    router.post(`/unlock-requests/:id/${decision}`, async (req, res) => {
      userOf(req);
      res.json(await decideUnlockRequest(db, actorOf(req), { id: req.params.id, decision, details: req.body }));
    });
  }
  router.use('/unlock-requests', resourceRouter(db, unlockRequestsResource));
  // Before the resource router, whose GET /:id would take "mine" for an id.
  router.get('/entry-delegations/mine', async (req, res) => {
    userOf(req);
    parse(z.strictObject({}), req.query);
    res.json(await myDelegations(db, actorOf(req)));
  });
  router.use('/entry-delegations', resourceRouter(db, delegationsResource));
  return router;
}
