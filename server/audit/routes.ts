import { Router } from 'express';
import { scopesFor } from '../../domain/permissions';
import type { Db } from '../db/knex';
import { userOf } from '../http/context';
import { resourceRouter } from '../http/resource';
import { verifyChain } from './audit-log';
import { forbidden } from '../core/errors';

function parseJson(v: unknown): unknown {
  return typeof v === 'string' ? JSON.parse(v) : null;
}

/** The audit trail, read only: principal and admin browse it with filters and verify the hash chain. */
export function auditRoutes(db: Db): Router {
  const router = Router();
  // The whole chain is walked (its links cross schools), but the answer speaks only of the caller's own schools.
  router.get('/audit-events/verify', async (req, res) => {
    const schoolIds = [...new Set(scopesFor(userOf(req).principal, 'verify', 'audit-events').map((s) => s.schoolId))];
    if (schoolIds.length === 0) throw forbidden();
    res.json(await verifyChain(db, { schoolIds }));
  });
  router.use(
    '/audit-events',
    resourceRouter(db, {
      name: 'audit-events',
      table: 'audit_events',
      baseQuery: (conn) => conn('audit_events').select('audit_events.*'),
      defaultSort: 'id',
      fields: {
        id: { column: 'audit_events.id', type: 'number' },
        at: { column: 'audit_events.at', type: 'string' },
        userId: { column: 'audit_events.user_id', type: 'number' },
        username: { column: 'audit_events.username', type: 'string' },
        action: { column: 'audit_events.action', type: 'string' },
        entity: { column: 'audit_events.entity', type: 'string' },
        entityId: { column: 'audit_events.entity_id', type: 'string' },
      },
      searchColumns: ['audit_events.username', 'audit_events.entity', 'audit_events.action'],
      toApi: (r) => ({
        id: Number(r.id),
        schoolId: Number(r.school_id),
        at: String(r.at),
        userId: r.user_id === null ? null : Number(r.user_id),
        username: (r.username as string | null) ?? null,
        role: (r.role as string | null) ?? null,
        ip: (r.ip as string | null) ?? null,
        action: String(r.action),
        entity: String(r.entity),
        entityId: (r.entity_id as string | null) ?? null,
        before: parseJson(r.before),
        after: parseJson(r.after),
        reason: (r.reason as string | null) ?? null,
        prevHash: String(r.prev_hash),
        hash: String(r.hash),
      }),
    }),
  );
  return router;
}
