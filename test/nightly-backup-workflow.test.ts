/**
 * The nightly backup on Temporal (workflows/nightly-backup.ts) on the real time-skipping test server, with the real
 * activities (workflows/activities.ts) against the real server's database: the backup is taken at the scheduled
 * instant (BACKUP_AT, Vietnam time), once, registered in the archive register; a new BACKUP_AT re-plans the sleep;
 * "off" ends the workflow. The embedded engine claiming the same night first makes the workflow's run do nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { nextNightlyRun } from '../domain/backup-schedule';
import type { Config } from '../server/config';
import { claimNight } from '../server/nightly/scheduled-runs';
import { createActivities } from '../workflows/activities';
import { nightlyBackupStatus, nightlyBackupWorkflow, nightlyScheduleSet } from '../workflows/nightly-backup';
import { integration } from './helpers/integrations';
import { startServer } from './helpers/server';
import { timeSkippingEnv } from './helpers/temporal';
import { workflowBundle } from './helpers/workflow-bundle';

const here = path.dirname(fileURLToPath(import.meta.url));
const workflowsPath = path.join(here, '../workflows/index.ts');
const TEST_SERVER = integration('temporal-test-server');

describe.skipIf(!TEST_SERVER)('the nightly backup workflow on the time-skipping server', () => {
  it('backs up at the scheduled instant with the real activity, once a night; a new time re-plans; off ends it', { timeout: 300_000 }, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hocba-nightly-wf-'));
    const srv = await startServer('sqlite', { students: 8, config: { dataDir } });
    const env = await timeSkippingEnv(TEST_SERVER!);
    try {
      const dir = path.join(dataDir, 'backups');
      const config: Config = { ...srv.config, backup: { nightly: true, at: '02:00', dir, keep: 14 } };
      // The activities read the virtual clock as it was when the activity started.
      let virtualNow = new Date(await env.currentTimeMs()).toISOString();
      const real = createActivities({ db: srv.db, clock: { now: () => virtualNow }, mailer: null, config });
      const ranAt: Array<{ runDate: string; at: string }> = [];
      const taskQueue = `nightly-${Date.now()}`;
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle: await workflowBundle(workflowsPath),
        activities: {
          ...real,
          runNightlyBackup: async (runDate: string) => {
            virtualNow = new Date(await env.currentTimeMs()).toISOString();
            ranAt.push({ runDate, at: virtualNow });
            return real.runNightlyBackup(runDate);
          },
        },
      });
      const runs = () => srv.db('scheduled_runs').orderBy('run_date').select('run_date', 'status', 'file', 'claimed_by');

      await worker.runUntil(async () => {
        const first = nextNightlyRun(new Date(await env.currentTimeMs()).toISOString(), '02:00');
        const handle = await env.client.workflow.start(nightlyBackupWorkflow, { args: [{ at: '02:00' }], taskQueue, workflowId: `nightly-${taskQueue}` });
        // A minute before the instant: nothing yet (and a fresh database had no night to catch up).
        await env.sleep(Date.parse(first.at) - (await env.currentTimeMs()) - 60_000);
        expect(await runs()).toEqual([]);
        await env.sleep(2 * 60_000);
        await waitFor(async () => (await runs()).length === 1 && (await runs())[0].status !== 'running');

        expect(ranAt).toHaveLength(1);
        expect(ranAt[0].runDate).toBe(first.runDate);
        // At the instant (the virtual clock), never before, and within the minute.
        expect(Date.parse(ranAt[0].at)).toBeGreaterThanOrEqual(Date.parse(first.at));
        expect(Date.parse(ranAt[0].at) - Date.parse(first.at)).toBeLessThan(60_000);
        const [run] = await runs();
        expect(run).toMatchObject({ run_date: first.runDate, status: 'ok' });
        expect(String(run.claimed_by)).toContain('(temporal)');
        expect(fs.existsSync(path.join(dir, String(run.file)))).toBe(true);
        expect(await srv.db('archive_entries').where({ backup_file: run.file, book: 'backup' }).first('id')).toBeTruthy();
        expect((await handle.query(nightlyBackupStatus)).next?.runDate).toBe(nextNightlyRun(first.at, '02:00').runDate);

        // The next night the embedded engine (another process) got there first: the workflow's run does nothing.
        const second = nextNightlyRun(first.at, '02:00');
        expect(await claimNight(srv.db, second.runDate, second.at, 'another-host:1 (embedded)')).toBe(true);
        await env.sleep(Date.parse(second.at) - (await env.currentTimeMs()) + 60_000);
        await waitFor(async () => ranAt.length === 2);
        await waitFor(async () => (await handle.query(nightlyBackupStatus)).last?.runDate === second.runDate);
        expect((await handle.query(nightlyBackupStatus)).last?.status).toBe('claimed-elsewhere');
        expect(fs.readdirSync(dir).filter((f) => f.endsWith('.sqlite'))).toHaveLength(1);

        // BACKUP_AT becomes 03:30 at 02:01: the workflow re-plans its sleep to 03:30. That night is taken already,
        // so 03:30 does nothing more; the night after, the backup is at 03:30.
        await handle.signal(nightlyScheduleSet, { at: '03:30' });
        await waitFor(async () => (await handle.query(nightlyBackupStatus)).at === '03:30');
        const sameNight = nextNightlyRun(new Date(await env.currentTimeMs()).toISOString(), '03:30');
        expect(sameNight.runDate).toBe(second.runDate);
        await waitFor(async () => (await handle.query(nightlyBackupStatus)).next?.at === sameNight.at);
        const third = nextNightlyRun(sameNight.at, '03:30');
        await env.sleep(Date.parse(third.at) - (await env.currentTimeMs()) + 60_000);
        await waitFor(async () => (await runs()).some((r) => r.run_date === third.runDate && r.status === 'ok'));
        expect(ranAt.map((r) => r.runDate)).toEqual([first.runDate, second.runDate, second.runDate, third.runDate]);
        expect(Date.parse(ranAt[2].at)).toBeGreaterThanOrEqual(Date.parse(sameNight.at));
        expect(Date.parse(ranAt[3].at)).toBeGreaterThanOrEqual(Date.parse(third.at));
        expect(Date.parse(ranAt[3].at) - Date.parse(third.at)).toBeLessThan(60_000);
        expect((await runs()).map((r) => [r.run_date, r.status])).toEqual([
          [first.runDate, 'ok'],
          [second.runDate, 'running'], // the other process's claim, as the test left it
          [third.runDate, 'ok'],
        ]);

        // BACKUP_NIGHTLY=off: the API tells it, and it ends.
        await handle.signal(nightlyScheduleSet, { at: null });
        await handle.result();
      });
    } finally {
      await env.teardown();
      await srv.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

async function waitFor(ok: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
