import { Router } from 'express';
import type { AppContext } from '../app';
import { actorOf } from '../http/context';
import { importPackage } from './import';
import { issuePackage } from './issue';
import { downloadPackage, importedXml, importedYears, listImports, listPackages } from './queries';

/** Chuyển trường with the transcripts under /api (docs/transfers.md), behind authentication. */
export function transferRoutes(ctx: AppContext): Router {
  const { db } = ctx;
  const router = Router();
  router.get('/transfers/packages', async (req, res) => {
    res.json(await listPackages(db, actorOf(req), req.query as Record<string, unknown>));
  });
  router.post('/transfers/packages', async (req, res) => {
    res.status(201).json(await issuePackage(db, actorOf(req), req.body, ctx.box));
  });
  router.get('/transfers/packages/:id/zip', async (req, res) => {
    const { zip, filename } = await downloadPackage(db, actorOf(req), Number(req.params.id));
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    res.send(zip);
  });
  router.get('/transfers/imports', async (req, res) => {
    res.json(await listImports(db, actorOf(req)));
  });
  router.post('/transfers/imports', async (req, res) => {
    const result = await importPackage(db, actorOf(req), req.body);
    res.status(result.dryRun ? 200 : 201).json(result);
  });
  router.get('/transfers/students/:id/imported', async (req, res) => {
    res.json(await importedYears(db, actorOf(req), Number(req.params.id)));
  });
  router.get('/transfers/imported/:id/xml', async (req, res) => {
    const { xml, filename } = await importedXml(db, actorOf(req), Number(req.params.id));
    res.setHeader('Content-Type', 'application/xml; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    res.send(Buffer.from(xml, 'utf8'));
  });
  return router;
}
