/**
 * The API's one client of Temporal: it starts, signals and queries the timeline workflows, and never runs them
 * (workflows/worker.ts, `npm run worker`, is the only process that does). Workflows are named by string so the
 * server never loads workflow code.
 */
import { Client, Connection, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { Db } from '../db/knex';
import type { TimelineControl } from './control';
import { activeTimelineYears } from './store';

export const TIMELINE_TASK_QUEUE = 'timeline';
export const yearWorkflowId = (schoolYearId: number) => `timeline-year-${schoolYearId}`;
export const MAIL_WORKFLOW_ID = 'timeline-mail';
/** One nightly backup workflow per database (backups are of the whole database, not per school). */
export const NIGHTLY_BACKUP_WORKFLOW_ID = 'nightly-backup';

export async function connectTemporal(address: string, namespace: string, timeoutMs = 30_000): Promise<{ client: Client; connection: Connection }> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      return { client: new Client({ connection, namespace }), connection };
    } catch (err) {
      if (Date.now() > until) throw new Error(`Temporal at ${address} is not reachable: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** Starts the year's workflow if it is not running, and tells it the timeline changed. */
export async function signalYear(client: Client, schoolYearId: number): Promise<void> {
  await client.workflow.signalWithStart('schoolYearWorkflow', {
    workflowId: yearWorkflowId(schoolYearId),
    taskQueue: TIMELINE_TASK_QUEUE,
    args: [{ schoolYearId }],
    signal: 'timelineChanged',
    signalArgs: [],
  });
}

export async function ensureMailWorkflow(client: Client): Promise<void> {
  try {
    await client.workflow.start('mailWorkflow', { workflowId: MAIL_WORKFLOW_ID, taskQueue: TIMELINE_TASK_QUEUE, args: [] });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/**
 * Starts the nightly backup workflow if it is not running and tells it the time (BACKUP_AT), which it re-plans on;
 * `null` (BACKUP_NIGHTLY=off) tells a running one to end and starts none.
 */
export async function setNightlyBackupSchedule(client: Client, at: string | null): Promise<void> {
  if (at !== null) {
    await client.workflow.signalWithStart('nightlyBackupWorkflow', {
      workflowId: NIGHTLY_BACKUP_WORKFLOW_ID,
      taskQueue: TIMELINE_TASK_QUEUE,
      args: [{ at }],
      signal: 'nightlyScheduleSet',
      signalArgs: [{ at }],
    });
    return;
  }
  try {
    await client.workflow.getHandle(NIGHTLY_BACKUP_WORKFLOW_ID).signal('nightlyScheduleSet', { at: null });
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err; // none running, or it has ended: nothing to stop
  }
}

/** Connects, makes sure every running timeline has its workflow, and answers changes with a signal. */
export async function temporalControl(db: Db, address: string, namespace: string, opts: { nightlyBackupAt?: string | null } = {}): Promise<TimelineControl> {
  const { client, connection } = await connectTemporal(address, namespace);
  await ensureMailWorkflow(client);
  await setNightlyBackupSchedule(client, opts.nightlyBackupAt ?? null);
  for (const yearId of await activeTimelineYears(db)) await signalYear(client, yearId);
  return {
    engine: 'temporal',
    changed: (schoolYearId) => signalYear(client, schoolYearId),
    stop: () => connection.close(),
  };
}
