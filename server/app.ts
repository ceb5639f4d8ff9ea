import cors from 'cors';
import express, { Router, type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import { authRouter, csrfGuard, loadSession, requireAuth } from './auth/routes';
import { createSecretBox, type SecretBox } from './auth/secret-box';
import { SessionStore } from './auth/sessions';
import type { Config } from './config';
import type { Db } from './db/knex';
import { errorHandler, notFoundRoute } from './http/errors';
import { portalRouter } from './http/portal';
import { refuseUnstorableInput } from './http/sanitize';
import { takeTurns } from './http/turns';
import { configureAuditCheckpoints } from './core/audit-checkpoints';
import { events } from './core/events';
import { registerResultsListeners } from './results/listeners';
import { capabilityRoutes } from './routes';
import { publicTranscriptRoutes } from './transcripts/routes';
import { publicPrintedRoutes } from './printing/routes';
import { AppError } from './core/errors';
import { noTimelineEngine, type TimelineControl } from './timeline/control';
import { fromRoot } from './paths';

export const PORTAL_DIST = fromRoot('portal/dist');

export interface AppDeps {
  db: Db;
  config: Config;
  /** The running timeline engine (embedded or Temporal); none in tests of the API alone. */
  timeline?: TimelineControl;
}

export interface AppContext extends AppDeps {
  timeline: TimelineControl;
  box: SecretBox;
  sessions: SessionStore;
}

/** `Server-Timing: app;dur=<ms>` on every API response: the benchmarks read server time from it. */
const serverTiming: RequestHandler = (_req, res, next) => {
  const start = process.hrtime.bigint();
  const writeHead = res.writeHead;
  res.writeHead = function (this: typeof res, ...args: Parameters<typeof writeHead>) {
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (!res.headersSent) res.setHeader('Server-Timing', `app;dur=${ms.toFixed(2)}`);
    return writeHead.apply(this, args);
  } as typeof writeHead;
  next();
};

/** Bodies of writes must be JSON (a form post from another site is refused before anything else happens). */
const requireJsonBody: RequestHandler = (req, _res, next) => {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  // The verification upload also takes the file itself (XML or PDF) as the body.
  const rawUpload = req.path === '/transcripts/verify' && req.is(['application/xml', 'text/xml', 'application/pdf', 'application/octet-stream']);
  if (['POST', 'PUT', 'PATCH'].includes(req.method) && hasBody && !req.is('application/json') && !rawUpload) {
    throw new AppError('unsupported', 'unsupportedMediaType');
  }
  next();
};

export function createApp({ db, config, timeline = noTimelineEngine }: AppDeps): Express {
  const box = createSecretBox(config.sessionSecret);
  configureAuditCheckpoints(config);
  const sessions = new SessionStore(db, box, config);
  const ctx: AppContext = { db, config, box, sessions, timeline };
  registerResultsListeners(events);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // MUI/emotion inject style tags; the TOTP QR code is a data: image.
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
        },
      },
    }),
  );

  const api = Router();
  api.use(serverTiming);
  // Only the configured origin gets CORS headers; any other origin gets none (the browser then blocks it).
  api.use(cors({ origin: (origin, cb) => cb(null, origin === config.corsOrigin), credentials: true, exposedHeaders: ['Content-Range'] }));
  api.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  api.use(requireJsonBody);
  // A whole school's student list as a base64 spreadsheet is bigger than any other request: imports alone get 4 MB.
  api.use('/imports', express.json({ limit: '4mb' }));
  api.use('/transcripts/verify', express.raw({ type: ['application/xml', 'text/xml', 'application/pdf', 'application/octet-stream'], limit: '10mb' }));
  api.use('/transcripts/verify', express.json({ limit: '14mb' }));
  // A transfer package (a ZIP of sealed transcripts, base64) is read within the sync receiver's 50 MB limit.
  api.use('/transfers/imports', express.json({ limit: '70mb' }));
  api.use(express.json({ limit: '1mb' }));
  // Issue 8: no NUL characters and no integers beyond the id columns' range, on either database.
  api.use(refuseUnstorableInput);
  api.use(takeTurns(db));
  api.get('/health', async (_req, res) => {
    await db.raw('select 1');
    res.json({ ok: true });
  });
  // The transcript lookup behind the QR code: public, before any session (rate-limited per address).
  api.use(publicTranscriptRoutes(ctx));
  // The printed grade book's check behind its QR code: public too, and never any score.
  api.use(publicPrintedRoutes(ctx));
  api.use(loadSession(db, sessions));
  api.use(csrfGuard(config));
  api.use('/auth', authRouter(db, sessions, box, config));
  api.use(requireAuth);
  api.use(capabilityRoutes(ctx));
  api.use(notFoundRoute);
  app.use('/api', api);

  app.use(portalRouter(PORTAL_DIST));
  app.use(errorHandler);
  return app;
}

