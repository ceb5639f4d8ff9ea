import { Router } from 'express';
import type { Db } from '../db/knex';
import { actorOf } from '../http/context';
import { resourceRouter } from '../http/resource';
import { auditEventsResource, verifyAuditChain } from './queries';

/** The audit trail, read only: principal and admin browse it with filters and verify the hash chain. */
export function auditRoutes(db: Db): Router {
  const router = Router();
  router.get('/audit-events/verify', async (req, res) => {
    res.json(await verifyAuditChain(db, actorOf(req)));
  });
  router.use('/audit-events', resourceRouter(db, auditEventsResource));
  return router;
}
