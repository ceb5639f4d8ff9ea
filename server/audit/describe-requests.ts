import type { Ctx } from './context';
import type { Describer, Line } from './describe';
import { diffLines, fieldLines } from './describe-records';
import type { Phrase } from './words';

/**
 * Requests and approvals: unlock requests (filed, approved, rejected), correction requests at every step, the
 * principal's approval of a year-end list. Locks and entry delegations are records (describe-records.ts).
 */
type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : {});

type UnlockCell = { semesterId: number; classId: number; subjectId: number; studentId: number; kind: string; seq: number };

const unlockTarget = (r: Rec, id: unknown, c: Ctx) => c.say('unlockRequest', { id: String(id), name: typeof r.requestedByName === 'string' ? r.requestedByName : c.user(r.requestedBy) });

const unlockFiled: Describer = (ev, c) => {
  const r = rec(ev.after);
  const cells = (Array.isArray(r.cells) ? r.cells : []) as UnlockCell[];
  // The reason is the event's own (shown beside the changes), so the lines are the cells.
  const lines: Line[] = [
    ...cells.map(
      (x) => () =>
        c.say('unlockCell', { column: c.column(x.kind, x.seq), subject: c.subject(x.subjectId), student: c.student(x.studentId, x.classId), semester: c.semester(x.semesterId) }),
    ),
  ];
  return { target: unlockTarget(r, ev.entityId, c), lines };
};

const unlockDecided: Describer = (ev, c) => {
  const before = rec(ev.before);
  const after = rec(ev.after);
  const cells = Array.isArray(after.cells) ? after.cells.length : 0;
  return {
    target: unlockTarget(after, ev.entityId, c),
    lines: [...diffLines('unlock-requests', before, after, c, ['status', 'opensUntil', 'decisionNote']), c.say('cellCount', { n: cells })],
  };
};

/** The cell a correction is about, from the request itself (it carries the names as they were when filed). */
function correctionCell(r: Rec, c: Ctx): string {
  const student = r.className ? c.say('studentInClass', { name: String(r.studentName), class: String(r.className) }) : String(r.studentName ?? '');
  return c.say('cell', { column: c.column(r.kind, r.seq), subject: String(r.subjectName ?? ''), student, change: c.change(c.score(r.oldValue), c.score(r.newValue)) });
}

const correctionTarget = (r: Rec, id: unknown, c: Ctx) => c.say('correctionRequest', { id: String(id), name: String(r.requestedByName ?? c.user(r.requestedBy)) });

const correctionFiled: Describer = (ev, c) => {
  const r = rec(ev.after);
  // The reason is the event's own (shown beside the changes).
  return { target: correctionTarget(r, ev.entityId, c), lines: [correctionCell(r, c), ...fieldLines('correction-requests', { procedure: r.procedure, witnessName: r.witnessName }, c)] };
};

/** A step of a correction (approve, reject, confirm, cancel, apply): the cell, then what the step changed. */
const correctionStep: Describer = (ev, c) => {
  const before = rec(ev.before);
  const after = rec(ev.after);
  const steps = ['status', 'decisionNote', 'witnessName', 'vpName', 'vpConfirmedAt', 'witnessConfirmedAt', 'appliedAt'];
  return { target: correctionTarget(after, ev.entityId, c), lines: [correctionCell(after, c), ...diffLines('correction-requests', before, after, c, steps)] };
};

const resultListApproved: Describer = (ev, c) => {
  const a = rec(ev.after);
  const scope = String(a.scope ?? 'school');
  const classId = scope.startsWith('class:') ? scope.slice(6) : null;
  const line = c.say('resultList', {
    list: c.say(`list_${String(a.list)}` as Phrase),
    scope: classId ? c.say('classScope', { class: c.className(classId) }) : c.say('wholeSchool'),
    year: c.year(a.schoolYearId),
    version: Number(a.version ?? 1),
    count: Number(a.count ?? 0),
  });
  return { lines: [line] };
};

export const REQUEST_DESCRIBERS: Record<string, Describer> = {
  'unlock-requests/create': unlockFiled,
  'unlock-requests/approve': unlockDecided,
  'unlock-requests/reject': unlockDecided,
  'correction-requests/create': correctionFiled,
  ...Object.fromEntries(['approve', 'reject', 'confirm', 'cancel', 'apply'].map((a) => [`correction-requests/${a}`, correctionStep])),
  'result-lists/approve': resultListApproved,
};
