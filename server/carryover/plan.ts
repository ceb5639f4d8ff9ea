import { type FieldError } from '../core/errors';

/**
 * Kết chuyển dữ liệu sang năm học mới (roles.md: the VPs "carry data over to the new year"), planned from a
 * snapshot of the old year without touching the database, so a dry run and the commit plan the same thing.
 *
 * - Classes move up a grade keeping their suffix (6A1 → 7A1); the last grade of the level (9 in THCS, 12 in THPT)
 *   graduates and has no class in the new year.
 * - Promoted students follow their class; held-back students (TT22 Điều 12–15: "ở lại lớp") stay in their grade,
 *   in the new year's class of the same name (created if no class moves up into that name); students promoted
 *   from the last grade graduate.
 * - Homeroom teachers move with their class; teaching assignments are copied when the subject is taught in the
 *   new grade (subjects.periods_per_year) and the teacher still works at the school.
 */

export interface OldClass {
  id: number;
  name: string;
  grade: number;
  homeroomStaffId: number | null;
}
export interface OldEnrolment {
  id: number;
  classId: number;
  studentId: number;
  studentCode: string;
  fullName: string;
  studentStatus: string;
}
export interface OldAssignment {
  classId: number;
  subjectId: number;
  subjectName: string;
  staffId: number;
}
export interface Snapshot {
  classes: OldClass[];
  enrolments: OldEnrolment[];
  assignments: OldAssignment[];
  /** Grades each subject is taught in, by subject id. */
  subjectGrades: Map<number, string[]>;
  activeStaff: Set<number>;
  /** promoted per student from student_year_results; null when there are no stored results at all. */
  results: Map<number, boolean | null> | null;
}

export interface NewClass {
  name: string;
  grade: number;
  fromClassId: number | null;
  fromName: string | null;
  homeroomStaffId: number | null;
}
export interface StudentRef {
  studentId: number;
  studentCode: string;
  fullName: string;
  className: string;
}
export interface Placement extends StudentRef {
  toClass: string;
  heldBack: boolean;
}
export interface Graduate extends StudentRef {
  enrolmentId: number;
}
export interface NewAssignment {
  toClass: string;
  subjectId: number;
  staffId: number;
}
export interface CarryOverPlan {
  classes: NewClass[];
  placements: Placement[];
  graduates: Graduate[];
  assignments: NewAssignment[];
  assignmentsNotTaught: number;
  assignmentsSkipped: number;
  warnings: FieldError[];
}

/** 6A1 → 7A1; a name that does not start with its grade gets the new grade in front. */
export function promotedName(name: string, grade: number): { name: string; regular: boolean } {
  const m = /^(\d+)(.*)$/.exec(name);
  if (m && Number(m[1]) === grade) return { name: `${grade + 1}${m[2]}`, regular: true };
  return { name: `${grade + 1}${name}`, regular: false };
}

const listOf = (names: string[], max = 10) => (names.length > max ? `${names.slice(0, max).join(', ')}, …` : names.join(', '));

export function planCarryOver(s: Snapshot, lastGrade: number, fromYearName: string): CarryOverPlan {
  const warnings: FieldError[] = [];
  const classes = new Map<string, NewClass>();
  const promotedTo = new Map<number, string>();
  const oldById = new Map(s.classes.map((c) => [c.id, c]));

  for (const c of [...s.classes].sort((a, b) => a.grade - b.grade || a.name.localeCompare(b.name))) {
    if (c.grade >= lastGrade) continue;
    const next = promotedName(c.name, c.grade);
    if (!next.regular) warnings.push({ key: 'carryOverClassName', params: { name: c.name, grade: c.grade, to: next.name } });
    promotedTo.set(c.id, next.name);
    if (classes.has(next.name)) continue;
    const keeps = c.homeroomStaffId !== null && s.activeStaff.has(c.homeroomStaffId);
    if (c.homeroomStaffId !== null && !keeps) warnings.push({ key: 'carryOverHomeroomLeft', params: { from: c.name, to: next.name } });
    classes.set(next.name, { name: next.name, grade: c.grade + 1, fromClassId: c.id, fromName: c.name, homeroomStaffId: keeps ? c.homeroomStaffId : null });
  }

  const placements: Placement[] = [];
  const graduates: Graduate[] = [];
  const undecided: string[] = [];
  const notStudying: string[] = [];
  for (const e of s.enrolments) {
    const c = oldById.get(e.classId);
    if (!c) continue;
    const ref: StudentRef = { studentId: e.studentId, studentCode: e.studentCode, fullName: e.fullName, className: c.name };
    if (e.studentStatus !== 'studying') {
      notStudying.push(`${e.fullName} (${c.name})`);
      continue;
    }
    const decided = s.results?.get(e.studentId);
    if (s.results && (decided === undefined || decided === null)) undecided.push(`${e.fullName} (${c.name})`);
    // No stored decision: treated as promoted, and said so in the report.
    const heldBack = decided === false;
    if (heldBack) {
      if (!classes.has(c.name)) {
        classes.set(c.name, { name: c.name, grade: c.grade, fromClassId: null, fromName: null, homeroomStaffId: null });
        warnings.push({ key: 'carryOverNewClass', params: { name: c.name } });
      }
      placements.push({ ...ref, toClass: c.name, heldBack: true });
    } else if (c.grade >= lastGrade) {
      graduates.push({ ...ref, enrolmentId: e.id });
    } else {
      placements.push({ ...ref, toClass: promotedTo.get(c.id)!, heldBack: false });
    }
  }
  if (!s.results) warnings.unshift({ key: 'carryOverNoResults', params: { year: fromYearName } });
  else if (undecided.length > 0) warnings.unshift({ key: 'carryOverMissingResults', params: { count: undecided.length, names: listOf(undecided) } });
  if (notStudying.length > 0) warnings.push({ key: 'carryOverNotStudying', params: { count: notStudying.length, names: listOf(notStudying) } });

  const assignments: NewAssignment[] = [];
  const seen = new Set<string>();
  let notTaught = 0;
  const skipped: string[] = [];
  for (const a of s.assignments) {
    const c = oldById.get(a.classId);
    const toClass = promotedTo.get(a.classId);
    if (!c || !toClass) continue;
    if (!(s.subjectGrades.get(a.subjectId) ?? []).includes(String(c.grade + 1))) {
      notTaught++;
      continue;
    }
    if (!s.activeStaff.has(a.staffId)) {
      skipped.push(`${a.subjectName} ${c.name}`);
      continue;
    }
    const key = `${toClass}:${a.subjectId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    assignments.push({ toClass, subjectId: a.subjectId, staffId: a.staffId });
  }
  if (skipped.length > 0) warnings.push({ key: 'carryOverAssignmentsSkipped', params: { count: skipped.length, list: listOf(skipped) } });

  return {
    classes: [...classes.values()].sort((a, b) => a.grade - b.grade || a.name.localeCompare(b.name)),
    placements,
    graduates,
    assignments,
    assignmentsNotTaught: notTaught,
    assignmentsSkipped: skipped.length,
    warnings,
  };
}
