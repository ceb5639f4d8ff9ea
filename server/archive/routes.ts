import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../app';
import { backupSettingsOf } from '../config';
import { t } from '../core/i18n';
import { parse } from '../core/validate';
import { actorOf, lang, userOf } from '../http/context';
import { sendDownload } from '../http/download';
import { resourceRouter } from '../http/resource';
import { registerBackups, unregisteredBackups } from './backups';
import { archiveEntriesResource } from './entries';
import { exportArchiveRegister } from './export';

/** Sổ đăng ký lưu trữ: the register, its printable export, and the backups that belong in it. */
export function archiveRoutes(ctx: AppContext): Router {
  const router = Router();
  const backupsDir = backupSettingsOf(ctx.config).dir;
  const translate = (req: Parameters<typeof lang>[0], p: { key: Parameters<typeof t>[1]; params: Parameters<typeof t>[2] }) => t(lang(req), p.key, p.params);
  // Before the resource router, whose GET /:id would take "backups" for an id.
  router.get('/archive-entries/backups', async (req, res) => {
    userOf(req);
    parse(z.strictObject({}), req.query);
    const list = await unregisteredBackups(ctx.db, actorOf(req), backupsDir);
    res.json(list.map((b) => ({ ...b, problem: b.problem ? translate(req, b.problem) : null })));
  });
  router.post('/archive-entries/from-backups', async (req, res) => {
    userOf(req);
    const result = await registerBackups(ctx.db, actorOf(req), backupsDir);
    res.json({ registered: result.registered, refused: result.refused.map((r) => ({ file: r.file, message: translate(req, r.problem) })) });
  });
  router.get('/exports/archive-register.xlsx', async (req, res) => {
    userOf(req);
    sendDownload(res, await exportArchiveRegister(ctx.db, actorOf(req), req.query as Record<string, unknown>));
  });
  router.use('/archive-entries', resourceRouter(ctx.db, archiveEntriesResource));
  return router;
}
