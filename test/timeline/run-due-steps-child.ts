/**
 * A child process for the crash tests: the embedded engine's round (runDueSteps) at a virtual instant, on the
 * database at DATABASE_URL. The test kills it with SIGKILL in the middle of the round and then runs the round again.
 * Usage: npx tsx test/timeline/run-due-steps-child.ts <database-url> <now>
 */
import { createDb } from '../../server/db/knex';
import { runDueSteps } from '../../server/timeline/engine';

const [url, now] = process.argv.slice(2);
const db = createDb(url);
const report = await runDueSteps(db, now);
console.log(JSON.stringify(report));
await db.destroy();
