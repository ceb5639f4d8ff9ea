import type { CutoffSettings } from '../../domain/cutoffs';
import { addTallies, EMPTY_TALLY, overdueBy, overdueCellsOf, percent, slotsOf, tallyGradebook, type Filled, type OverdueCell, type SemesterSpan, type Tally } from '../../domain/progress';
import { bookKey, type Book, type StudentFill } from './queries';
import { t, type Lang } from '../core/i18n';

export const GROUP_BY = ['teacher', 'class', 'subject', 'department'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export interface Figures {
  required: number;
  entered: number;
  percent: number | null;
  overdueCells: number;
  maxOverdueHours: number | null;
  week: { required: number; entered: number; percent: number | null };
}

export function figures(tally: Tally): Figures {
  return {
    required: tally.required,
    entered: tally.entered,
    percent: percent(tally.entered, tally.required),
    overdueCells: tally.overdueCells,
    maxOverdueHours: tally.maxOverdueHours,
    week: { ...tally.week, percent: percent(tally.week.entered, tally.week.required) },
  };
}

export interface Inputs {
  semester: SemesterSpan;
  settings: CutoffSettings;
  now: string;
  week: { from: string; until: string };
  rosterSizes: Map<number, number>;
  histogram: Map<string, Array<{ filled: Filled; students: number }>>;
  testDates: Map<string, { midterm: string | null; final: string | null }>;
}

const NOTHING: Filled = { regular: 0, midterm: false, final: false };

/** One grade book's tally: its histogram plus the students who have nothing entered yet. */
export function tallyBook(b: Book, x: Inputs): Tally {
  const key = bookKey(b.classId, b.subjectId);
  const groups = x.histogram.get(key) ?? [];
  const roster = x.rosterSizes.get(b.classId) ?? 0;
  const withScores = groups.reduce((n, g) => n + g.students, 0);
  const slots = slotsOf(b.regularCount, x.testDates.get(key) ?? { midterm: null, final: null }, x.semester, x.settings);
  return tallyGradebook(slots, [...groups, { filled: NOTHING, students: Math.max(roster - withScores, 0) }], x.now, x.week);
}

function groupOf(b: Book, by: GroupBy, l: Lang): { key: number; label: string } {
  switch (by) {
    case 'teacher':
      return { key: b.teacherId, label: b.teacherName };
    case 'class':
      return { key: b.classId, label: b.className };
    case 'subject':
      return { key: b.subjectId, label: b.subjectName };
    case 'department':
      return { key: b.departmentId ?? 0, label: b.departmentName ?? t(l, 'progressNoDepartment') };
  }
}

// One collator for every comparison: localeCompare(…, 'vi') would build a new one per call.
const collator = new Intl.Collator('vi', { numeric: true });
const byLabel = (a: { label: string }, b: { label: string }) => collator.compare(a.label, b.label);
const byBook = (a: { className: string; subjectName: string }, b: { className: string; subjectName: string }) =>
  collator.compare(a.className, b.className) || collator.compare(a.subjectName, b.subjectName);

type Late = { overdueCells: number; maxOverdueHours: number | null };
/** The oldest missing score first, then the most missing cells. */
const byLateness = (a: Late, b: Late) => (b.maxOverdueHours ?? -1) - (a.maxOverdueHours ?? -1) || b.overdueCells - a.overdueCells;

/** Rows per teacher / class / subject / department, each with its grade books as items. */
export function summarise(books: Book[], x: Inputs, by: GroupBy, withItems: boolean, l: Lang, sort: 'name' | 'late' = 'name') {
  const groups = new Map<number, { key: number; label: string; tally: Tally; items: Array<ReturnType<typeof item>> }>();
  let total = EMPTY_TALLY;
  for (const b of books) {
    const tally = tallyBook(b, x);
    total = addTallies(total, tally);
    const g = groupOf(b, by, l);
    const row = groups.get(g.key) ?? { ...g, tally: EMPTY_TALLY, items: [] };
    row.tally = addTallies(row.tally, tally);
    row.items.push(item(b, tally));
    groups.set(g.key, row);
  }
  const order = sort === 'late' ? (a: Late & { label: string }, b: Late & { label: string }) => byLateness(a, b) || byLabel(a, b) : byLabel;
  const rows = [...groups.values()]
    .map((r) => ({ ...r, overdueCells: r.tally.overdueCells, maxOverdueHours: r.tally.maxOverdueHours }))
    .sort(order)
    .map((r) => ({
      key: r.key,
      label: r.label,
      ...figures(r.tally),
      ...(withItems ? { items: r.items.sort(sort === 'late' ? (a, b) => byLateness(a, b) || byBook(a, b) : byBook) } : {}),
    }));
  return { totals: figures(total), rows };
}

function item(b: Book, tally: Tally) {
  return {
    classId: b.classId,
    className: b.className,
    subjectId: b.subjectId,
    subjectName: b.subjectName,
    teacherId: b.teacherId,
    teacherName: b.teacherName,
    departmentId: b.departmentId,
    ...figures(tally),
  };
}

export function columnLabel(l: Lang, kind: string, seq: number): string {
  return t(l, `progressColumn_${kind}` as never, { seq });
}

type Roster = Map<number, Array<{ id: number; code: string; fullName: string }>>;
type Found = { rank: number; student: { id: number; code: string; fullName: string }; cell: OverdueCell };

/** Every overdue cell of the grade books as a small record, with the grade books in class and subject order. */
function collectOverdue(books: Book[], x: Inputs, rosters: Roster, fills: Map<string, StudentFill>): { ordered: Book[]; found: Found[] } {
  const ordered = [...books].sort(byBook);
  const none: StudentFill = { regularSeqs: [], midterm: false, final: false };
  const found: Found[] = [];
  ordered.forEach((b, rank) => {
    const slots = slotsOf(b.regularCount, x.testDates.get(bookKey(b.classId, b.subjectId)) ?? { midterm: null, final: null }, x.semester, x.settings);
    // Nothing due yet in this grade book: skip its roster.
    if (!slots.some((s) => Date.parse(s.due) <= Date.parse(x.now))) return;
    for (const s of rosters.get(b.classId) ?? []) {
      for (const cell of overdueCellsOf(slots, b.regularCount, fills.get(`${b.classId}:${b.subjectId}:${s.id}`) ?? none, x.now)) found.push({ rank, student: s, cell });
    }
  });
  return { ordered, found };
}

/** Who owes a grade book's cells, and which one (the part of an overdue line that names the grade book). */
function bookPart(b: Book) {
  return {
    teacher: { id: b.teacherId, name: b.teacherName },
    class: { id: b.classId, name: b.className },
    subject: { id: b.subjectId, name: b.subjectName },
    departmentId: b.departmentId,
  };
}

function latePart(c: OverdueCell, x: Inputs, l: Lang) {
  const by = overdueBy(c.due, x.now);
  return {
    due: c.due,
    ...(c.testDate ? { testDate: c.testDate, assumedTestDate: c.assumedTestDate } : {}),
    overdueHours: c.overdueHours,
    overdueBy: { days: by.days, hours: by.remainderHours },
    overdueText: t(l, 'progressOverdueBy', { days: by.days, hours: by.remainderHours }),
  };
}

/**
 * The overdue cells of the grade books, worst first, one page of them. Cells are collected as small records and
 * sorted on numbers (hours, the grade book's rank by class and subject, student, column); only the page is dressed
 * up for the response — a whole school late in the semester has tens of thousands of them.
 */
export function overdueList(books: Book[], x: Inputs, rosters: Roster, fills: Map<string, StudentFill>, l: Lang, page: { offset: number; limit: number }) {
  const { ordered, found } = collectOverdue(books, x, rosters, fills);
  found.sort((a, b) => b.cell.overdueHours - a.cell.overdueHours || a.rank - b.rank || a.student.id - b.student.id || KIND_ORDER[a.cell.kind] - KIND_ORDER[b.cell.kind] || a.cell.seq - b.cell.seq);
  const items = found.slice(page.offset, page.offset + page.limit).map(({ rank, student, cell: c }) => ({
    ...bookPart(ordered[rank]),
    student,
    kind: c.kind,
    seq: c.seq,
    column: columnLabel(l, c.kind, c.seq),
    ...latePart(c, x, l),
  }));
  return { total: found.length, items };
}

/**
 * The same overdue work one line per column of a grade book (ĐĐGtx 2 of 6A1 × Toán: 38 students), worst first:
 * what a teacher fixes in one pass down the column, and what a VP chases, instead of one line per student cell.
 * Each line names up to five of its students.
 */
export function overdueColumns(books: Book[], x: Inputs, rosters: Roster, fills: Map<string, StudentFill>, l: Lang, page: { offset: number; limit: number }) {
  const { ordered, found } = collectOverdue(books, x, rosters, fills);
  const columns = new Map<string, { rank: number; cell: OverdueCell; students: Array<Found['student']> }>();
  for (const f of found) {
    const key = `${f.rank}:${f.cell.kind}:${f.cell.seq}`;
    const col = columns.get(key) ?? { rank: f.rank, cell: f.cell, students: [] };
    col.students.push(f.student);
    columns.set(key, col);
  }
  const sorted = [...columns.values()].sort(
    (a, b) => b.cell.overdueHours - a.cell.overdueHours || a.rank - b.rank || KIND_ORDER[a.cell.kind] - KIND_ORDER[b.cell.kind] || a.cell.seq - b.cell.seq,
  );
  const items = sorted.slice(page.offset, page.offset + page.limit).map(({ rank, cell: c, students }) => ({
    ...bookPart(ordered[rank]),
    kind: c.kind,
    seq: c.seq,
    column: columnLabel(l, c.kind, c.seq),
    students: students.length,
    someStudents: students.slice(0, 5).map((s) => s.fullName),
    ...latePart(c, x, l),
  }));
  return { total: sorted.length, cells: found.length, items };
}

const KIND_ORDER = { regular: 0, midterm: 1, final: 2 } as const;
