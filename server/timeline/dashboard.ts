/**
 * The vice principals' deadline dashboard (issue 9): within the reader's progress reach (domain/permissions
 * progressReach/reachCovers, as the progress page), how complete entry was at each past weekly cutoff per
 * department (cells required by the cutoff vs entered by then: assessment_scores.first_entered_at ≤ cutoff),
 * how complete each teacher is now in the current semester, and the overdue cells per class × subject.
 * The counting is domain/progress.ts's (slots, tallies); the data is three set-based queries for the whole year.
 */
import { VN_OFFSET_MS } from '../../domain/cutoffs';
import { canReadTimeline, progressReach, reachCovers } from '../../domain/permissions';
import { percent, slotsOf, tallyGradebook, weeklyCutoffs, type Filled, type SemesterSpan } from '../../domain/progress';
import { principalOf, type Actor } from '../core/actor';
import { forbidden, notFound } from '../core/errors';
import { nowIso, type Db } from '../db/knex';
import { loadSettings } from '../gradebook/guards';
import { bookKey, holidaysOf, loadBooks, rosterSizes, testDatesOf, type Book } from '../progress/queries';

interface Semester extends SemesterSpan {
  id: number;
  number: number;
}

/** Per grade book and semester: each student's entries (kind and first entry instant). */
type Entries = Map<string, Map<number, Array<{ kind: string; at: string }>>>;

async function entriesOf(db: Db, schoolYearId: number): Promise<Entries> {
  const rows = (await db('assessment_scores as a')
    .join('semesters as s', 's.id', 'a.semester_id')
    .where('s.school_year_id', schoolYearId)
    .whereExists(function roster(this: import('knex').Knex.QueryBuilder) {
      this.select(db.raw('1')).from('enrolments as e').whereRaw('e.class_id = a.class_id').whereRaw('e.student_id = a.student_id').where('e.status', 'active');
    })
    .select('a.semester_id', 'a.class_id', 'a.subject_id', 'a.student_id', 'a.kind', 'a.first_entered_at')) as Array<Record<string, unknown>>;
  const out: Entries = new Map();
  for (const r of rows) {
    const key = `${r.semester_id}:${bookKey(Number(r.class_id), Number(r.subject_id))}`;
    const book = out.get(key) ?? new Map();
    const list = book.get(Number(r.student_id)) ?? [];
    list.push({ kind: String(r.kind), at: new Date(String(r.first_entered_at)).toISOString() });
    book.set(Number(r.student_id), list);
    out.set(key, book);
  }
  return out;
}

/** The fill histogram of one grade book as of instant `at` (students with nothing entered by then included). */
function groupsAt(students: Map<number, Array<{ kind: string; at: string }>> | undefined, roster: number, at: string): Array<{ filled: Filled; students: number }> {
  const counts = new Map<string, { filled: Filled; students: number }>();
  let seen = 0;
  for (const list of students?.values() ?? []) {
    const f: Filled = { regular: 0, midterm: false, final: false };
    for (const e of list) {
      if (e.at > at) continue;
      if (e.kind === 'regular') f.regular++;
      else if (e.kind === 'midterm') f.midterm = true;
      else if (e.kind === 'final') f.final = true;
    }
    seen++;
    const k = `${f.regular}:${f.midterm}:${f.final}`;
    const g = counts.get(k) ?? { filled: f, students: 0 };
    g.students++;
    counts.set(k, g);
  }
  const empty = Math.max(roster - seen, 0);
  return [...counts.values(), ...(empty > 0 ? [{ filled: { regular: 0, midterm: false, final: false }, students: empty }] : [])];
}

const vnToday = (now: string) => new Date(Date.parse(now) + VN_OFFSET_MS).toISOString().slice(0, 10);

