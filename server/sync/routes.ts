import { Router } from 'express';
import type { AppContext } from '../app';
import { actorOf } from '../http/context';
import { langOf } from '../http/lang';
import { buildBatch, sendBatch, syncDepsOf, type SyncDeps } from './operations';
import { recordReceipt } from './receipt';
import { autoSyncStatus, disableAutoSync, enableAutoSync } from './auto';
import { downloadBatchZip, getBatch, listBatches, listSyncStudents } from './queries';

export function syncDeps(ctx: AppContext): SyncDeps {
  return syncDepsOf(ctx.config, ctx.box);
}

/** Đồng bộ CSDL under /api (docs/sync.md), behind authentication. */
export function syncRoutes(ctx: AppContext): Router {
  const { db } = ctx;
  const deps = syncDeps(ctx);
  const router = Router();
  router.get('/sync/batches', async (req, res) => {
    res.json(await listBatches(db, actorOf(req), req.query as Record<string, unknown>));
  });
  router.get('/sync/auto', async (req, res) => {
    res.json(await autoSyncStatus(db, actorOf(req)));
  });
  router.put('/sync/auto', async (req, res) => {
    res.json(await enableAutoSync(db, actorOf(req), req.body, deps));
  });
  router.delete('/sync/auto', async (req, res) => {
    res.json(await disableAutoSync(db, actorOf(req)));
  });
  router.get('/sync/students', async (req, res) => {
    res.json(await listSyncStudents(db, actorOf(req), req.query as Record<string, unknown>, langOf(req)));
  });
  router.post('/sync/batches', async (req, res) => {
    res.status(201).json(await buildBatch(db, actorOf(req), req.body, deps));
  });
  router.get('/sync/batches/:id', async (req, res) => {
    res.json(await getBatch(db, actorOf(req), Number(req.params.id), langOf(req)));
  });
  router.post('/sync/batches/:id/send', async (req, res) => {
    res.status(202).json(await sendBatch(db, actorOf(req), Number(req.params.id), deps));
  });
  router.post('/sync/batches/:id/receipt', async (req, res) => {
    res.json(await recordReceipt(db, actorOf(req), Number(req.params.id), req.body));
  });
  router.get('/sync/batches/:id/zip', async (req, res) => {
    const { zip, filename } = await downloadBatchZip(db, actorOf(req), Number(req.params.id));
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    res.send(zip);
  });
  return router;
}
