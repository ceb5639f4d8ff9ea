import type { Knex } from 'knex';
import { z } from 'zod';
import { carryOverSchoolIds } from '../../domain/permissions';
import { searchKey } from '../../domain/text';
import { nowIso, toBool, type Db } from '../db/knex';
import { principalOf, type Actor } from '../core/actor';
import { addDays, assertStartBeforeEnd, assertWithin, entityId, gradesOfSchool, invalid, loadYear, num, vnDate, type YearRow } from '../school/common';
import { planCarryOver, type CarryOverPlan, type Snapshot } from './plan';
import { appendAudit } from '../core/audit';
import { forbidden, AppError, notFound } from '../core/errors';
import { schoolDate } from '../core/fields';
import { t, type Lang } from '../core/i18n';
import { insertReturningId } from '../core/records';
import { parse } from '../core/validate';

type Conn = Knex | Knex.Transaction;

const Body = z.strictObject({
  fromSchoolYearId: entityId,
  toName: z
    .string()
    .trim()
    .regex(/^\d{4}-\d{4}$/),
  startDate: schoolDate,
  endDate: schoolDate,
  semesters: z
    .array(z.strictObject({ number: z.literal([1, 2]), startDate: schoolDate, endDate: schoolDate }))
    .length(2)
    .refine((s) => s[0].number !== s[1].number, { params: { key: 'badChoice', params: { options: '1, 2' } } }),
  dryRun: z.boolean().optional(),
});
type Input = z.output<typeof Body>;

/** The new year follows the old one: its name, its dates inside the two calendar years it names, its semesters inside it in order. */
function checkDates(b: Input, from: YearRow): void {
  const [first, second] = from.name.split('-').map(Number);
  const next = `${second}-${second + 1}`;
  if (b.toName !== next || first + 1 !== second) throw invalid('toName', 'badChoice', { options: next });
  assertWithin(b.startDate, `${second}-01-01`, `${second}-12-31`, 'startDate');
  if (b.startDate <= from.end_date) throw invalid('startDate', 'dateFrom', { min: vnDate(addDays(from.end_date, 1)) });
  assertWithin(b.endDate, `${second + 1}-01-01`, `${second + 1}-12-31`, 'endDate');
  assertStartBeforeEnd(b.startDate, b.endDate);
  const sems = [...b.semesters].sort((x, y) => x.number - y.number);
  for (const s of sems) {
    const i = b.semesters.indexOf(s);
    assertWithin(s.startDate, b.startDate, b.endDate, `semesters.${i}.startDate`);
    assertWithin(s.endDate, b.startDate, b.endDate, `semesters.${i}.endDate`);
    assertStartBeforeEnd(s.startDate, s.endDate, `semesters.${i}.endDate`);
  }
  // Semester I ends before semester II starts.
  if (sems[1].startDate <= sems[0].endDate) {
    throw invalid(`semesters.${b.semesters.indexOf(sems[1])}.startDate`, 'dateFrom', { min: vnDate(addDays(sems[0].endDate, 1)) });
  }
}

async function loadSnapshot(conn: Conn, from: YearRow): Promise<Snapshot> {
  const classes = ((await conn('classes').where({ school_year_id: from.id }).select('id', 'name', 'grade', 'homeroom_staff_id')) as Record<string, unknown>[]).map(
    (c) => ({ id: num(c.id), name: String(c.name), grade: num(c.grade), homeroomStaffId: c.homeroom_staff_id === null ? null : num(c.homeroom_staff_id) }),
  );
  const enrolments = (
    (await conn('enrolments as e')
      .join('students as s', 's.id', 'e.student_id')
      .where({ 'e.school_year_id': from.id, 'e.status': 'active' })
      .orderBy('s.student_code')
      .select('e.id', 'e.class_id', 'e.student_id', 's.student_code', 's.full_name', 's.status')) as Record<string, unknown>[]
  ).map((e) => ({
    id: num(e.id),
    classId: num(e.class_id),
    studentId: num(e.student_id),
    studentCode: String(e.student_code),
    fullName: String(e.full_name),
    studentStatus: String(e.status),
  }));
  const assignments = (
    (await conn('teaching_assignments as a')
      .join('subjects as s', 's.id', 'a.subject_id')
      .where({ 'a.school_year_id': from.id })
      .orderBy('a.id')
      .select('a.class_id', 'a.subject_id', 'a.staff_id', 's.name')) as Record<string, unknown>[]
  ).map((a) => ({ classId: num(a.class_id), subjectId: num(a.subject_id), subjectName: String(a.name), staffId: num(a.staff_id) }));
  const subjects = (await conn('subjects').where({ school_id: from.school_id }).select('id', 'periods_per_year')) as Record<string, unknown>[];
  const subjectGrades = new Map(subjects.map((s) => [num(s.id), Object.keys(JSON.parse(String(s.periods_per_year ?? '{}')) as object)]));
  const activeStaff = new Set(
    ((await conn('staff').where({ school_id: from.school_id, status: 'active' }).select('id')) as Record<string, unknown>[]).map((s) => num(s.id)),
  );
  return { classes, enrolments, assignments, subjectGrades, activeStaff, results: await loadResults(conn, from.id) };
}

