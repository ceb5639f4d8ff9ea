import { Router } from 'express';
import { parseListQuery, type FieldMap } from '../core/list-query';
import type { Db } from '../db/knex';
import { actorOf } from '../http/context';
import { listNotifications, markRead, showNotification, unreadCount } from './queries';

/** The inbox is always newest first; the one filter is read: false (unread only). */
const INBOX_FIELDS: FieldMap = { at: { column: 'at', type: 'string' }, read: { column: 'read_at', type: 'boolean' } };

/** Thông báo: the signed-in user's inbox (ra-data-simple-rest list with Content-Range), unread count, mark read. */
export function notificationRoutes(db: Db): Router {
  const router = Router();
  router.get('/notifications', async (req, res) => {
    const lq = parseListQuery({ range: '[0,24]', ...req.query }, INBOX_FIELDS, 'at');
    const from = lq.range.start;
    const unreadOnly = lq.filters.some((f) => f.column === 'read_at' && f.value === false);
    const { items, total } = await listNotifications(db, actorOf(req), { offset: from, limit: Math.min(lq.range.end - from + 1, 200), unreadOnly });
    res.setHeader('Content-Range', `notifications ${from}-${from + Math.max(items.length - 1, 0)}/${total}`);
    res.json(items);
  });
  router.get('/notifications/unread-count', async (req, res) => {
    res.json({ count: await unreadCount(db, actorOf(req)) });
  });
  router.get('/notifications/:id', async (req, res) => {
    res.json(await showNotification(db, actorOf(req), Number(req.params.id)));
  });
  router.post('/notifications/read', async (req, res) => {
    res.json({ updated: await markRead(db, actorOf(req), req.body) });
  });
  return router;
}
