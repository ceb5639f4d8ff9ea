import type { Server } from 'node:http';
import { createApp } from './app';
import { createSecretBox } from './auth/secret-box';
import { startNightlyBackups } from './nightly/timer';
import { backupSettingsOf, ConfigError, loadConfig, type Config } from './config';
import { createDb, migrateLatest, nowIso, type Db } from './db/knex';
import { smtpMailer } from './notifications/mailer';
import { noTimelineEngine, type TimelineControl } from './timeline/control';
import { embeddedControl, systemClock } from './timeline/engine';
import { syncDepsOf } from './sync/operations';
import { demoAccountsNow, printDemoAccounts } from './demo/print';
import { seedDemoScores } from './demo/scores';
import { seedDemo } from './demo/seed';
import { seedDemoTimeline } from './demo/timeline';
import { resumeDemoSigning, seedDemoSigning } from './transcripts/seed';
import { schoolYearOf } from '../domain/school-year';
import { vnDateOf } from '../domain/timeline/calendar';
import { whenSettled } from './results/recompute';
import { startCheckpointSweep } from './audit/checkpoint-sweep';

/** The timeline's engine: Temporal when TEMPORAL_ADDRESS is set (run `npm run worker` too), else embedded. */
async function startTimeline(db: Db, config: Config): Promise<TimelineControl> {
  if (config.timelineEngine === 'off') return noTimelineEngine;
  if (config.temporalAddress) {
    // Temporal's client (gRPC, protobufs) is loaded only when it is used: the embedded engine starts faster without.
    const { temporalControl } = await import('./timeline/temporal-control');
    const backup = backupSettingsOf(config);
    const control = await temporalControl(db, config.temporalAddress, config.temporalNamespace ?? 'default', { nightlyBackupAt: backup.nightly ? backup.at : null });
    console.log(`timeline: Temporal at ${config.temporalAddress} (workflows run in \`npm run worker\`)`);
    return control;
  }
  const mailer = config.smtpUrl ? smtpMailer(config.smtpUrl, config.smtpFrom ?? 'no-reply@localhost') : null;
  const control = embeddedControl(db, { mailer, log: (m) => console.log(m), sync: syncDepsOf(config) });
  // The nightly backup runs beside the embedded timeline engine, and stops with it.
  if (!backupSettingsOf(config).nightly) return control;
  const nightly = startNightlyBackups({ db, config, clock: systemClock, log: (m) => console.log(m) });
  return { ...control, stop: async () => void (await Promise.all([control.stop(), nightly.stop()])) };
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const db = createDb(config.databaseUrl);
  await migrateLatest(db);
  let firstSeed = false;
  if (config.demoSeed) {
    // The demo school lives in today's school year, so the calendar, the cutoffs and the timeline are current.
    const accounts = await seedDemo(db, { secretBox: createSecretBox(config.sessionSecret), schoolYear: schoolYearOf(vnDateOf(nowIso())) });
    if (accounts.length > 0) {
      await seedDemoScores(db);
      await seedDemoTimeline(db);
      firstSeed = true;
    }
    printDemoAccounts(firstSeed ? accounts : await demoAccountsNow(db, createSecretBox(config.sessionSecret)));
  }
  const timeline = await startTimeline(db, config);
  const app = createApp({ db, config, timeline });
  // Signs the audit chains a stopped process left without their newest checkpoint (createApp set the key).
  const sweep = startCheckpointSweep(db);
  const server: Server = app.listen(config.port, config.host, () => {
    console.log(`Sổ điểm điện tử & Học bạ số: http://localhost:${config.port}  (listening on ${config.host}; database: ${config.databaseUrl.replace(/\/\/[^@]*@/, '//…@')})`);
    if (config.demoSeed && config.demoSigning !== false) {
      // DEMO ONLY, in the background so the first start is not held up: the TEST PKI and last school year (about 10 s
      // for the 320-student school), then last year's transcripts through the whole signing chain (about two minutes);
      // a restart resumes the signing where it stopped.
      const secretBox = createSecretBox(config.sessionSecret);
      void (async () => {
        if (firstSeed) {
          const s = await seedDemoSigning(db, { secretBox, sign: false });
          console.log(`Học bạ số (demo): ${s.certificates} chứng thư thử nghiệm, năm học ${s.previousYear?.name ?? '—'} đã hoàn tất (${s.ms} ms); đang ký số học bạ năm đó…`);
        }
        const r = await resumeDemoSigning(db, { secretBox, publicUrl: config.corsOrigin });
        if (r) console.log(`Học bạ số (demo): ${r.sealed} học bạ năm ${r.year} đã ký và đóng dấu số (${r.ms} ms).`);
      })().catch((err: unknown) => console.error('Demo signing stopped:', err instanceof Error ? err.message : err));
    }
  });
  const stop = () => {
    server.close(() => void timeline.stop().then(whenSettled).then(sweep.stop).then(() => db.destroy()).then(() => process.exit(0)));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main().catch((err: unknown) => {
  console.error('Could not start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
