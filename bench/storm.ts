/**
 * Friday 14:55 (issue 11): 45 teachers, each saving their own whole grid (every score cell and comment) again and
 * again for 60 s, against the API in its own process (bench/storm-server.ts) on the 2,000-student school.
 *
 *   npx tsx bench/storm.ts                                   # SQLite
 *   BENCH_DATABASE_URL=postgres://… npx tsx bench/storm.ts   # PostgreSQL
 *   BENCH_SECONDS=30 BENCH_TEACHERS=45 npx tsx bench/storm.ts
 *   BENCH_PROCESSES=2 BENCH_DATABASE_URL=postgres://… npx tsx bench/storm.ts   # two API processes, one database
 *   STORM_PROF=/tmp/prof npx tsx bench/storm.ts             # CPU profiles of the API process(es)
 *   STORM_NODE_FLAGS='--max-semi-space-size=32' npx tsx bench/storm.ts   # Node flags for the API process(es)
 *
 * Reports saves per second, each save's latency as the teacher sees it (p50/p99/max, and each teacher's first save
 * apart), the server's event-loop delay, then checks that nothing was lost or duplicated: every teacher's grid holds
 * exactly the values of their last accepted save, there is one audit row per accepted save, and the audit chains
 * verify; and it reports how long after the last save every result was stored (the recompute follows, paced). With BENCH_PROCESSES=2, teachers sign in on the first process and save on either (sessions, audit chains
 * and everything else must live in the database), and the final check reads through the last one.
 * Also reported: CPU a save of the server, of the clients and (PostgreSQL on this machine) of PostgreSQL's processes;
 * the statements the server sent, per save and the most frequent (BENCH_STATEMENTS=N lists N); on PostgreSQL, the
 * share of score updates made in place (HOT).
 * Targets: p99 < 500 ms, no save over 2 s, 3× the saves per second measured before (≈ 43/s); two processes on
 * PostgreSQL ≥ 1.7× one.
 */
import { fork } from 'node:child_process';
import os from 'node:os';
import { verifyChain } from '../server/audit/audit-log';
import { checkpointKeyFrom } from '../server/core/audit-checkpoints';
import { selectRows, type Db } from '../server/db/knex';
import { createSecretBox } from '../server/auth/secret-box';
import { seedDemo } from '../server/demo/seed';
import { call, freshBenchDb, login, percentile, processesCpuMs, testLikeConfig } from './common';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const TEACHERS = Number(process.env.BENCH_TEACHERS ?? 45);
const PROCESSES = Number(process.env.BENCH_PROCESSES ?? 1);

