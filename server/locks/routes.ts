import { Router } from 'express';
import type { Db } from '../db/knex';
import { delegationsRouter, myDelegations } from './delegations';
import { locksRouter } from './locks';
import { unlockRequestsRouter } from './unlock-requests';

/** Khóa sổ, đề nghị mở khóa and ủy quyền nhập điểm: what closes and reopens grade-book cells besides the cutoffs. */
export function lockRoutes(db: Db): Router {
  const router = Router();
  router.use('/locks', locksRouter(db));
  router.use('/unlock-requests', unlockRequestsRouter(db));
  // Before the resource router, whose GET /:id would take "mine" for an id.
  router.get('/entry-delegations/mine', myDelegations(db));
  router.use('/entry-delegations', delegationsRouter(db));
  return router;
}
