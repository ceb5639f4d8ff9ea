/**
 * Results benchmark (issue 3 target: recomputing the whole school's year results under 2 s, SQLite and PostgreSQL).
 *
 *   npx tsx bench/recompute.ts                              # SQLite (temp file)
 *   BENCH_DATABASE_URL=postgres://postgres:hocba-test@127.0.0.1:5432/test npx tsx bench/recompute.ts
 *
 * Seeds a ~2,000-student school, fills every grade book of both semesters (every cell of every subject, conduct
 * and absences) from a deterministic generator, then times recomputeSchool:
 *   - cold: the stored results emptied before each run, so every row is computed and written;
 *   - warm: nothing changed since the last run, so every row is computed and compared, none written.
 * Then the grade-book listener's share of a grid save: one class × subject's cells changed and its 45 students
 * recomputed (whole year, every subject) inside the transaction, as a save does; and whole grid saves through the
 * API (PUT /api/gradebook, Server-Timing) with the year's data in place, listener included.
 * On a shared machine wall time varies with the neighbours' load; this process's CPU time is printed beside it
 * (for SQLite, which runs in-process, it is close to what an idle machine's wall time would be).
 */
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { createApp } from '../server/app';
import { createSecretBox } from '../server/auth/secret-box';
import type { Db } from '../server/db/knex';
import { DEMO_PASSWORD, seedDemo } from '../server/demo/seed';
import { createRng } from '../server/core/random';
import { loadYearContext, subjectsForGrade } from '../server/results/inputs';
import { recomputeSchool, recomputeStudents, whenSettled } from '../server/results/recompute';
import { freshBenchDb, percentile, testLikeConfig } from './common';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const LISTENER_RUNS = Number(process.env.BENCH_LISTENER_RUNS ?? 30);
const GRID_SAVES = Number(process.env.BENCH_SAVES ?? 40);
const CHUNK = 500;

async function insertChunks(db: Db, table: string, rows: Record<string, unknown>[]): Promise<void> {
  await db.transaction(async (trx) => {
    for (let i = 0; i < rows.length; i += CHUNK) await trx(table).insert(rows.slice(i, i + CHUNK));
  });
}

/** Every cell of both semesters, conduct and absences: a student's ability sets the level, noise the rest. */
export async function fillYear(db: Db, schoolYearId: number): Promise<{ cells: number; students: number }> {
  const rng = createRng(20262027);
  const ctx = await loadYearContext(db, schoolYearId);
  const admin = (await db('users').where({ username: 'admin' }).first('id')) as { id: number };
  const enrolled = (await db('enrolments as e')
    .join('classes as c', 'c.id', 'e.class_id')
    .where({ 'e.school_year_id': schoolYearId, 'e.status': 'active' })
    .orderBy('e.student_id')
    .select('e.student_id', 'e.class_id', 'c.grade')) as Array<{ student_id: number; class_id: number; grade: number }>;
  const now = new Date().toISOString();
  const stamp = { first_entered_at: now, entered_by: admin.id, updated_at: now, updated_by: admin.id, version: 1 };
  const score = (mean: number) => Math.min(10, Math.max(0, Math.round((mean + (rng.next() - 0.5) * 3) * 10) / 10));
  const cells: Record<string, unknown>[] = [];
  const conduct: Record<string, unknown>[] = [];
  for (const e of enrolled) {
    const ability = 3.5 + rng.next() * 6;
    for (const [sem, semesterId] of [
      ['hk1', ctx.semesters.hk1!],
      ['hk2', ctx.semesters.hk2!],
    ] as const) {
      for (const s of subjectsForGrade(ctx, Number(e.grade))) {
        const base = { school_id: ctx.schoolId, semester_id: semesterId, class_id: e.class_id, subject_id: s.id, student_id: e.student_id, ...stamp };
        const value = () =>
          s.kind === 'scored' ? { score: score(ability), grade_text: null } : { score: null, grade_text: rng.chance(ability < 4.5 ? 0.3 : 0.02) ? 'CD' : 'D' };
        for (let seq = 1; seq <= s.regularCount; seq++) cells.push({ ...base, kind: 'regular', seq, ...value() });
        cells.push({ ...base, kind: 'midterm', seq: 1, ...value() }, { ...base, kind: 'final', seq: 1, ...value() });
      }
      conduct.push({
        school_id: ctx.schoolId,
        semester_id: semesterId,
        class_id: e.class_id,
        student_id: e.student_id,
        conduct: rng.weighted([
          ['T', 70],
          ['K', 20],
          ['D', 8],
          ['CD', sem === 'hk2' ? 2 : 1],
        ] as const),
        absences_excused: rng.chance(0.02) ? rng.int(20, 30) : rng.int(0, 5),
        absences_unexcused: rng.int(0, 2),
        homeroom_comment: null,
        updated_by: admin.id,
        updated_at: now,
        version: 1,
      });
    }
  }
  await insertChunks(db, 'assessment_scores', cells);
  await insertChunks(db, 'conduct_records', conduct);
  return { cells: cells.length, students: enrolled.length };
}

