/**
 * The education office benchmark (issue 13, "Education office (S1)": the deployment that outgrows one machine):
 * a generated office of BENCH_SCHOOLS schools (20) × BENCH_STUDENTS students (500) on one database — the demo school
 * plus generated ones (server/demo/office.ts), each with semester I's scores and its timeline — measures:
 *   (a) the office dashboard, GET /api/office/schools as `phonggd` over a real HTTP server: target < 1 s; beside it,
 *       in the same run, one school's own timeline page (GET /api/timelines/:id as its giáo vụ) as the baseline;
 *   (b) the drill-down of one school to its classes (GET /api/office/schools/:id);
 *   (c) one school's sync batch build (server/sync/operations.ts buildBatch, file transport: readiness of every
 *       student, the manifest sealed with the school seal, the records, the ZIP of every sealed XML): target < 10 s.
 *       Sealed transcripts exist only for a completed year, so the demo school's last year (previous-year.ts: its
 *       grade 7–9 students, about ¾ of the school) is taken through the whole signing chain first (timed apart);
 *       beside it, the readiness read alone as the baseline.
 *
 *   BENCH_DATABASE_URL=postgres://postgres:hocba-test@127.0.0.1:5432/test npx tsx bench/office.ts   # PostgreSQL (a new database, dropped after)
 *   npx tsx bench/office.ts                                                                         # SQLite (temp file)
 *   BENCH_SCHOOLS=5 BENCH_STUDENTS=200 BENCH_SIGN=0 npx tsx bench/office.ts                        # smaller; no sealing (no batch)
 *
 * `uptime` is printed before and after: the machine's 2 cores are shared, and the load shows beside the figures.
 */
import { execSync } from 'node:child_process';
import os from 'node:os';
import { createApp } from '../server/app';
import { actorOfUser } from '../server/auth/principal';
import { createSecretBox } from '../server/auth/secret-box';
import { DEMO_USERNAMES } from '../server/demo/accounts';
import { seedOfficeSchools } from '../server/demo/office';
import { seedDemoScores } from '../server/demo/scores';
import { seedDemo } from '../server/demo/seed';
import { seedDemoTimeline } from '../server/demo/timeline';
import { buildBatch } from '../server/sync/operations';
import { studentsForSync } from '../server/sync/readiness';
import { DEMO_PIN, seedDemoSigning, signPreviousYear } from '../server/transcripts/seed';
import { call, freshBenchDb, login, percentile, testLikeConfig } from './common';

const SCHOOLS = Number(process.env.BENCH_SCHOOLS ?? 20);
const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 500);
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const SIGN = process.env.BENCH_SIGN !== '0';

