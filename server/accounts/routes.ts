import { Router } from 'express';
import type { Db } from '../db/knex';
import { actorOf } from '../http/context';
import { resourceRouter } from '../http/resource';
import { resetPassword, resetTotp, unlockAccount } from './operations';
import { usersResource } from './users';

/** Accounts: CRUD through the resource router, plus password reset and unlock. */
export function accountRoutes(db: Db): Router {
  const router = Router();
  router.post('/users/:id/reset-password', async (req, res) => {
    res.json(await resetPassword(db, actorOf(req), req.params.id));
  });
  router.post('/users/:id/reset-totp', async (req, res) => {
    res.json(await resetTotp(db, actorOf(req), req.params.id));
  });
  router.post('/users/:id/unlock', async (req, res) => {
    res.json(await unlockAccount(db, actorOf(req), req.params.id));
  });
  router.use('/users', resourceRouter(db, usersResource));
  return router;
}
