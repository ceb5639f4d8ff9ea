import type { Knex } from 'knex';
import { isLevel } from '../../domain/transcript/format';
import type { CorrectionsLine, Level, SchoolHistoryRow, SubjectRow, TranscriptContent, TranscriptIdentity, TranscriptYear } from '../../domain/transcript/types';
import { toBool } from '../db/knex';
import { notFound } from '../core/errors';

/**
 * The transcript's content, read from what the grade book has stored (issue 10): the computed results
 * (student_subject_results, student_year_results), the retest and summer-training records, the semester-II
 * comments, the homeroom comment, the corrections log, the enrolment history. Nothing is computed here: a
 * transcript says what the grade book says. Callers that may race a grid save settle pending results first
 * (server/results/recompute.ts settlePending).
 *
 * Speed matters (the seal run covers a whole school): a class-year is read in a fixed handful of queries,
 * whatever its size; one student is the same code with a class of one.
 */

type Conn = Knex | Knex.Transaction;
type Row = Record<string, unknown>;
type Approver = TranscriptYear['approver'];

const CIRCULAR = '22/2021/TT-BGDĐT';
const nfc = (s: string): string => s.normalize('NFC');
const text = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : nfc(String(v)));
const level = (v: unknown): Level | null => (isLevel(v) ? v : null);
const boolOrNull = (v: unknown): boolean | null => (v === null || v === undefined ? null : toBool(v));

/**
 * Who approves a year section: the principal (TT22 Điều 16, hồ sơ đánh giá). The chain (server/transcripts/chain.ts)
 * extends this with signing_delegations, where the principal names a vice principal for a grade.
 */
export async function approverFor(conn: Conn, schoolYearId: number, _grade: number): Promise<Approver> {
  const row = (await conn('staff as s')
    .join('school_years as y', 'y.school_id', 's.school_id')
    .where({ 'y.id': schoolYearId, 's.post': 'principal' })
    .orderByRaw("case when s.status = 'active' then 0 else 1 end")
    .orderBy('s.id')
    .first('s.id', 's.full_name')) as Row | undefined;
  return row ? { staffId: Number(row.id), fullName: nfc(String(row.full_name)), post: 'principal' } : null;
}

export interface YearOptions {
  /** Overrides approverFor (a delegation the caller has already resolved). */
  approver?: Approver;
}

/** One school year of one student's transcript. */
export async function assembleTranscriptYear(conn: Conn, input: { studentId: number; schoolYearId: number } & YearOptions): Promise<TranscriptYear> {
  const classId = await classOf(conn, input.studentId, input.schoolYearId);
  if (classId === null) throw notFound('enrolments', `${input.studentId}@${input.schoolYearId}`);
  const years = await loadClassYears(conn, classId, input.schoolYearId, [input.studentId], input.approver);
  return years.get(input.studentId)!;
}

/** Every student of a class, one year each: the seal run's unit of work. */
export async function assembleClassYear(conn: Conn, input: { classId: number; schoolYearId: number } & YearOptions): Promise<Map<number, TranscriptYear>> {
  const ids = await studentsOfClass(conn, input.classId, input.schoolYearId);
  return loadClassYears(conn, input.classId, input.schoolYearId, ids, input.approver);
}

export interface TranscriptInput {
  studentId: number;
  schoolYearIds: number[];
  transcriptUid: string;
  version: number;
  verificationCode: string;
  issuedAt: string;
  status?: 1 | 2;
  /** Per school year id: overrides approverFor. */
  approvers?: Record<number, Approver>;
}

/** The whole transcript version: identity, school history and the named years (in school-year order). */
export async function assembleTranscript(conn: Conn, input: TranscriptInput): Promise<TranscriptContent> {
  const student = (await conn('students').where({ id: input.studentId }).first()) as Row | undefined;
  if (!student) throw notFound('students', input.studentId);
  const school = (await conn('schools').where({ id: student.school_id }).first()) as Row;
  const history = await schoolHistory(conn, input.studentId);
  const years: TranscriptYear[] = [];
  for (const schoolYearId of input.schoolYearIds) {
    const approver = input.approvers?.[schoolYearId];
    years.push(await assembleTranscriptYear(conn, { studentId: input.studentId, schoolYearId, ...(approver !== undefined ? { approver } : {}) }));
  }
  years.sort((a, b) => a.schoolYear.localeCompare(b.schoolYear));
  return {
    transcriptUid: input.transcriptUid,
    version: input.version,
    status: input.status ?? 1,
    circular: nfc(CIRCULAR),
    school: schoolOf(school),
    identity: identityOf(student),
    history,
    years,
    verificationCode: input.verificationCode,
    issuedAt: input.issuedAt,
    placeOfIssue: text(school.province),
  };
}

