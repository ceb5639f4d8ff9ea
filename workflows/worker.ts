/**
 * The Temporal worker (`npm run worker`): the only process that runs the timeline's workflows and activities, and
 * the nightly backup's. It reads the same configuration as the API (DATABASE_URL, SMTP_URL, TEMPORAL_ADDRESS,
 * TEMPORAL_NAMESPACE, BACKUP_DIR, BACKUP_KEEP), and writes the backups, so it needs the backup directory.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import { startCheckpointSweep } from '../server/audit/checkpoint-sweep';
import { ConfigError, loadConfig } from '../server/config';
import { configureAuditCheckpoints } from '../server/core/audit-checkpoints';
import { events } from '../server/core/events';
import { createDb, migrateLatest } from '../server/db/knex';
import { smtpMailer } from '../server/notifications/mailer';
import { registerResultsListeners } from '../server/results/listeners';
import { systemClock } from '../server/timeline/engine';
import { TIMELINE_TASK_QUEUE } from '../server/timeline/temporal-control';
import { createActivities } from './activities';

const here = path.dirname(fileURLToPath(import.meta.url));

export async function runWorker(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const config = loadConfig(env);
  if (!config.temporalAddress) throw new ConfigError('TEMPORAL_ADDRESS is not set: the worker needs a Temporal server (e.g. localhost:7233).');
  const db = createDb(config.databaseUrl);
  await migrateLatest(db);
  // The worker is an entry point: it registers the listeners its operations announce to, and signs audit checkpoints
  // with the same key as the API (its timeline steps are audited too).
  registerResultsListeners(events);
  configureAuditCheckpoints(config);
  const mailer = config.smtpUrl ? smtpMailer(config.smtpUrl, config.smtpFrom ?? 'no-reply@localhost') : null;
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const worker = await Worker.create({
    connection,
    namespace: config.temporalNamespace ?? 'default',
    taskQueue: TIMELINE_TASK_QUEUE,
    workflowsPath: path.join(here, 'index.ts'),
    activities: createActivities({ db, clock: systemClock, mailer, config }),
  });
  // Like the API: sign any chain a stopped process left ahead of its last checkpoint (server/audit/checkpoint-sweep.ts),
  // so a deployment where only the worker is up still closes that window.
  const sweep = startCheckpointSweep(db);
  const stop = () => worker.shutdown();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  console.log(`timeline worker: task queue "${TIMELINE_TASK_QUEUE}" on ${config.temporalAddress}`);
  await worker.run();
  await sweep.stop();
  mailer?.close?.();
  await connection.close();
  await db.destroy();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runWorker().catch((err: unknown) => {
    console.error('worker:', err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