/** Lên lớp / ở lại lớp as stored by server/results (student_year_results.promoted, null while undecided). */
async function loadResults(conn: Conn, yearId: number): Promise<Map<number, boolean | null> | null> {
  if (!(await conn.schema.hasTable('student_year_results'))) return null;
  const rows = (await conn('student_year_results').where({ school_year_id: yearId }).select('student_id', 'promoted')) as Record<string, unknown>[];
  if (rows.length === 0) return null;
  return new Map(rows.map((r) => [num(r.student_id), r.promoted === null || r.promoted === undefined ? null : toBool(r.promoted)]));
}

function report(l: Lang, b: Input, from: YearRow, plan: CarryOverPlan, schoolYearId: number | null) {
  const byClass = new Map(plan.classes.map((c) => [c.name, { ...c, students: 0, promoted: 0, heldBack: 0 }]));
  for (const p of plan.placements) {
    const c = byClass.get(p.toClass)!;
    c.students++;
    if (p.heldBack) c.heldBack++;
    else c.promoted++;
  }
  const grades = new Map<number, { grade: number; classes: number; students: number; promoted: number; heldBack: number }>();
  for (const c of byClass.values()) {
    const g = grades.get(c.grade) ?? { grade: c.grade, classes: 0, students: 0, promoted: 0, heldBack: 0 };
    g.classes++;
    g.students += c.students;
    g.promoted += c.promoted;
    g.heldBack += c.heldBack;
    grades.set(c.grade, g);
  }
  const heldBack = plan.placements.filter((p) => p.heldBack);
  return {
    dryRun: schoolYearId === null,
    from: { id: from.id, name: from.name },
    schoolYear: { id: schoolYearId, name: b.toName, startDate: b.startDate, endDate: b.endDate, isCurrent: false },
    semesters: [...b.semesters].sort((x, y) => x.number - y.number),
    counts: {
      classes: plan.classes.length,
      students: plan.placements.length,
      promoted: plan.placements.length - heldBack.length,
      heldBack: heldBack.length,
      graduates: plan.graduates.length,
      assignmentsCopied: plan.assignments.length,
      assignmentsNotTaught: plan.assignmentsNotTaught,
      assignmentsSkipped: plan.assignmentsSkipped,
    },
    byGrade: [...grades.values()].sort((x, y) => x.grade - y.grade),
    classes: [...byClass.values()].map(({ name, grade, fromName, homeroomStaffId, students, promoted, heldBack: held }) => ({
      name,
      grade,
      from: fromName,
      homeroomStaffId,
      students,
      promoted,
      heldBack: held,
    })),
    heldBack: heldBack.map(({ studentId, studentCode, fullName, className, toClass }) => ({ studentId, studentCode, fullName, className, toClass })),
    graduates: plan.graduates.map(({ studentId, studentCode, fullName, className }) => ({ studentId, studentCode, fullName, className })),
    warnings: plan.warnings.map((w) => ('text' in w ? w.text : t(l, w.key, w.params))),
  };
}

