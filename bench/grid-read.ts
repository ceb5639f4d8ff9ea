/**
 * Grid reads under load (issue 11): one teacher's grid (Toán, 44 students × 6 columns, ≈ 33 KB of JSON) read again
 * and again over 10 and 50 connections, against the API (bench/storm-server.ts, its own process) and, in the same
 * run, against a bare Express 5 app serving the same JSON (bench/bare-server.ts). The load comes from autocannon in
 * this process. Reports requests/s and latency of each, and the API's share of the bare ceiling.
 *
 *   npx tsx bench/grid-read.ts                                   # SQLite
 *   BENCH_DATABASE_URL=postgres://… npx tsx bench/grid-read.ts   # PostgreSQL
 *   BENCH_SECONDS=10 npx tsx bench/grid-read.ts
 *   STORM_PROF=DIR npx tsx bench/grid-read.ts                   # the API's --cpu-prof into DIR
 *
 * Targets: with 10 connections, at least 25 % of the bare ceiling on SQLite and 20 % on PostgreSQL.
 */
import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import autocannon from 'autocannon';
import { createSecretBox } from '../server/auth/secret-box';
import { seedDemo } from '../server/demo/seed';
import { call, freshBenchDb, login, testLikeConfig } from './common';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);

function start(script: string, env: Record<string, string>, prof = ''): Promise<{ child: ChildProcess; port: number }> {
  const execArgv = ['--import', 'tsx', ...(prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [])];
  const child = fork(new URL(script, import.meta.url), [], { env: { ...process.env, ...env }, execArgv });
  return new Promise((resolve) => child.once('message', (m) => resolve({ child, port: (m as { port: number }).port })));
}

async function load(url: string, connections: number, headers: Record<string, string>) {
  const r = await autocannon({ url, connections, duration: SECONDS, headers });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 };
}

async function main() {
  const { db, url, drop } = await freshBenchDb();
  const config = testLikeConfig(url);
  await seedDemo(db, { secretBox: createSecretBox(config.sessionSecret), students: 2000 });
  const g = (await db('teaching_assignments as a')
    .join('subjects as s', 's.id', 'a.subject_id')
    .join('users as u', 'u.staff_id', 'a.staff_id')
    .where('s.code', 'TOAN')
    .orderBy('a.class_id')
    .first('a.class_id', 'a.subject_id', 'u.username')) as { class_id: number; subject_id: number; username: string };
  const semester = (await db('semesters').where({ number: 1 }).first('id')) as { id: number };
  const path = `/api/gradebook?classId=${g.class_id}&subjectId=${g.subject_id}&semesterId=${semester.id}`;

  const api = await start('./storm-server.ts', { DATABASE_URL: url, SESSION_SECRET: config.sessionSecret }, process.env.STORM_PROF);
  const apiBase = `http://127.0.0.1:${api.port}`;
  const session = await login(apiBase, g.username);
  const grid = await call(apiBase, session, 'GET', path);
  if (grid.status !== 200) throw new Error(`grid: ${grid.status}`);
  const json = JSON.stringify(grid.body);
  const bare = await start('./bare-server.ts', { GRID_JSON: json });
  const bareBase = `http://127.0.0.1:${bare.port}`;

  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0].model}, Node ${process.version}, ${process.env.BENCH_DATABASE_URL ? 'PostgreSQL' : 'SQLite'}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`grid: ${(json.length / 1024).toFixed(1)} KiB of JSON, ${(grid.body as { rows: unknown[] }).rows.length} students; ${SECONDS} s per run`);
  const headers = { cookie: session.cookie };
  for (const connections of [10, 50]) {
    await load(bareBase + path, connections, {}); // warm-up of both, not counted
    await load(apiBase + path, connections, headers);
    const b = await load(bareBase + path, connections, {});
    const a = await load(apiBase + path, connections, headers);
    const fmt = (x: { rps: number; p50: number; p99: number }) => `${x.rps.toFixed(0)} req/s (p50 ${x.p50} ms, p99 ${x.p99} ms)`;
    console.log(`${connections} connections: bare Express ${fmt(b)}; API ${fmt(a)} = ${((a.rps / b.rps) * 100).toFixed(1)} % of bare`);
  }
  for (const c of [api.child, bare.child]) {
    c.kill('SIGINT');
    await new Promise((r) => c.once('exit', r));
  }
  await drop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