/**
 * Many students of one class, this one year each (opening a class): what assembleTranscript gives for each, with
 * the class's tables read once (loadClassYears) instead of once per student.
 */
export async function assembleClassTranscripts(
  conn: Conn,
  input: { classId: number; schoolYearId: number; approver?: Approver; students: Array<Omit<TranscriptInput, 'schoolYearIds' | 'approvers'>> },
): Promise<Map<number, TranscriptContent>> {
  const out = new Map<number, TranscriptContent>();
  if (input.students.length === 0) return out;
  const ids = input.students.map((s) => s.studentId);
  const rows = (await conn('students').whereIn('id', ids).select()) as Row[];
  const studentRows = new Map(rows.map((r) => [Number(r.id), r]));
  const school = (await conn('schools').where({ id: rows[0]?.school_id ?? 0 }).first()) as Row | undefined;
  if (!school) throw notFound('students', ids[0]);
  const years = await loadClassYears(conn, input.classId, input.schoolYearId, ids, input.approver);
  const histories = await Promise.all(ids.map((id) => schoolHistory(conn, id)));
  input.students.forEach((s, i) => {
    const student = studentRows.get(s.studentId);
    const year = years.get(s.studentId);
    if (!student || !year) throw notFound('students', s.studentId);
    out.set(s.studentId, {
      transcriptUid: s.transcriptUid,
      version: s.version,
      status: s.status ?? 1,
      circular: nfc(CIRCULAR),
      school: schoolOf(school),
      identity: identityOf(student),
      history: histories[i],
      years: [year],
      verificationCode: s.verificationCode,
      issuedAt: s.issuedAt,
      placeOfIssue: text(school.province),
    });
  });
  return out;
}

export function identityOf(s: Row): TranscriptIdentity {
  const person = (name: unknown, occupation: unknown) => (text(name) ? { name: text(name)!, occupation: text(occupation) } : null);
  return {
    fullName: nfc(String(s.full_name)),
    sex: s.sex === 'female' ? 'Nữ' : 'Nam',
    birthDate: String(s.birth_date),
    ethnicity: text(s.ethnicity),
    nationality: text(s.nationality),
    placeOfBirth: text(s.place_of_birth),
    homeTown: text(s.home_town),
    address: text(s.address),
    nationalId: text(s.national_id),
    studentCode: String(s.student_code),
    father: person(s.father_name, s.father_occupation),
    mother: person(s.mother_name, s.mother_occupation),
    guardian: person(s.guardian_name, s.guardian_occupation),
  };
}

