// A signing worker (pool.ts): runs the functions of work.ts by name. Plain JavaScript so that it starts the same
// under tsx, vitest and node; work.ts is TypeScript, so when this thread has no TypeScript loader (vitest, whose
// transform does not reach worker threads) it registers tsx's before importing it.
import { parentPort } from 'node:worker_threads';

async function load() {
  try {
    return await import('./work.ts');
  } catch {
    const { register } = await import('tsx/esm/api');
    register();
    // A new specifier: the failed resolution of the first is remembered.
    return await import('./work.ts?tsx');
  }
}

const { WORK } = await load();

parentPort.on('message', async ({ id, name, args }) => {
  try {
    parentPort.postMessage({ id, ok: true, value: await WORK[name](...args) });
  } catch (err) {
    parentPort.postMessage({ id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
});
