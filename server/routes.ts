import { Router } from 'express';
import type { AppContext } from './app';
import { accountRoutes } from './accounts/routes';
import { auditRoutes } from './audit/routes';
import { gradebookRoutes } from './gradebook/routes';
import { schoolRoutes } from './school/routes';

/** Every capability's routes, mounted under /api behind authentication. */
export function capabilityRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use(auditRoutes(ctx.db));
  router.use(accountRoutes(ctx.db));
  router.use(schoolRoutes(ctx.db));
  router.use(gradebookRoutes(ctx.db));
  return router;
}
