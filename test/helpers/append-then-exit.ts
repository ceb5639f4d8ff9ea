/**
 * A server process that stops between its commits and their checkpoints (test/audit-chain-append.test.ts): appends
 * APPEND_COUNT events for each school of APPEND_SCHOOLS (comma-separated) on DATABASE_URL, each in its own
 * transaction, and exits the moment the last one has committed. The test holds the chains' checkpoint locks
 * meanwhile, so no checkpoint of these events can be written before the exit.
 */
import { appendAudit } from '../../server/core/audit';
import { configureAuditCheckpoints } from '../../server/core/audit-checkpoints';
import { createDb } from '../../server/db/knex';

const db = createDb(process.env.DATABASE_URL!);
configureAuditCheckpoints({ sessionSecret: process.env.SESSION_SECRET! });
const schools = process.env.APPEND_SCHOOLS!.split(',').map(Number);
const count = Number(process.env.APPEND_COUNT ?? 3);
for (let i = 0; i < count; i++) {
  for (const schoolId of schools) {
    const actor = { userId: null, username: 'gv.thu', roles: ['subject_teacher' as const], ip: '10.0.0.9', schoolId };
    await db.transaction((trx) => appendAudit(trx, actor, { action: 'update', entity: 'scores', entityId: i, after: { lần: i } }));
  }
}
process.exit(0);
