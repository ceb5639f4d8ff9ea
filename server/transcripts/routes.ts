import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../app';
import { actorOf } from '../http/context';
import { batchProgress, completeSigning, prepareSigning, signBatch, type SigningDeps } from './batches';
import {
  approvePrinting,
  listCertificates,
  listDelegations,
  listPrintApprovals,
  openYearTranscripts,
  registerCertificate,
  reopenForCorrection,
  revokeVersion,
  putDelegations,
} from './operations';
import { publicLookup, TokenBucket, tooManyLookups } from './public';
import { issueCopy, listTranscripts, myTranscripts, signingTasks, transcriptDetail, transcriptSummary } from './queries';
import { verifyUpload } from './verify';
import { createDigitisation, digitisationDifferences, listDigitisations, reconcileDigitisation, showDigitisation, submitFirstEntry, submitSecondEntry, updateFirstEntry } from './digitisation';
import { reviewForDepartedTeacher } from './digitisation-review';
import { reopenDigitisation } from './digitisation-reopen';

export function signingDeps(ctx: AppContext): SigningDeps {
  return { box: ctx.box, publicUrl: ctx.config.corsOrigin };
}

/** Học bạ số under /api (docs/transcripts.md "HTTP API"), behind authentication like every capability. */
export function transcriptRoutes(ctx: AppContext): Router {
  const { db } = ctx;
  const deps = signingDeps(ctx);
  const router = Router();

  router.get('/transcripts', async (req, res) => {
    const { data, total, start } = await listTranscripts(db, actorOf(req), req.query as Record<string, unknown>);
    const end = data.length === 0 ? start : start + data.length - 1;
    res.setHeader('Content-Range', `transcripts ${start}-${end}/${total}`);
    res.setHeader('Access-Control-Expose-Headers', 'Content-Range');
    res.json(data);
  });
  router.post('/transcripts/open', async (req, res) => {
    res.status(201).json(await openYearTranscripts(db, actorOf(req), req.body));
  });
  router.post('/transcripts/verify', async (req, res) => {
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.from(String(req.body?.contentBase64 ?? ''), 'base64');
    res.json(await verifyUpload(db, actorOf(req), { bytes, filename: (req.query.filename as string) ?? req.body?.filename ?? null }));
  });
  router.get('/transcripts/summary', async (req, res) => {
    res.json(await transcriptSummary(db, actorOf(req), req.query as Record<string, unknown>));
  });
  router.get('/transcripts/print-approvals', async (req, res) => {
    res.json(await listPrintApprovals(db, actorOf(req)));
  });
  router.post('/transcripts/print-approvals', async (req, res) => {
    res.status(201).json(await approvePrinting(db, actorOf(req), req.body));
  });
  router.get('/transcripts/:id', async (req, res) => {
    res.json(await transcriptDetail(db, actorOf(req), req.params.id));
  });
  const download = (kind: 'xml' | 'pdf' | 'print') => async (req: Request, res: Response) => {
    const copy = await issueCopy(db, actorOf(req), req.params.id as string, kind, typeof req.query.purpose === 'string' ? req.query.purpose : null);
    res.setHeader('Content-Type', copy.type);
    res.setHeader('Content-Disposition', `${kind === 'print' ? 'inline' : 'attachment'}; filename="${copy.name}"`);
    res.send(copy.body);
  };
  router.get('/transcripts/:id/xml', download('xml'));
  router.get('/transcripts/:id/pdf', download('pdf'));
  router.get('/transcripts/:id/print', download('print'));
  router.post('/transcripts/:id/reopen', async (req, res) => {
    res.status(201).json(await reopenForCorrection(db, actorOf(req), { ...(req.body ?? {}), transcriptId: Number(req.params.id) || 0 }));
  });
  router.post('/transcripts/:id/revoke', async (req, res) => {
    res.json(await revokeVersion(db, actorOf(req), req.params.id as string, req.body));
  });
  router.get('/my/transcripts', async (req, res) => {
    res.json(await myTranscripts(db, actorOf(req)));
  });

  router.get('/signing/tasks', async (req, res) => {
    res.json(await signingTasks(db, actorOf(req)));
  });
  router.post('/signing/batches', async (req, res) => {
    res.status(202).json(await signBatch(db, actorOf(req), req.body, deps));
  });
  router.get('/signing/batches/:id', async (req, res) => {
    res.json(await batchProgress(db, actorOf(req), req.params.id));
  });
  router.post('/signing/prepare', async (req, res) => {
    res.json(await prepareSigning(db, actorOf(req), req.body));
  });
  router.post('/signing/complete', async (req, res) => {
    res.json(await completeSigning(db, actorOf(req), req.body, deps));
  });
  router.get('/signing/delegations', async (req, res) => {
    res.json(await listDelegations(db, actorOf(req), req.query as Record<string, unknown>));
  });
  router.put('/signing/delegations', async (req, res) => {
    res.json(await putDelegations(db, actorOf(req), req.body));
  });
  router.get('/certificates', async (req, res) => {
    res.json(await listCertificates(db, actorOf(req)));
  });
  router.post('/certificates', async (req, res) => {
    res.status(201).json(await registerCertificate(db, actorOf(req), req.body, ctx.box));
  });
  return router;
}

