import { Router } from 'express';
import type { AppContext } from '../app';
import { actorOf } from '../http/context';
import { TokenBucket, tooManyLookups } from '../transcripts/public';
import { decidePrintRun, getPrintRun, listPrintRuns, printRunPdf, publicPrinted, requestPrintRun } from './operations';

/** Print runs under /api, behind authentication (docs/printing.md). */
export function printRunRoutes(ctx: AppContext): Router {
  const { db } = ctx;
  const deps = { publicUrl: ctx.config.corsOrigin };
  const router = Router();
  router.get('/print-runs', async (req, res) => {
    const { data, total, start } = await listPrintRuns(db, actorOf(req), req.query as Record<string, unknown>);
    const end = data.length === 0 ? start : start + data.length - 1;
    res.setHeader('Content-Range', `print-runs ${start}-${end}/${total}`);
    res.setHeader('Access-Control-Expose-Headers', 'Content-Range');
    res.json(data);
  });
  router.post('/print-runs', async (req, res) => {
    res.status(201).json(await requestPrintRun(db, actorOf(req), req.body));
  });
  router.get('/print-runs/:id', async (req, res) => {
    res.json(await getPrintRun(db, actorOf(req), Number(req.params.id)));
  });
  router.post('/print-runs/:id/decision', async (req, res) => {
    res.json(await decidePrintRun(db, actorOf(req), Number(req.params.id), req.body, deps));
  });
  router.get('/print-runs/:id/pdf', async (req, res) => {
    const { pdf, sha256, filename } = await printRunPdf(db, actorOf(req), Number(req.params.id));
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    res.setHeader('X-Content-SHA256', sha256);
    res.send(pdf);
  });
  return router;
}

/** The portal's page for a printed book's code (portal/src/verify/PrintedCheckPage.tsx). */
export const PRINTED_CHECK_PATH = '/kiem-tra-ban-in';

/** The public check of a printed book's code (no sign-in), rate-limited per client address like the transcripts'. */
export function publicPrintedRoutes(ctx: AppContext, bucket = new TokenBucket()): Router {
  const router = Router();
  router.get('/public/printed/:code', async (req, res) => {
    // The QR printed on every page is this address: a phone's browser (asking for HTML) gets the portal's page for
    // the code, which reads the same answer as JSON. The address stays as printed, so frozen PDFs do not change.
    if (req.accepts(['json', 'html']) === 'html') return res.redirect(302, `/#${PRINTED_CHECK_PATH}/${encodeURIComponent(req.params.code)}`);
    if (!bucket.take(req.ip ?? 'unknown')) throw tooManyLookups();
    res.json(await publicPrinted(ctx.db, req.params.code));
  });
  return router;
}