export async function timelineDashboard(db: Db, actor: Actor, schoolYearId: number, now = nowIso()) {
  const year = (await db('school_years').where({ id: schoolYearId }).first('id', 'school_id')) as { id: number; school_id: number } | undefined;
  if (!year) throw notFound('school-years', schoolYearId);
  const schoolId = Number(year.school_id);
  const p = principalOf(actor);
  if (!canReadTimeline(p, schoolId)) throw forbidden();
  const reach = progressReach(p, schoolId) ?? { kind: 'some' as const, grades: [], departmentIds: [], classIds: [], assignments: [] };
  const [settings, holidays] = await Promise.all([loadSettings(db, schoolId), holidaysOf(db, schoolYearId)]);
  const semesters = ((await db('semesters').where({ school_year_id: schoolYearId }).orderBy('number')) as Array<Record<string, unknown>>).map(
    (s): Semester => ({ id: Number(s.id), number: Number(s.number), startDate: String(s.start_date), endDate: String(s.end_date), holidays }),
  );
  const today = vnToday(now);
  const started = semesters.filter((s) => s.startDate <= today);
  const current = started.find((s) => today <= s.endDate) ?? started[started.length - 1] ?? semesters[0];
  const books = (await loadBooks(db, schoolYearId)).filter((b) => reachCovers(reach, { schoolId, ...b }));
  const empty = { now, semester: current ?? null, departments: [], weeks: [], teachers: [], heat: { classes: [], subjects: [], cells: [] } };
  if (books.length === 0 || !current) return empty;
  const [entries, sizes, testDatesBySem] = await Promise.all([
    entriesOf(db, schoolYearId),
    rosterSizes(db, schoolYearId, null),
    Promise.all(started.map(async (s) => [s.id, await testDatesOf(db, s.id)] as const)),
  ]);
  const testDates = new Map(testDatesBySem);
  const slotsFor = (b: Book, s: Semester) => slotsOf(b.regularCount, testDates.get(s.id)?.get(bookKey(b.classId, b.subjectId)) ?? { midterm: null, final: null }, s, settings);
  const tally = (b: Book, s: Semester, at: string) =>
    tallyGradebook(slotsFor(b, s), groupsAt(entries.get(`${s.id}:${bookKey(b.classId, b.subjectId)}`), sizes.get(b.classId) ?? 0, at), at, { from: at, until: at });

  // Completion over the weeks, per department: every past weekly cutoff of the semesters begun so far.
  const deptKey = (b: Book) => b.departmentId ?? 0;
  const departments = [...new Map(books.map((b) => [deptKey(b), { id: b.departmentId, name: b.departmentName }])).values()].sort((a, b) =>
    String(a.name ?? '~').localeCompare(String(b.name ?? '~'), 'vi'),
  );
  const weeks: Array<{ cutoff: string; semesterId: number; values: Array<{ departmentId: number | null; required: number; entered: number; percent: number | null }> }> = [];
  for (const s of started) {
    for (const cutoff of weeklyCutoffs(s, settings).filter((c) => c <= now)) {
      const acc = new Map<number, { required: number; entered: number }>();
      for (const b of books) {
        const t = tally(b, s, cutoff);
        const a = acc.get(deptKey(b)) ?? { required: 0, entered: 0 };
        a.required += t.required;
        a.entered += t.entered;
        acc.set(deptKey(b), a);
      }
      weeks.push({
        cutoff,
        semesterId: s.id,
        values: departments.map((d) => {
          const a = acc.get(d.id ?? 0) ?? { required: 0, entered: 0 };
          return { departmentId: d.id, ...a, percent: percent(a.entered, a.required) };
        }),
      });
    }
  }

  // Now, in the current semester: per teacher, and the overdue cells per class × subject.
  const teachers = new Map<number, { id: number; name: string; required: number; entered: number; overdueCells: number }>();
  const cells: Array<{ classId: number; subjectId: number; required: number; overdueCells: number; maxOverdueHours: number | null }> = [];
  for (const b of books) {
    const t = tally(b, current, now);
    const row = teachers.get(b.teacherId) ?? { id: b.teacherId, name: b.teacherName, required: 0, entered: 0, overdueCells: 0 };
    row.required += t.required;
    row.entered += t.entered;
    row.overdueCells += t.overdueCells;
    teachers.set(b.teacherId, row);
    cells.push({ classId: b.classId, subjectId: b.subjectId, required: t.required, overdueCells: t.overdueCells, maxOverdueHours: t.maxOverdueHours });
  }
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'vi', { numeric: true });
  return {
    now,
    semester: current,
    departments,
    weeks,
    teachers: [...teachers.values()].map((t) => ({ ...t, percent: percent(t.entered, t.required) })).sort(byName),
    heat: {
      classes: [...new Map(books.map((b) => [b.classId, { id: b.classId, name: b.className, grade: b.grade }])).values()].sort(byName),
      subjects: [...new Map(books.map((b) => [b.subjectId, { id: b.subjectId, name: b.subjectName }])).values()].sort(byName),
      cells,
    },
  };
}