/** Writes the whole plan in the caller's transaction and returns the new year's id. */
async function apply(trx: Knex.Transaction, actor: Actor, b: Input, from: YearRow, plan: CarryOverPlan): Promise<number> {
  const schoolId = from.school_id;
  const audit = (entity: string, entityId: number, after: unknown, action = 'create', before?: unknown) =>
    appendAudit(trx, actor, { action, entity, entityId, before, after, schoolId, reason: `carry-over ${from.name} → ${b.toName}` });

  // Not current until someone switches to it: the old year's grade books stay the ones teachers work in.
  const yearRow = { school_id: schoolId, name: b.toName, start_date: b.startDate, end_date: b.endDate, is_current: false };
  const yearId = await insertReturningId(trx, 'school_years', yearRow);
  await audit('school-years', yearId, { id: yearId, name: b.toName, startDate: b.startDate, endDate: b.endDate, isCurrent: false });
  for (const s of [...b.semesters].sort((x, y) => x.number - y.number)) {
    const id = await insertReturningId(trx, 'semesters', { school_id: schoolId, school_year_id: yearId, number: s.number, start_date: s.startDate, end_date: s.endDate });
    await audit('semesters', id, { id, schoolYearId: yearId, ...s });
  }
  const classIds = new Map<string, number>();
  for (const c of plan.classes) {
    const id = await insertReturningId(trx, 'classes', {
      school_id: schoolId,
      school_year_id: yearId,
      grade: c.grade,
      name: c.name,
      search_text: searchKey(c.name),
      homeroom_staff_id: c.homeroomStaffId,
    });
    classIds.set(c.name, id);
    await audit('classes', id, { id, schoolYearId: yearId, grade: c.grade, name: c.name, homeroomStaffId: c.homeroomStaffId, from: c.fromName });
  }
  for (const a of plan.assignments) {
    const classId = classIds.get(a.toClass)!;
    const id = await insertReturningId(trx, 'teaching_assignments', { school_id: schoolId, school_year_id: yearId, class_id: classId, subject_id: a.subjectId, staff_id: a.staffId });
    await audit('teaching-assignments', id, { id, schoolYearId: yearId, classId, subjectId: a.subjectId, staffId: a.staffId });
  }
  // Enrolments in bulk; the carry-over event below lists who went where.
  const enrolments = plan.placements.map((p) => ({
    school_id: schoolId,
    school_year_id: yearId,
    class_id: classIds.get(p.toClass)!,
    student_id: p.studentId,
    start_date: b.startDate,
    end_date: null,
    status: 'active',
  }));
  for (let i = 0; i < enrolments.length; i += 200) await trx('enrolments').insert(enrolments.slice(i, i + 200));
  // Graduates leave: the enrolment of their last year ends with the year. It stays 'active' so the class's grade
  // books and transcripts of that year still list them.
  const now = nowIso();
  for (const g of plan.graduates) {
    await trx('enrolments').where({ id: g.enrolmentId }).update({ end_date: from.end_date });
    await trx('students').where({ id: g.studentId }).update({ status: 'graduated', updated_at: now });
    await audit('students', g.studentId, { status: 'graduated' }, 'update', { status: 'studying' });
  }
  const placed = new Map<string, number[]>();
  for (const p of plan.placements) placed.set(p.toClass, [...(placed.get(p.toClass) ?? []), p.studentId]);
  await appendAudit(trx, actor, {
    action: 'carry-over',
    entity: 'school-years',
    entityId: yearId,
    after: {
      from: { id: from.id, name: from.name },
      to: { id: yearId, name: b.toName },
      enrolments: Object.fromEntries([...placed].map(([name, ids]) => [name, { classId: classIds.get(name), studentIds: ids }])),
      heldBack: plan.placements.filter((p) => p.heldBack).map((p) => p.studentId),
      graduates: plan.graduates.map((g) => g.studentId),
    },
    schoolId,
  });
  return yearId;
}

/** Operation — POST /api/carry-over: plans (dryRun) or carries a school year over to the next, in one transaction. */
export async function carryOver(db: Db, actor: Actor, input: unknown, l: Lang) {
  const schools = carryOverSchoolIds(principalOf(actor));
  if (schools.length === 0) throw forbidden();
  const b = parse(Body, input);
  const run = async (trx: Knex.Transaction) => {
    const from = await loadYear(trx, b.fromSchoolYearId);
    if (!from) throw notFound('school-years', b.fromSchoolYearId);
    if (!schools.includes(from.school_id)) throw forbidden();
    checkDates(b, from);
    if (await trx('school_years').where({ school_id: from.school_id, name: b.toName }).first('id')) {
      throw new AppError('conflict', 'carryOverExists', { name: b.toName }, { toName: { key: 'carryOverExists', params: { name: b.toName } } });
    }
    const grades = await gradesOfSchool(trx, from.school_id);
    const plan = planCarryOver(await loadSnapshot(trx, from), Math.max(...grades), from.name);
    const yearId = b.dryRun ? null : await apply(trx, actor, b, from, plan);
    return { dryRun: b.dryRun, report: report(l, b, from, plan, yearId) };
  };
  // A dry run plans from the same consistent snapshot a commit would, and writes nothing.
  return db.transaction(run);
}
