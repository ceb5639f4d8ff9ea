import { Router } from 'express';
import type { AppContext } from './app';
import { accountRoutes } from './accounts/routes';
import { archiveRoutes } from './archive/routes';
import { nightlyRoutes } from './nightly/routes';
import { auditRoutes } from './audit/routes';
import { carryOverRoutes } from './carryover/routes';
import { correctionRoutes } from './corrections/routes';
import { dashboardRoutes } from './dashboard/routes';
import { exportRoutes } from './exports/routes';
import { gradebookRoutes } from './gradebook/routes';
import { importRoutes } from './imports/routes';
import { lockRoutes } from './locks/routes';
import { printRunRoutes } from './printing/routes';
import { progressRoutes } from './progress/routes';
import { resultsRoutes } from './results/routes';
import { notificationRoutes } from './notifications/routes';
import { schoolRoutes } from './school/routes';
import { studentRecordRoutes } from './student-record/routes';
import { syncRoutes } from './sync/routes';
import { timelineRoutes } from './timeline/routes';
import { digitisationRoutes, transcriptRoutes } from './transcripts/routes';

/** Every capability's routes, mounted under /api behind authentication. */
export function capabilityRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use(auditRoutes(ctx.db));
  router.use(accountRoutes(ctx.db));
  router.use(schoolRoutes(ctx.db));
  router.use(gradebookRoutes(ctx.db));
  router.use(correctionRoutes(ctx.db));
  router.use(lockRoutes(ctx.db));
  router.use(progressRoutes(ctx.db));
  router.use(dashboardRoutes(ctx.db));
  router.use(studentRecordRoutes(ctx.db));
  router.use(resultsRoutes(ctx.db));
  router.use(importRoutes(ctx.db));
  router.use(exportRoutes(ctx.db));
  router.use(carryOverRoutes(ctx.db));
  router.use(timelineRoutes(ctx.db, ctx.timeline));
  router.use(notificationRoutes(ctx.db));
  router.use(transcriptRoutes(ctx));
  router.use(digitisationRoutes(ctx));
  router.use(printRunRoutes(ctx));
  router.use(archiveRoutes(ctx));
  router.use(nightlyRoutes(ctx));
  router.use(syncRoutes(ctx));
  return router;
}
