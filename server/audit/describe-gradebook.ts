import type { Ctx } from './context';
import type { AuditEventLike, Describer, Line, Told } from './describe';

/**
 * The grade book's events: a save (cells and comments), a correction applied to a cell, a test date, and the
 * homeroom teacher's conduct sheet. Their entity ids name the book: `class:subject:semester` (conduct:
 * `class:semester`); before/after hold the changed cells as `{ studentId, kind, seq, value }`.
 */
type Cell = { studentId: number; kind: string; seq: number; value: string | null };
type Comment = { studentId: number; text: string | null };

function bookOf(ev: AuditEventLike): { classId: number; subjectId: number; semesterId: number } {
  const [classId, subjectId, semesterId] = String(ev.entityId ?? '').split(':').map(Number);
  return { classId, subjectId, semesterId };
}

function listOf<T>(v: unknown, key: string): T[] {
  const list = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return Array.isArray(list) ? (list as T[]) : [];
}

const cellKey = (x: { studentId: number; kind: string; seq: number }) => `${x.studentId}:${x.kind}:${x.seq}`;

/** One line per changed cell, then per changed comment, in the order they were saved. */
function gradebookLines(ev: AuditEventLike, c: Ctx): Told {
  const { classId, subjectId, semesterId } = bookOf(ev);
  const subject = c.subject(subjectId);
  const beforeCells = new Map(listOf<Cell>(ev.before, 'cells').map((x) => [cellKey(x), x.value]));
  const beforeComments = new Map(listOf<Comment>(ev.before, 'comments').map((x) => [x.studentId, x.text]));
  const lines: Line[] = [
    ...listOf<Cell>(ev.after, 'cells').map(
      (cell) => () =>
        c.say('cell', {
          column: c.column(cell.kind, cell.seq),
          subject,
          student: c.student(cell.studentId, classId),
          change: c.change(c.score(beforeCells.get(cellKey(cell)) ?? null), c.score(cell.value)),
        }),
    ),
    ...listOf<Comment>(ev.after, 'comments').map(
      (cm) => () => c.say('comment', { subject, student: c.student(cm.studentId, classId), change: c.change(c.quote(beforeComments.get(cm.studentId)), c.quote(cm.text)) }),
    ),
  ];
  return { target: c.say('gradebook', { subject, class: c.className(classId), semester: c.semester(semesterId) }), lines };
}

const testDate: Describer = (ev, c) => {
  const { classId, subjectId, semesterId } = bookOf(ev);
  const after = (ev.after ?? {}) as { kind?: string; testDate?: string };
  const before = (ev.before ?? {}) as { testDate?: string };
  const line = c.say('testDate', {
    column: c.column(after.kind, 1),
    subject: c.subject(subjectId),
    class: c.className(classId),
    change: c.change(before.testDate ? c.date(before.testDate) : '', after.testDate ? c.date(after.testDate) : ''),
  });
  return { target: c.say('gradebook', { subject: c.subject(subjectId), class: c.className(classId), semester: c.semester(semesterId) }), lines: [line] };
};

type ConductRow = { studentId: number; conduct: string | null; absences_excused: number; absences_unexcused: number; homeroom_comment: string | null };

/** Conduct: before[i] and after[i] are the same student (before is null for a first entry). */
const conductSave: Describer = (ev, c) => {
  const [classId, semesterId] = String(ev.entityId ?? '').split(':').map(Number);
  const after = Array.isArray(ev.after) ? (ev.after as ConductRow[]) : [];
  const before = Array.isArray(ev.before) ? (ev.before as Array<ConductRow | null>) : [];
  const lines: Line[] = [];
  after.forEach((a, i) => {
    const b = before[i] ?? null;
    const student = () => c.student(a.studentId, classId);
    if ((b?.conduct ?? null) !== (a.conduct ?? null)) {
      lines.push(() => c.say('conduct', { student: student(), change: c.change(b?.conduct ? c.choice('result', b.conduct) : '', a.conduct ? c.choice('result', a.conduct) : '') }));
    }
    for (const [field, key] of [
      ['absences_excused', 'absencesExcused'],
      ['absences_unexcused', 'absencesUnexcused'],
    ] as const) {
      const from = Number(b?.[field] ?? 0);
      const to = Number(a[field] ?? 0);
      if (from !== to) lines.push(() => c.say(key, { student: student(), change: c.change(b ? String(from) : '', String(to)) }));
    }
    if ((b?.homeroom_comment ?? null) !== (a.homeroom_comment ?? null)) {
      lines.push(() => c.say('homeroomComment', { student: student(), change: c.change(c.quote(b?.homeroom_comment), c.quote(a.homeroom_comment)) }));
    }
  });
  return { target: c.say('classSemester', { class: c.className(classId), semester: c.semester(semesterId) }), lines };
};

export const GRADEBOOK_DESCRIBERS: Record<string, Describer> = {
  'gradebook/gradebook_save': gradebookLines,
  'gradebook/correction_apply': gradebookLines,
  'gradebook/test_date': testDate,
  'conduct/conduct_save': conductSave,
};