/** Quá trình học tập: one row per school year and class the student was enrolled in, oldest first. */
async function schoolHistory(conn: Conn, studentId: number): Promise<SchoolHistoryRow[]> {
  const rows = (await conn('enrolments as e')
    .join('classes as c', 'c.id', 'e.class_id')
    .join('school_years as y', 'y.id', 'e.school_year_id')
    .join('schools as sc', 'sc.id', 'e.school_id')
    .where('e.student_id', studentId)
    .orderBy('y.name')
    .orderBy('e.start_date')
    .select('y.name as year', 'c.name as class_name', 'sc.name as school', 'sc.district', 'sc.province')) as Row[];
  const seen = new Set<string>();
  const out: SchoolHistoryRow[] = await importedHistory(conn, studentId);
  for (const r of rows) {
    const key = `${r.year}|${r.class_name}|${r.school}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ schoolYear: String(r.year), className: nfc(String(r.class_name)), schoolName: nfc(String(r.school)), district: text(r.district), province: text(r.province) });
  }
  return out;
}

/**
 * The years at earlier schools, from the sealed versions a transfer package brought (imported_transcripts, issue 13):
 * one row per year, the class and school as their own transcript names them. The district and province are not in
 * the document's header, so they stay empty.
 */
async function importedHistory(conn: Conn, studentId: number): Promise<SchoolHistoryRow[]> {
  const rows = (await conn('imported_transcripts').where({ student_id: studentId }).orderBy('school_year').orderBy('version', 'desc').select('school_year', 'class_name', 'source_school_name')) as Row[];
  const byYear = new Map<string, SchoolHistoryRow>();
  for (const r of rows) {
    if (byYear.has(String(r.school_year))) continue;
    byYear.set(String(r.school_year), { schoolYear: String(r.school_year), className: nfc(String(r.class_name ?? '—')), schoolName: nfc(String(r.source_school_name)), district: null, province: null });
  }
  return [...byYear.values()];
}

/** The class whose results the year carries: the stored year result's, else the latest enrolment of that year. */
async function classOf(conn: Conn, studentId: number, schoolYearId: number): Promise<number | null> {
  const result = (await conn('student_year_results').where({ student_id: studentId, school_year_id: schoolYearId }).first('class_id')) as Row | undefined;
  if (result) return Number(result.class_id);
  const enrolment = (await conn('enrolments')
    .where({ student_id: studentId, school_year_id: schoolYearId })
    .orderByRaw("case when status = 'active' then 0 else 1 end")
    .orderBy('start_date', 'desc')
    .first('class_id')) as Row | undefined;
  return enrolment ? Number(enrolment.class_id) : null;
}

async function studentsOfClass(conn: Conn, classId: number, schoolYearId: number): Promise<number[]> {
  const [enrolled, resulted] = (await Promise.all([
    conn('enrolments').where({ class_id: classId, school_year_id: schoolYearId, status: 'active' }).select('student_id'),
    conn('student_year_results').where({ class_id: classId, school_year_id: schoolYearId }).select('student_id'),
  ])) as [Row[], Row[]];
  return [...new Set([...enrolled, ...resulted].map((r) => Number(r.student_id)))].sort((a, b) => a - b);
}

/** Groups rows by student id. */
function byStudent(rows: Row[]): Map<number, Row[]> {
  const m = new Map<number, Row[]>();
  for (const r of rows) {
    const id = Number(r.student_id);
    const list = m.get(id);
    if (list) list.push(r);
    else m.set(id, [r]);
  }
  return m;
}

/** The year sections of the given students of one class: every table read once for all of them. */
async function loadClassYears(conn: Conn, classId: number, schoolYearId: number, studentIds: number[], approverOverride?: Approver): Promise<Map<number, TranscriptYear>> {
  const out = new Map<number, TranscriptYear>();
  if (studentIds.length === 0) return out;
  const klass = (await conn('classes as c')
    .join('school_years as y', 'y.id', 'c.school_year_id')
    .leftJoin('staff as h', 'h.id', 'c.homeroom_staff_id')
    .where('c.id', classId)
    .first('c.id', 'c.name', 'c.grade', 'y.name as year', 'h.id as homeroom_id', 'h.full_name as homeroom_name')) as Row | undefined;
  if (!klass) throw notFound('classes', classId);
  const semesters = (await conn('semesters').where({ school_year_id: schoolYearId }).select('id', 'number')) as Row[];
  const semesterNumber = new Map(semesters.map((s) => [Number(s.id), Number(s.number)]));
  const semesterIds = [...semesterNumber.keys()];
  const grade = Number(klass.grade);
  const ids = studentIds;
  const inYear = { school_year_id: schoolYearId };

  const [yearRows, subjectRows, retests, summers, comments, conduct, teachers, corrections, approver] = await Promise.all([
    conn('student_year_results').where(inYear).whereIn('student_id', ids).select() as Promise<Row[]>,
    conn('student_subject_results as r')
      .join('subjects as s', 's.id', 'r.subject_id')
      .where('r.school_year_id', schoolYearId)
      .whereIn('r.student_id', ids)
      .orderBy('s.id')
      .select('r.student_id', 'r.subject_id', 'r.hk1', 'r.hk2', 'r.year', 'r.retest', 's.code', 's.name', 's.assessment_type') as Promise<Row[]>,
    conn('retest_results').where(inYear).whereIn('student_id', ids).select('student_id', 'subject_id', 'value') as Promise<Row[]>,
    conn('summer_training_results').where(inYear).whereIn('student_id', ids).select('student_id', 'conduct') as Promise<Row[]>,
    conn('subject_comments').whereIn('semester_id', semesterIds).whereIn('student_id', ids).select('student_id', 'subject_id', 'semester_id', 'comment') as Promise<Row[]>,
    conn('conduct_records').whereIn('semester_id', semesterIds).whereIn('student_id', ids).select('student_id', 'semester_id', 'homeroom_comment') as Promise<Row[]>,
    conn('teaching_assignments as t')
      .join('staff as st', 'st.id', 't.staff_id')
      .where('t.class_id', classId)
      .select('t.subject_id', 'st.id as staff_id', 'st.full_name') as Promise<Row[]>,
    conn('correction_requests as c')
      .join('subjects as s', 's.id', 'c.subject_id')
      .whereIn('c.semester_id', semesterIds)
      .whereIn('c.student_id', ids)
      .where('c.status', 'applied')
      .select('c.student_id', 's.id as subject_id', 's.name') as Promise<Row[]>,
    approverOverride !== undefined ? Promise.resolve(approverOverride) : approverFor(conn, schoolYearId, grade),
  ]);

  const yearOf = new Map(yearRows.map((r) => [Number(r.student_id), r]));
  const subjectsOf = byStudent(subjectRows);
  const retestOf = new Map(retests.map((r) => [`${r.student_id}:${r.subject_id}`, String(r.value)]));
  const summerOf = new Map(summers.map((r) => [Number(r.student_id), level(r.conduct)]));
  const teacherOf = new Map(teachers.map((t) => [Number(t.subject_id), { staffId: Number(t.staff_id), fullName: nfc(String(t.full_name)) }]));
  // The year's comment is the one written at the end of semester II; semester I's stands in when II has none.
  const latest = <T>(m: Map<string, { n: number; v: T }>, key: string, n: number, v: T) => {
    const cur = m.get(key);
    if (!cur || n > cur.n) m.set(key, { n, v });
  };
  const commentOf = new Map<string, { n: number; v: string }>();
  for (const c of comments) if (text(c.comment)) latest(commentOf, `${c.student_id}:${c.subject_id}`, semesterNumber.get(Number(c.semester_id)) ?? 0, text(c.comment)!);
  const homeroomCommentOf = new Map<string, { n: number; v: string }>();
  for (const c of conduct) if (text(c.homeroom_comment)) latest(homeroomCommentOf, String(c.student_id), semesterNumber.get(Number(c.semester_id)) ?? 0, text(c.homeroom_comment)!);
  const correctionsOf = byStudent(corrections);
  const homeroom = klass.homeroom_id === null || klass.homeroom_id === undefined ? null : { staffId: Number(klass.homeroom_id), fullName: nfc(String(klass.homeroom_name)) };

  for (const studentId of ids) {
    const y = yearOf.get(studentId);
    const subjects: SubjectRow[] = (subjectsOf.get(studentId) ?? []).map((r) => ({
      subjectCode: String(r.code),
      subjectName: nfc(String(r.name)),
      assessment: r.assessment_type === 'comment' ? 'comment' : 'scored',
      hk1: text(r.hk1),
      hk2: text(r.hk2),
      year: text(r.year),
      retest: retestOf.get(`${studentId}:${r.subject_id}`) ?? text(r.retest),
      comment: commentOf.get(`${studentId}:${r.subject_id}`)?.v ?? null,
      teacher: teacherOf.get(Number(r.subject_id)) ?? null,
    }));
    const tookRetest = subjects.some((s) => s.retest !== null);
    const promoted = y ? boolOrNull(y.promoted) : null;
    const summerTraining = y ? toBool(y.summer_training) : false;
    out.set(studentId, {
      schoolYear: String(klass.year),
      grade,
      className: nfc(String(klass.name)),
      subjects,
      summary: {
        learning: { hk1: level(y?.learning_hk1), hk2: level(y?.learning_hk2), year: level(y?.learning_year), afterRetest: tookRetest ? level(y?.learning_final) : null },
        conduct: {
          hk1: level(y?.conduct_hk1),
          hk2: level(y?.conduct_hk2),
          year: level(y?.conduct_year),
          afterSummerTraining: summerOf.get(studentId) ?? (summerTraining ? level(y?.conduct_final) : null),
        },
        absences: y ? Number(y.absences) : 0,
        summerTraining,
        promoted,
        // Hoàn thành chương trình THCS: a grade-9 student promoted by the year's rules (Điều 12, 15).
        completedLevel: grade === 9 ? promoted : null,
        award: y?.award === 'excellent' || y?.award === 'very_good' ? y.award : null,
        homeroomComment: homeroomCommentOf.get(String(studentId))?.v ?? null,
        homeroomTeacher: homeroom,
      },
      corrections: correctionsLine(correctionsOf.get(studentId) ?? []),
      approver,
    });
  }
  return out;
}

/** Count of applied corrections and their subjects in curriculum (subject id) order. */
function correctionsLine(rows: Row[]): CorrectionsLine {
  const names = new Map<number, string>();
  for (const r of rows) names.set(Number(r.subject_id), nfc(String(r.name)));
  return { count: rows.length, subjects: [...names.entries()].sort((a, b) => a[0] - b[0]).map(([, n]) => n) };
}

/** The school block of a transcript, from its `schools` row. */
function schoolOf(school: Row): TranscriptContent['school'] {
  return {
    code: String(school.code),
    name: nfc(String(school.name)),
    level: String(school.level),
    province: text(school.province),
    district: text(school.district),
    address: text(school.address),
    registerNumber: text(school.register_number),
  };
}
