import type { Db } from '../db/knex';
import { ddmmyyyy, person, schoolOf, sexLabel, text, type RunStamp } from './common-snapshot';

/**
 * Sổ đăng bộ (glossary `enrolmentRegister`) of a school year — the whole school or one grade — frozen at approval:
 * one line per student enrolled that year, grouped by class, with the register number, identity, family, address,
 * the date the student entered the school and, if they left, when and why.
 *
 * The register number (số đăng bộ): the schema keeps none, so it is derived, the same way every time: the student's
 * place among every student ever enrolled at the school, ordered by their first enrolment's start date, then by
 * student code (code-point order). A student who arrives later gets a later number; no one's number changes when
 * others leave. Only an enrolment back-dated before existing ones would shift later numbers — the printed book
 * keeps the numbers it was approved with (docs/printing.md).
 */
export interface EnrolmentSnapshot extends RunStamp {
  format: 1;
  kind: 'enrolment';
  school: { name: string; code: string };
  schoolYear: string;
  /** One grade (khối) or null for the whole school. */
  grade: number | null;
  total: number;
  classes: Array<{ name: string; grade: number; homeroomTeacher: string | null; rows: EnrolmentLine[] }>;
}

export interface EnrolmentLine {
  number: string;
  name: string;
  code: string;
  birthDate: string;
  sex: string;
  placeOfBirth: string;
  ethnicity: string;
  homeTown: string;
  father: string;
  mother: string;
  guardian: string;
  address: string;
  enrolledOn: string;
  /** "dd/mm/yyyy – reason", '' while the student is enrolled. */
  left: string;
}

export interface EnrolmentInput extends RunStamp {
  schoolId: number;
  schoolYearId: number;
  grade: number | null;
}

/** The register numbers of every student of the school (see above): student id → number. */
export async function registerNumbers(db: Db, schoolId: number): Promise<Map<number, number>> {
  const rows = (await db('enrolments as e')
    .join('students as s', 's.id', 'e.student_id')
    .where('e.school_id', schoolId)
    .groupBy('e.student_id', 's.student_code')
    .select('e.student_id', 's.student_code')
    .min({ first: 'e.start_date' })) as Array<{ student_id: number; student_code: string; first: string }>;
  const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  rows.sort((a, b) => byCode(String(a.first), String(b.first)) || byCode(String(a.student_code), String(b.student_code)) || Number(a.student_id) - Number(b.student_id));
  return new Map(rows.map((r, i) => [Number(r.student_id), i + 1]));
}

/** Classes in the order a school lists them: by grade, then name with numbers compared as numbers (6A2 before 6A10). */
const classOrder = new Intl.Collator('vi', { numeric: true });

export async function buildEnrolmentSnapshot(db: Db, input: EnrolmentInput): Promise<EnrolmentSnapshot> {
  const year = await db('school_years').where({ id: input.schoolYearId }).first('name');
  const numbers = await registerNumbers(db, input.schoolId);
  const q = db('enrolments as e')
    .join('classes as c', 'c.id', 'e.class_id')
    .leftJoin('staff as h', 'h.id', 'c.homeroom_staff_id')
    .join('students as s', 's.id', 'e.student_id')
    .where({ 'e.school_year_id': input.schoolYearId, 'e.school_id': input.schoolId });
  if (input.grade !== null) q.where('c.grade', input.grade);
  const enrolments = (await q
    .orderBy('e.start_date')
    .orderBy('e.id')
    .select(
      'e.student_id', 'e.start_date', 'e.end_date', 'c.id as class_id', 'c.name as class_name', 'c.grade', 'h.full_name as homeroom',
      's.student_code', 's.full_name', 's.birth_date', 's.sex', 's.place_of_birth', 's.ethnicity', 's.home_town', 's.address', 's.status',
      's.father_name', 's.father_occupation', 's.mother_name', 's.mother_occupation', 's.guardian_name', 's.guardian_occupation',
    )) as Array<Record<string, unknown>>;
  // One line per student: their last enrolment of the year (a student moved between classes is listed in the latest).
  const last = new Map<number, Record<string, unknown>>();
  for (const e of enrolments) last.set(Number(e.student_id), e);
  const ids = [...last.keys()];
  const firstDay = new Map<number, string>(
    ((await db('enrolments').whereIn('student_id', ids).where('school_id', input.schoolId).groupBy('student_id').select('student_id').min({ first: 'start_date' })) as Array<{ student_id: number; first: string }>).map((r) => [
      Number(r.student_id),
      String(r.first),
    ]),
  );
  const transfersOut = (await db('student_transfers').whereIn('student_id', ids).where({ direction: 'out', school_id: input.schoolId }).orderBy('transfer_date').select('student_id', 'transfer_date', 'other_school', 'reason')) as Array<Record<string, unknown>>;

  const classes = new Map<number, EnrolmentSnapshot['classes'][number]>();
  for (const [studentId, e] of last) {
    const classId = Number(e.class_id);
    if (!classes.has(classId)) classes.set(classId, { name: text(e.class_name), grade: Number(e.grade), homeroomTeacher: e.homeroom ? text(e.homeroom) : null, rows: [] });
    const end = e.end_date ? String(e.end_date) : null;
    classes.get(classId)!.rows.push({
      number: String(numbers.get(studentId) ?? ''),
      name: text(e.full_name),
      code: text(e.student_code),
      birthDate: ddmmyyyy(e.birth_date as string),
      sex: sexLabel(e.sex),
      placeOfBirth: text(e.place_of_birth),
      ethnicity: text(e.ethnicity),
      homeTown: text(e.home_town),
      father: person(e.father_name, e.father_occupation),
      mother: person(e.mother_name, e.mother_occupation),
      guardian: person(e.guardian_name, e.guardian_occupation),
      address: text(e.address),
      enrolledOn: ddmmyyyy(firstDay.get(studentId) ?? (e.start_date as string)),
      left: end ? `${ddmmyyyy(end)} – ${leavingReason(transfersOut.filter((t) => Number(t.student_id) === studentId), end, String(e.status))}` : '',
    });
  }
  const sorted = [...classes.values()].sort((a, b) => a.grade - b.grade || classOrder.compare(a.name, b.name));
  for (const c of sorted) c.rows.sort((a, b) => Number(a.number) - Number(b.number));
  return {
    format: 1,
    kind: 'enrolment',
    runId: input.runId,
    code: input.code,
    verifyUrl: input.verifyUrl,
    approvedAt: input.approvedAt,
    approvedBy: input.approvedBy,
    school: await schoolOf(db, input.schoolId),
    schoolYear: text(year?.name),
    grade: input.grade,
    total: last.size,
    classes: sorted,
  };
}

/** Why the enrolment ended: the transfer out recorded on that day (to which school, why), else the student's status. */
function leavingReason(transfers: Array<Record<string, unknown>>, end: string, status: string): string {
  const t = transfers.find((x) => String(x.transfer_date) === end);
  if (t) {
    const where = text(t.other_school);
    const why = text(t.reason);
    return ['Chuyển trường', where ? `đến ${where}` : '', why ? `(${why})` : ''].filter(Boolean).join(' ');
  }
  if (status === 'dropped_out') return 'Thôi học';
  if (status === 'graduated') return 'Hoàn thành chương trình';
  if (status === 'studying') return 'Chuyển lớp hoặc rời lớp';
  return 'Rời trường';
}
