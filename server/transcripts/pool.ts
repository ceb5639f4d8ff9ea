import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { WORK, type WorkName } from './work';
import { fromRoot } from '../paths';

/**
 * A small pool of worker threads for the signing work (work.ts): one worker per core, so a whole school's batch
 * uses both cores of the target machine while the main thread keeps the database and the requests. Robust before
 * clever: if a worker cannot start or dies, its jobs and every later one run in this thread instead (same code,
 * same results, only slower). TRANSCRIPT_WORKERS=0 turns the pool off.
 */

type Pending = { name: WorkName; args: unknown[]; resolve: (v: unknown) => void; reject: (e: unknown) => void };
interface Slot {
  worker: Worker;
  jobs: Map<number, Pending>;
}

const size = Math.max(0, Number(process.env.TRANSCRIPT_WORKERS ?? Math.min(4, os.availableParallelism?.() ?? os.cpus().length)));
let slots: Slot[] | null = null;
let broken = size === 0;
let nextId = 1;

function start(): Slot[] {
  const list: Slot[] = [];
  for (let i = 0; i < size; i++) {
    const worker = new Worker(fromRoot('server/transcripts/work-worker.mjs'));
    const slot: Slot = { worker, jobs: new Map() };
    worker.unref();
    worker.on('message', (m: { id: number; ok: boolean; value?: unknown; error?: string }) => {
      const job = slot.jobs.get(m.id);
      if (!job) return;
      slot.jobs.delete(m.id);
      if (m.ok) job.resolve(m.value);
      else job.reject(new Error(m.error));
    });
    const fail = (err: unknown) => {
      if (!broken) console.error('signing worker unavailable, working in the main thread:', err instanceof Error ? err.message : err);
      broken = true;
      const jobs = [...slot.jobs.values()];
      slot.jobs.clear();
      // Whatever the worker had not answered runs here.
      for (const j of jobs) inThread(j.name, j.args).then(j.resolve, j.reject);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (slot.jobs.size > 0) fail(new Error(`worker exited (${code})`));
    });
    list.push(slot);
  }
  return list;
}

async function inThread(name: WorkName, args: unknown[]): Promise<unknown> {
  return (WORK[name] as (...a: unknown[]) => unknown)(...args);
}

/** Runs `name(...args)` on the least busy worker (or here). Arguments and results are structured-cloned. */
export function runWork<N extends WorkName>(name: N, ...args: Parameters<(typeof WORK)[N]>): Promise<Awaited<ReturnType<(typeof WORK)[N]>>> {
  if (broken) return inThread(name, args) as never;
  try {
    slots ??= start();
  } catch (err) {
    broken = true;
    console.error('signing workers cannot start, working in the main thread:', err instanceof Error ? err.message : err);
    return inThread(name, args) as never;
  }
  const slot = slots.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
  const id = nextId++;
  return new Promise((resolve, reject) => {
    slot.jobs.set(id, { name, args, resolve: resolve as (v: unknown) => void, reject });
    if (slot.jobs.size === 1) slot.worker.ref();
    slot.worker.postMessage({ id, name, args });
  }).finally(() => {
    if (slot.jobs.size === 0) slot.worker.unref();
  }) as never;
}

/** The pool's width: how many jobs to keep in flight. */
export const workParallelism = (): number => (broken ? 1 : Math.max(1, size));
