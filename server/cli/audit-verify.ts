import { verifyChain } from '../audit/audit-log';
import { ConfigError, loadConfig } from '../config';
import { createDb } from '../db/knex';

/**
 * npm run audit:verify — walks the audit trail's hash chain. Exit code 0 when intact, 2 when a row was changed,
 * removed or reordered (the first broken row is named), 1 when it could not run.
 */
try {
  const config = loadConfig();
  const db = createDb(config.databaseUrl);
  const report = await verifyChain(db);
  await db.destroy();
  if (report.ok) {
    console.log(`Audit trail intact: ${report.checked} events checked.`);
  } else {
    console.error(`Audit trail BROKEN at event #${report.firstBrokenId} (${report.reason}); ${report.checked} events before it check out.`);
    process.exit(2);
  }
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
