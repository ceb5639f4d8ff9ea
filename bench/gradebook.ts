/**
 * Grade-book benchmark (issue 3 targets, on a generated school of ~2,000 students / ~47 classes):
 *   - loading one grid: < 30 ms p95 server time
 *   - saving a whole grid (every cell of every student): < 50 ms p95 server time
 *
 *   npx tsx bench/gradebook.ts                              # SQLite (temp file)
 *   BENCH_DATABASE_URL=postgres://postgres:hocba-test@127.0.0.1:5432/test npx tsx bench/gradebook.ts
 *
 * Server time is read from the API's `Server-Timing: app;dur=…` header (time in the Express handler chain,
 * excluding the client and the network), over a real HTTP server on loopback. The students' stored year results
 * are recomputed right after each save's commit; the last line reports save + that recompute together.
 */
import type { AddressInfo } from 'node:net';
import { createApp } from '../server/app';
import { createSecretBox } from '../server/auth/secret-box';
import { seedDemo } from '../server/demo/seed';
import { whenSettled } from '../server/results/recompute';
import { call, freshBenchDb, login, percentile, testLikeConfig } from './common';

const LOADS = Number(process.env.BENCH_LOADS ?? 200);
const SAVES = Number(process.env.BENCH_SAVES ?? 100);

async function main() {
  const { db, url, drop } = await freshBenchDb();
  const config = testLikeConfig(url);
  await seedDemo(db, { secretBox: createSecretBox(config.sessionSecret), students: 2000 });
  const server = createApp({ db, config }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // The biggest subject (most regular assessments) taught in a full class: the heaviest grid there is.
  const semester = (await db('semesters').where({ number: 1 }).first()) as { id: number };
  const target = (await db('teaching_assignments as a')
    .join('subjects as s', 's.id', 'a.subject_id')
    .join('users as u', 'u.staff_id', 'a.staff_id')
    .where('s.assessment_type', 'scored')
    .where('s.periods_per_year', 'like', '%140%')
    .select('a.class_id', 'a.subject_id', 'u.username')
    .first()) as { class_id: number; subject_id: number; username: string };
  const session = await login(base, target.username);
  const yesterday = new Date(Date.now() + 7 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);
  for (const kind of ['midterm', 'final']) {
    await call(base, session, 'PUT', '/api/gradebook/test-dates', { classId: target.class_id, subjectId: target.subject_id, semesterId: semester.id, kind, testDate: yesterday });
  }
  const q = `/api/gradebook?classId=${target.class_id}&subjectId=${target.subject_id}&semesterId=${semester.id}`;

  const loadTimes: number[] = [];
  for (let i = 0; i < LOADS; i++) loadTimes.push((await call(base, session, 'GET', q)).ms);

  let grid = (await call(base, session, 'GET', q)).body as Grid;
  const saveTimes: number[] = [];
  const settleTimes: number[] = [];
  let cellsPerSave = 0;
  for (let i = 0; i < SAVES; i++) {
    const cells = grid.rows.flatMap((row) =>
      grid.columns.map((col) => {
        const cell = row.cells[`${col.kind}:${col.seq}`];
        // Alternate values so every cell really changes on every save.
        return { studentId: row.student.id, kind: col.kind, seq: col.seq, value: String(5 + ((i + row.student.id + col.seq) % 5)) + ',5', version: cell.version };
      }),
    );
    const comments = grid.rows.map((row) => ({ studentId: row.student.id, text: `Tiến bộ, cần cố gắng thêm (${i})`, version: row.comment.version }));
    cellsPerSave = cells.length + comments.length;
    const wallStart = performance.now();
    const res = await call(base, session, 'PUT', '/api/gradebook', { classId: target.class_id, subjectId: target.subject_id, semesterId: semester.id, cells, comments });
    if (res.status !== 200) throw new Error(`save failed: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    saveTimes.push(res.ms);
    grid = res.body as Grid;
    // The stored year results follow each save right after its commit; wait for them (as a teacher's next save
    // would, seconds later) so each save is measured alone, and report how long results took to settle.
    while (Number(((await db('results_pending').count({ n: '*' }).first()) as { n: number }).n) > 0) await new Promise((r) => setTimeout(r, 2));
    settleTimes.push(performance.now() - wallStart);
  }

  const report = (name: string, xs: number[]) =>
    console.log(`${name.padEnd(34)} n=${xs.length}  p50 ${percentile(xs, 50).toFixed(1)} ms  p95 ${percentile(xs, 95).toFixed(1)} ms  max ${Math.max(...xs).toFixed(1)} ms`);
  console.log(`database: ${url.replace(/\/\/[^@]*@/, '//…@')}  grid: ${grid.rows.length} students × ${grid.columns.length} columns`);
  report('load one grid', loadTimes);
  report(`save whole grid (${cellsPerSave} cells+comments)`, saveTimes);
  report('save until year results stored (wall)', settleTimes);
  server.close();
  await whenSettled();
  await drop();
}

interface Grid {
  columns: Array<{ kind: string; seq: number }>;
  rows: Array<{ student: { id: number }; cells: Record<string, { version: number }>; comment: { version: number } }>;
}

await main();