const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;
const stats = (xs: number[]) => `median ${ms(percentile(xs, 50))}, p95 ${ms(percentile(xs, 95))}, max ${ms(Math.max(...xs))} (n=${xs.length})`;
const uptime = () => execSync('uptime').toString().trim();
const secs = (t: number) => `${((performance.now() - t) / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  console.log(`office bench: ${SCHOOLS} schools × ${STUDENTS} students, ${process.env.BENCH_DATABASE_URL ? 'PostgreSQL' : 'SQLite'}; ${os.cpus().length} × ${os.cpus()[0]?.model}; node ${process.version}`);
  console.log(`load before: ${uptime()}`);
  const { db, url, drop } = await freshBenchDb();
  const config = testLikeConfig(url);
  const box = createSecretBox(config.sessionSecret);
  try {
    let t = performance.now();
    const accounts = await seedDemo(db, { secretBox: box, students: STUDENTS });
    await seedDemoScores(db);
    await seedDemoTimeline(db);
    await seedOfficeSchools(db, { schools: SCHOOLS - 1, students: STUDENTS, secretBox: box, scores: true, timeline: true });
    const students = Number(((await db('enrolments').where({ status: 'active' }).count({ n: '*' }).first()) as { n: number }).n);
    const scores = Number(((await db('assessment_scores').count({ n: '*' }).first()) as { n: number }).n);
    console.log(`seeded ${SCHOOLS} schools, ${students} enrolments, ${scores} scores in ${secs(t)}`);
    // A running database has been visited by autovacuum: planner statistics and the visibility map (index-only
    // scans) as it would have them, not those of tables filled a second ago (without, PostgreSQL plans the score
    // histograms on row estimates of 1: nested loops and heap fetches).
    await db.raw(process.env.BENCH_DATABASE_URL ? 'VACUUM ANALYZE' : 'ANALYZE');

    let lastYear: { schoolYearId: number; name: string } | null = null;
    if (SIGN) {
      t = performance.now();
      const seeded = await seedDemoSigning(db, { secretBox: box, sign: false });
      lastYear = seeded.previousYear;
      console.log(`demo school's last year (${lastYear?.name}) and its PKI in ${secs(t)}`);
      t = performance.now();
      const signed = await signPreviousYear(db, { schoolId: 1, schoolYearId: lastYear!.schoolYearId, box, publicUrl: 'http://localhost:3000' });
      console.log(`signing chain of that year: ${signed.opened} opened, ${signed.sealed} sealed in ${secs(t)}`);
    }

    const server = createApp({ db, config }).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`;
    const office = await login(base, DEMO_USERNAMES.education_office);
    const staff = await login(base, accounts.find((a) => a.role === 'academic_staff')!.username);
    const year = (await db('school_years').where({ school_id: 1, is_current: true }).first('id')) as { id: number };

    // (a) The office dashboard, and one school's own timeline page as the baseline (interleaved: same load for both).
    const measure = async (s: typeof office, path: string) => {
      const t0 = performance.now();
      const r = await call(base, s, 'GET', path);
      if (r.status !== 200) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
      return { server: r.ms, wall: performance.now() - t0, body: r.body };
    };
    await measure(office, '/api/office/schools'); // warm-up: the first request compiles the code paths
    await measure(staff, `/api/timelines/${year.id}`);
    const dash = { server: [] as number[], wall: [] as number[] };
    const own = { server: [] as number[], wall: [] as number[] };
    const drill = { server: [] as number[], wall: [] as number[] };
    let listed = 0;
    for (let i = 0; i < RUNS; i++) {
      const d = await measure(office, '/api/office/schools');
      listed = (d.body as { schools: unknown[] }).schools.length;
      dash.server.push(d.server);
      dash.wall.push(d.wall);
      const o = await measure(staff, `/api/timelines/${year.id}`);
      own.server.push(o.server);
      own.wall.push(o.wall);
      const c = await measure(office, '/api/office/schools/1');
      drill.server.push(c.server);
      drill.wall.push(c.wall);
    }
    console.log(`(a) office dashboard, ${listed} schools: server ${stats(dash.server)}; client ${stats(dash.wall)}  — target < 1 s`);
    console.log(`    baseline, one school's own timeline page: server ${stats(own.server)}; client ${stats(own.wall)}`);
    console.log(`(b) drill-down, one school's classes: server ${stats(drill.server)}; client ${stats(drill.wall)}`);
    if (lastYear) {
      const past = { server: [] as number[], wall: [] as number[] };
      for (let i = 0; i < Math.min(RUNS, 5); i++) {
        const d = await measure(office, `/api/office/schools?schoolYear=${lastYear.name}`);
        past.server.push(d.server);
        past.wall.push(d.wall);
      }
      console.log(`    office dashboard for ${lastYear.name} (the demo school's sealed year; the others have none): server ${stats(past.server)}`);
    }
    server.close();

    // (c) One school's sync batch, built as a vice principal would (file transport: nothing leaves the machine).
    if (lastYear) {
      const vp = await actorOfUser(db, Number(((await db('users').where({ username: accounts.find((a) => a.role === 'vice_principal')!.username }).first('id')) as { id: number }).id));
      const readiness: number[] = [];
      const builds: number[] = [];
      let last = { entries: 0, notReady: 0 };
      for (let i = 0; i < 3; i++) {
        let t0 = performance.now();
        await studentsForSync(db, 1, lastYear.schoolYearId);
        readiness.push(performance.now() - t0);
        t0 = performance.now();
        last = await buildBatch(db, vp, { schoolYearId: lastYear.schoolYearId, transport: 'file', pin: DEMO_PIN }, { box });
        builds.push(performance.now() - t0);
      }
      console.log(`(c) sync batch build, ${last.entries} sealed transcripts + ${last.notReady} not ready: ${stats(builds)}  — target < 10 s`);
      console.log(`    baseline, the readiness read alone: ${stats(readiness)}`);
    }
  } finally {
    await drop();
    console.log(`load after: ${uptime()}`);
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