/** The public lookup (no login), rate-limited per client address. */
export function publicTranscriptRoutes(ctx: AppContext, bucket = new TokenBucket()): Router {
  const router = Router();
  router.get('/public/transcripts/:code', async (req, res) => {
    if (!bucket.take(req.ip ?? 'unknown')) throw tooManyLookups();
    res.json(await publicLookup(ctx.db, req.params.code));
  });
  return router;
}

/** Số hóa học bạ giấy under /api (docs/digitisation.md). Signing itself goes through /signing/batches. */
export function digitisationRoutes(ctx: AppContext): Router {
  const { db } = ctx;
  const router = Router();
  const id = (raw: unknown) => Number(raw) || 0;
  router.get('/transcript-digitisations', async (req, res) => {
    const data = await listDigitisations(db, actorOf(req));
    res.setHeader('Content-Range', `transcript-digitisations 0-${Math.max(0, data.length - 1)}/${data.length}`);
    res.setHeader('Access-Control-Expose-Headers', 'Content-Range');
    res.json(data);
  });
  router.post('/transcript-digitisations', async (req, res) => {
    res.status(201).json(await createDigitisation(db, actorOf(req), req.body));
  });
  router.get('/transcript-digitisations/:id', async (req, res) => {
    res.json(await showDigitisation(db, actorOf(req), id(req.params.id)));
  });
  router.put('/transcript-digitisations/:id/entry', async (req, res) => {
    res.json(await updateFirstEntry(db, actorOf(req), id(req.params.id), req.body));
  });
  router.post('/transcript-digitisations/:id/submit', async (req, res) => {
    res.json(await submitFirstEntry(db, actorOf(req), id(req.params.id)));
  });
  router.post('/transcript-digitisations/:id/second-entry', async (req, res) => {
    res.json(await submitSecondEntry(db, actorOf(req), id(req.params.id), req.body));
  });
  router.get('/transcript-digitisations/:id/differences', async (req, res) => {
    res.json(await digitisationDifferences(db, actorOf(req), id(req.params.id)));
  });
  router.post('/transcript-digitisations/:id/reconcile', async (req, res) => {
    res.json(await reconcileDigitisation(db, actorOf(req), id(req.params.id), req.body));
  });
  router.post('/transcript-digitisations/:id/reopen', async (req, res) => {
    res.json(await reopenDigitisation(db, actorOf(req), id(req.params.id), req.body));
  });
  router.post('/transcript-digitisations/:id/reviews', async (req, res) => {
    res.status(201).json(await reviewForDepartedTeacher(db, actorOf(req), id(req.params.id), req.body));
  });
  return router;
}