interface Grid {
  columns: Array<{ kind: string; seq: number }>;
  rows: Array<{ student: { id: number }; cells: Record<string, { version: number; value: string | null }>; comment: { version: number; text: string | null } }>;
}
async function main() {
  const { db, url, drop } = await freshBenchDb();
  const config = testLikeConfig(url);
  await seedDemo(db, { secretBox: createSecretBox(config.sessionSecret), students: 2000 });
  const semester = (await db('semesters').where({ number: 1 }).first('id')) as { id: number };
  // One grid per teacher, their own: the first scored subject they teach, in a distinct class × subject.
  const assignments = (await db('teaching_assignments as a')
    .join('subjects as s', 's.id', 'a.subject_id')
    .join('users as u', 'u.staff_id', 'a.staff_id')
    .where('s.assessment_type', 'scored')
    .orderBy(['u.id', 'a.class_id'])
    .select('a.class_id', 'a.subject_id', 'u.username')) as Array<{ class_id: number; subject_id: number; username: string }>;
  const seen = new Set<string>();
  const grids = assignments.filter((a) => !seen.has(a.username) && (seen.add(a.username), true)).slice(0, TEACHERS);
  if (grids.length < TEACHERS) throw new Error(`only ${grids.length} teachers with a scored subject`);

  // BENCH_PROCESSES API processes on the one database; teachers are spread over them round-robin.
  const servers = await Promise.all(
    Array.from({ length: PROCESSES }, async () => {
      const child = fork(new URL('./storm-server.ts', import.meta.url), [], {
        env: { ...process.env, DATABASE_URL: url, SESSION_SECRET: config.sessionSecret },
        execArgv: ['--import', 'tsx', ...(process.env.STORM_NODE_FLAGS ? process.env.STORM_NODE_FLAGS.split(' ') : []), ...(process.env.STORM_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.STORM_PROF}`] : [])],
      });
      const ask = <T>(m: string) => new Promise<T>((resolve) => (child.once('message', (r) => resolve(r as T)), m && child.send(m)));
      const { port } = await ask<{ port: number }>('');
      return { child, ask, base: `http://127.0.0.1:${port}` };
    }),
  );
  // Every teacher signs in on the first process and works on theirs: nothing about a session may live in one process.
  const base = servers[0].base;
  const yesterday = new Date(Date.now() + 7 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);
  const signedIn = [];
  for (const g of grids) {
    const s = await login(base, g.username);
    const key = { classId: g.class_id, subjectId: g.subject_id, semesterId: semester.id };
    for (const kind of ['midterm', 'final']) await call(base, s, 'PUT', '/api/gradebook/test-dates', { ...key, kind, testDate: yesterday });
    signedIn.push({ ...g, s, key, base: servers[signedIn.length % PROCESSES].base });
  }
  // Every teacher opens their grid at once, as 45 browsers would have it open before saving: this also opens the
  // client's 45 connections before the clock starts (opened during the storm, they joined one per round).
  const teachers = await Promise.all(
    signedIn.map(async (t) => {
      const grid = (await call(t.base, t.s, 'GET', `/api/gradebook?classId=${t.class_id}&subjectId=${t.subject_id}&semesterId=${semester.id}`)).body as Grid;
      return { ...t, grid, lastSent: new Map<string, string>(), accepted: 0 };
    }),
  );
  const auditBefore = Number(((await db('audit_events').where({ action: 'gradebook_save' }).count({ n: '*' }).first()) as { n: number | string }).n);
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0].model}, Node ${process.version}, ${process.env.BENCH_DATABASE_URL ? 'PostgreSQL' : 'SQLite'}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`${teachers.length} teachers, each their own grid (${teachers.reduce((a, t) => a + t.grid.rows.length, 0)} students in all), ${SECONDS} s`);

  for (const sv of servers) sv.child.send('reset');
  const clientCpu = process.cpuUsage();
  const pgCpu = url.startsWith('postgres') ? processesCpuMs('postgres') : null;
  const latencies: number[] = [];
  const firsts: number[] = [];
  const refused: Record<number, number> = {};
  const until = performance.now() + SECONDS * 1000;
  await Promise.all(
    teachers.map(async (t, ti) => {
      for (let i = 0; performance.now() < until; i++) {
        const g = t.grid;
        const sent = new Map<string, string>();
        const cells = g.rows.flatMap((row) =>
          g.columns.map((col) => {
            const value = `${5 + ((i + ti + row.student.id + col.seq) % 5)},${(i + col.seq) % 10}`;
            sent.set(`${row.student.id}:${col.kind}:${col.seq}`, value);
            return { studentId: row.student.id, kind: col.kind, seq: col.seq, value, version: row.cells[`${col.kind}:${col.seq}`].version };
          }),
        );
        const comments = g.rows.map((row) => ({ studentId: row.student.id, text: `Lần lưu ${i}`, version: row.comment.version }));
        const t0 = performance.now();
        const res = await call(t.base, t.s, 'PUT', '/api/gradebook', { ...t.key, cells, comments });
        const ms = performance.now() - t0;
        latencies.push(ms);
        if (i === 0) firsts.push(ms);
        if (res.status !== 200) {
          refused[res.status] = (refused[res.status] ?? 0) + 1;
          t.grid = (await call(t.base, t.s, 'GET', `/api/gradebook?classId=${t.key.classId}&subjectId=${t.key.subjectId}&semesterId=${t.key.semesterId}`)).body as Grid;
          continue;
        }
        t.accepted++;
        t.lastSent = sent;
        t.grid = res.body as Grid;
      }
    }),
  );
  const stats = await Promise.all(servers.map((sv) => sv.ask<{ p50: number; p90: number; p99: number; max: number; cpuMs: number; systemMs: number; statements: Array<[string, number]> }>('stats')));
  const used = process.cpuUsage(clientCpu);
  const pgUsed = pgCpu === null ? null : processesCpuMs('postgres')! - pgCpu;
  // The results (averages, year outcomes) follow the saves, paced: how long after the last save they are all stored.
  const stormEnded = performance.now();
  const pending = async () => Number(((await db('results_pending').count({ n: '*' }).first()) as { n: number | string }).n);
  const markedAtEnd = await pending();
  while ((await pending()) > 0 && performance.now() - stormEnded < 120_000) await new Promise((r) => setTimeout(r, 100));
  const settledAfter = (performance.now() - stormEnded) / 1000;
  const saves = latencies.length;
  const fmt = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(0)} ms, p99 ${percentile(xs, 99).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms`;
  console.log(`saves: ${saves} in ${SECONDS} s = ${(saves / SECONDS).toFixed(1)}/s; refused: ${JSON.stringify(refused)}`);
  console.log(`save latency (client): ${fmt(latencies)}; over 2 s: ${latencies.filter((x) => x > 2000).length}`);
  console.log(`each teacher's first save: ${fmt(firsts)}`);
  for (const [i, eld] of stats.entries()) console.log(`server ${i + 1} event-loop delay: p50 ${eld.p50} ms, p90 ${eld.p90} ms, p99 ${eld.p99} ms, max ${eld.max} ms`);
  const share = (ms: number) => `${((ms / (SECONDS * 1000)) * 100).toFixed(0)} % of a core, ${(ms / saves).toFixed(1)} ms a save`;
  console.log(`results: ${markedAtEnd} students still to recompute when the storm ended; all stored ${settledAfter.toFixed(1)} s later`);
  const serverMs = stats.reduce((a, x) => a + x.cpuMs, 0);
  const kernel = `${((stats.reduce((a, x) => a + x.systemMs, 0) / serverMs) * 100).toFixed(0)} % of it in the kernel`;
  console.log(`CPU: server${PROCESSES > 1 ? 's' : ''} ${share(serverMs)} (${kernel}); the ${teachers.length} clients (this process) ${share((used.user + used.system) / 1000)}${pgUsed === null ? '' : `; PostgreSQL (this machine's postgres processes) ${share(pgUsed)}`}`);
  const statements = new Map<string, number>();
  for (const s of stats) for (const [text, n] of s.statements) statements.set(text, (statements.get(text) ?? 0) + n);
  const sent = [...statements.values()].reduce((a, n) => a + n, 0);
  console.log(`statements: ${sent} = ${(sent / saves).toFixed(1)} a save (with the sign-ins' and results' share); the most sent:`);
  for (const [text, n] of [...statements].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.BENCH_STATEMENTS ?? 8))) console.log(`  ${(n / saves).toFixed(2)} a save  ${text}`);

  // Nothing lost, nothing doubled.
  let lost = 0;
  for (const t of teachers) {
    const g = (await call(servers[servers.length - 1].base, t.s, 'GET', `/api/gradebook?classId=${t.key.classId}&subjectId=${t.key.subjectId}&semesterId=${t.key.semesterId}`)).body as Grid;
    const num = (v: string | null | undefined) => (v === null || v === undefined ? NaN : Number(v.replace(',', '.')));
    for (const row of g.rows) {
      for (const col of g.columns) if (num(row.cells[`${col.kind}:${col.seq}`].value) !== num(t.lastSent.get(`${row.student.id}:${col.kind}:${col.seq}`))) lost++;
    }
  }
  const accepted = teachers.reduce((a, t) => a + t.accepted, 0);
  const audited = Number(((await db('audit_events').where({ action: 'gradebook_save' }).count({ n: '*' }).first()) as { n: number | string }).n) - auditBefore;
  // The saves' signed checkpoints follow their commits (PostgreSQL): every chain the storm wrote is signed at its head.
  const signedAfter = await headsSigned(db);
  const checkpoints = Number(((await db('audit_checkpoints').count({ n: '*' }).first()) as { n: number | string }).n);
  const chain = await verifyChain(db, { key: checkpointKeyFrom(config) });
  if (url.startsWith('postgres')) {
    // How many of the storm's score updates PostgreSQL made in place (HOT: no new index entries), a page's free space
    // permitting; statistics reach the view within a second or so of the commits.
    await new Promise((r) => setTimeout(r, 1000));
    const [t] = await selectRows<{ upd: number; hot: number }>(db, `select n_tup_upd as upd, n_tup_hot_upd as hot from pg_stat_user_tables where relname = 'assessment_scores'`, []);
    console.log(`score rows updated: ${t.upd}, in place (HOT) ${t.hot} = ${((100 * Number(t.hot)) / Math.max(1, Number(t.upd))).toFixed(0)} %`);
  }
  console.log(`check: ${lost} cells differ from the last accepted save; ${accepted} saves accepted, ${audited} audit rows; audit chains ${chain.ok ? 'intact' : `BROKEN (${chain.reason})`}${chain.warning ? ` (${chain.warning})` : ''}`);
  console.log(`checkpoints: ${checkpoints} signed in all; the storm's chains signed at their heads ${signedAfter === null ? 'NOT within 30 s' : `${signedAfter.toFixed(1)} s after the last save`}`);
  for (const sv of servers) {
    sv.child.kill('SIGINT');
    await new Promise((r) => sv.child.once('exit', r));
  }
  await drop();
  if (lost > 0 || audited !== accepted || !chain.ok || signedAfter === null || (markedAtEnd > 0 && settledAfter >= 120)) process.exit(1);
}

/** Seconds until each chain holding a grid save has a checkpoint at its head (null: not within 30 s). */
async function headsSigned(db: Db): Promise<number | null> {
  const start = performance.now();
  const unsigned = async () => {
    const [row] = await selectRows<{ n: number | string }>(
      db,
      `select count(*) as n from audit_chain_head h
       where h.id in (select distinct chain_id from audit_events where action = 'gradebook_save')
         and h.last_event_id > coalesce((select max(event_id) from audit_checkpoints c where c.chain_id = h.id), 0)`,
      [],
    );
    return Number(row.n);
  };
  while ((await unsigned()) > 0) {
    if (performance.now() - start > 30_000) return null;
    await new Promise((r) => setTimeout(r, 50));
  }
  return (performance.now() - start) / 1000;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