/** PUT /api/gradebook on a real server (Server-Timing), as bench/gradebook.ts does, on the filled school. */
async function gridSaves(db: Db, target: { class_id: number; subject_id: number; username: string }, semesterId: number): Promise<{ ms: number[]; cells: number }> {
  const config = testLikeConfig('unused');
  const server = createApp({ db, config }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: target.username, password: DEMO_PASSWORD }) });
    const session = { cookie: /sid=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0], csrf: ((await login.json()) as { csrfToken: string }).csrfToken };
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(base + path, { method, headers: { Cookie: session.cookie, 'X-CSRF-Token': session.csrf, 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
      return { status: res.status, body: (await res.json()) as Grid, ms: Number(/dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '')?.[1] ?? NaN) };
    };
    const yesterday = new Date(Date.now() + 7 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);
    for (const kind of ['midterm', 'final']) {
      const r = await call('PUT', '/api/gradebook/test-dates', { classId: target.class_id, subjectId: target.subject_id, semesterId, kind, testDate: yesterday });
      if (r.status !== 200) throw new Error(`test date: ${r.status} ${JSON.stringify(r.body)}`);
    }
    const q = `/api/gradebook?classId=${target.class_id}&subjectId=${target.subject_id}&semesterId=${semesterId}`;
    let grid = (await call('GET', q)).body;
    const ms: number[] = [];
    let cells = 0;
    for (let i = 0; i < GRID_SAVES; i++) {
      const changes = grid.rows.flatMap((row) =>
        grid.columns.map((col) => ({ studentId: row.student.id, kind: col.kind, seq: col.seq, value: `${5 + ((i + row.student.id + col.seq) % 5)},5`, version: row.cells[`${col.kind}:${col.seq}`].version })),
      );
      cells = changes.length;
      const res = await call('PUT', '/api/gradebook', { classId: target.class_id, subjectId: target.subject_id, semesterId, cells: changes });
      if (res.status !== 200) throw new Error(`save: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      ms.push(res.ms);
      grid = res.body;
      // Each save's students are recomputed right after its commit: let that finish before the next save.
      await whenSettled();
    }
    return { ms, cells };
  } finally {
    server.close();
  }
}

interface Grid {
  columns: Array<{ kind: string; seq: number }>;
  rows: Array<{ student: { id: number }; cells: Record<string, { version: number }> }>;
}

const fmt = (xs: number[]) =>
  `min ${Math.min(...xs).toFixed(0)} ms, median ${percentile(xs, 50).toFixed(0)} ms, p95 ${percentile(xs, 95).toFixed(0)} ms  [${xs.map((x) => x.toFixed(0)).join(', ')}]`;

async function main() {
  const { db, drop } = await freshBenchDb();
  const kind = process.env.BENCH_DATABASE_URL ? 'PostgreSQL' : 'SQLite';
  try {
    await seedDemo(db, { secretBox: createSecretBox('bench-recompute-secret-0123456789abcdef'), students: 2000 });
    const year = (await db('school_years').first('id', 'school_id')) as { id: number; school_id: number };
    const t0 = Date.now();
    const filled = await fillYear(db, year.id);
    console.log(`${kind}: ${filled.students} students, ${filled.cells} cells of both semesters filled in ${Date.now() - t0} ms`);

    const cold: number[] = [];
    const coldCpu: number[] = [];
    let students = 0;
    for (let i = 0; i < RUNS; i++) {
      await db('student_subject_results').delete();
      await db('student_year_results').delete();
      const cpu = process.cpuUsage();
      const r = await recomputeSchool(db, year.school_id, year.id);
      const used = process.cpuUsage(cpu);
      cold.push(r.ms);
      coldCpu.push((used.user + used.system) / 1000);
      students = r.students;
    }
    const warm: number[] = [];
    for (let i = 0; i < RUNS; i++) warm.push((await recomputeSchool(db, year.school_id, year.id)).ms);
    const decisions = (await db('student_year_results').select('decision').count('* as n').groupBy('decision')) as Array<{ decision: string; n: number }>;
    console.log(`recomputeSchool, ${students} students (${decisions.map((d) => `${d.decision} ${d.n}`).join(', ')})`);
    console.log(`  cold (every row written): ${fmt(cold)}`);
    console.log(`    of which this process's CPU: ${fmt(coldCpu)}`);
    console.log(`  warm (nothing changed):   ${fmt(warm)}`);

    // The listener inside a grid save: a class × subject's cells change, its students' years are recomputed.
    const target = (await db('teaching_assignments as a')
      .join('subjects as s', 's.id', 'a.subject_id')
      .join('users as u', 'u.staff_id', 'a.staff_id')
      .where('s.assessment_type', 'scored')
      .where('s.periods_per_year', 'like', '%140%')
      .first('a.class_id', 'a.subject_id', 'u.username')) as { class_id: number; subject_id: number; username: string };
    const ids = ((await db('enrolments').where({ class_id: target.class_id, status: 'active' }).select('student_id')) as Array<{ student_id: number }>).map((r) =>
      Number(r.student_id),
    );
    const hk1 = (await db('semesters').where({ school_year_id: year.id, number: 1 }).first('id')) as { id: number };
    const listener: number[] = [];
    const listenerCpu: number[] = [];
    for (let i = 0; i < LISTENER_RUNS; i++) {
      await db.transaction(async (trx) => {
        await trx('assessment_scores')
          .where({ class_id: target.class_id, subject_id: target.subject_id, semester_id: hk1.id })
          .update({ score: 4 + (i % 6) });
        const start = process.hrtime.bigint();
        const cpu = process.cpuUsage();
        await recomputeStudents(trx, year.id, target.class_id, ids, { changedSubjectId: target.subject_id });
        const used = process.cpuUsage(cpu);
        listener.push(Number(process.hrtime.bigint() - start) / 1e6);
        listenerCpu.push((used.user + used.system) / 1000);
      });
    }
    console.log(`listener alone (${ids.length} students' years after one subject changed, in the save's transaction): ${fmt(listener).replace(/ \[.*$/, '')}; CPU ${fmt(listenerCpu).replace(/ \[.*$/, '')}`);

    // The whole grid save through the API, every cell of the grid changed, with the year data of every subject in place.
    const saves = await gridSaves(db, target, hk1.id);
    console.log(`grid save through the API (${saves.cells} cells, server time): ${fmt(saves.ms).replace(/ \[.*$/, '')}`);
  } finally {
    await drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
