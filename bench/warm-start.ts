/**
 * A warm restart of `npm start` (issue 11: under 2 s): the time from spawning `npm start` until the server prints
 * its address, on a database that is already migrated and seeded, with the portal build up to date.
 *
 *   npx tsx bench/warm-start.ts            # 5 warm restarts, beside the two baselines below
 *
 * The first start (migrate, seed the demo school, sign last year's transcripts) is waited for and not counted.
 * Baselines in the same run, interleaved with the warm restarts: the server through tsx from its TypeScript sources
 * (`npm run start:dev`, what `npm start` did before the server was bundled), and once the same start preceded by a
 * forced portal build (`npm run build:portal`), which is what every `npm start` did before the portal build was
 * skipped when up to date.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function start(dataDir: string, script: string, until: RegExp, timeoutMs: number): Promise<number> {
  const t0 = performance.now();
  const env = { ...process.env, PORT: String(30000 + Math.floor(Math.random() * 20000)), DATA_DIR: dataDir, DATABASE_URL: `sqlite:${path.join(dataDir, 'school.sqlite')}` };
  const child = spawn('bash', ['-c', script], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`no ${until} within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const finish = (err: Error | null) => {
      clearTimeout(timer);
      const ms = performance.now() - t0;
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
      child.once('exit', () => (err ? reject(err) : resolve(ms)));
    };
    const onData = (d: Buffer) => {
      out += d.toString();
      if (until.test(out)) finish(null);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
  });
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warm-start-'));
  try {
    console.log(`machine: ${os.cpus().length} × ${os.cpus()[0].model}, Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    const first = await start(dir, 'npm start', /đã ký và đóng dấu số/, 300_000);
    console.log(`first start (build if needed, migrate, seed, sign the demo year): ${(first / 1000).toFixed(1)} s`);
    const warm: number[] = [];
    const viaTsx: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      warm.push(await start(dir, 'npm start', /http:\/\/localhost:\d+/, 60_000));
      viaTsx.push(await start(dir, 'npm run start:dev', /http:\/\/localhost:\d+/, 60_000));
    }
    const rebuild = await start(dir, 'npm run build:portal && npx tsx server/main.ts', /http:\/\/localhost:\d+/, 120_000);
    const sorted = [...warm].sort((a, b) => a - b);
    console.log(`warm restart to listening: median ${(sorted[Math.floor(RUNS / 2)] / 1000).toFixed(2)} s, max ${(sorted[RUNS - 1] / 1000).toFixed(2)} s (${warm.map((w) => (w / 1000).toFixed(2)).join(', ')}) — target < 2 s`);
    const tsxSorted = [...viaTsx].sort((a, b) => a - b);
    console.log(`baseline, the server through tsx (npm run start:dev): median ${(tsxSorted[Math.floor(RUNS / 2)] / 1000).toFixed(2)} s, max ${(tsxSorted[RUNS - 1] / 1000).toFixed(2)} s`);
    console.log(`baseline, the same start after a forced portal build: ${(rebuild / 1000).toFixed(1)} s`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
