import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { verifyChain } from '../audit/audit-log';
import { ConfigError, loadConfig } from '../config';
import { configureAuditCheckpoints } from '../core/audit-checkpoints';
import { createDb } from '../db/knex';

/**
 * npm run audit:verify [-- --anchor FILE] — walks the audit trail's hash chain and checks its signed checkpoints
 * (key: AUDIT_CHECKPOINT_KEY, or derived from SESSION_SECRET). Exit code 0 when intact, 2 when a row was changed,
 * removed or reordered, the chain was rewound below a checkpoint or a checkpoint is forged (the first broken row is
 * named), 1 when it could not run.
 *
 * Events still waiting for their checkpoint a while after they were written (a server stopped between a commit and
 * its checkpoint; the running server's sweep signs them) are a warning, not a failure.
 *
 * --anchor FILE keeps each chain's newest checkpoint outside the database (one chain per school and the system's):
 * the run fails if a checkpoint recorded there by the previous run is gone (a rewind that also deleted checkpoints),
 * then records the newest ones. A file written before chains were per school (one checkpoint) is still read.
 */
type Anchor = { id: number; eventId: number; mac: string };

try {
  const { values } = parseArgs({ options: { anchor: { type: 'string' } } });
  const config = loadConfig();
  const key = configureAuditCheckpoints(config);
  const db = createDb(config.databaseUrl);
  const report = await verifyChain(db, { key });
  let anchorProblem: string | null = null;
  if (report.ok && values.anchor && fs.existsSync(values.anchor)) {
    const saved = JSON.parse(fs.readFileSync(values.anchor, 'utf8')) as { chains?: Array<{ chainId: number; lastCheckpoint: Anchor }> } & Partial<Anchor>;
    const anchors = saved.chains ? saved.chains.map((c) => c.lastCheckpoint) : [saved as Anchor];
    for (const anchor of anchors) {
      const still = (await db('audit_checkpoints').where({ id: anchor.id }).first('mac', 'event_id')) as { mac: string; event_id: number } | undefined;
      if (!still || still.mac !== anchor.mac || Number(still.event_id) !== Number(anchor.eventId)) {
        anchorProblem = `rewind: checkpoint #${anchor.id} (event #${anchor.eventId}) recorded in ${values.anchor} is no longer in the database`;
        break;
      }
    }
  }
  await db.destroy();
  if (report.ok && !anchorProblem) {
    const chains = report.chains.filter((c) => c.lastCheckpoint !== null);
    if (values.anchor && chains.length > 0) fs.writeFileSync(values.anchor, JSON.stringify({ chains }) + '\n', { mode: 0o600 });
    const cp = report.lastCheckpoint ? `; newest signed checkpoint #${report.lastCheckpoint.id} at event #${report.lastCheckpoint.eventId}` : '';
    console.log(`Audit trail intact: ${report.checked} events checked in ${report.chains.length} chains, ${report.checkpoints} checkpoints${cp}.`);
    // Not a failure: the events are hash-chained; the server's sweep signs them (is it running?).
    if (report.warning) console.warn(`Warning: ${report.warning}.`);
  } else if (anchorProblem) {
    console.error(`Audit trail BROKEN (${anchorProblem}).`);
    process.exit(2);
  } else {
    const at = report.firstBrokenId === null ? '' : ` at event #${report.firstBrokenId}`;
    console.error(`Audit trail BROKEN${at} (${report.reason}); ${report.checked} events before it check out.`);
    process.exit(2);
  }
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
