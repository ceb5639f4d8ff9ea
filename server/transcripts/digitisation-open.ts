import crypto from 'node:crypto';
import { slot, subjectSlot, verificationCodeFrom } from '../../domain/transcript/chain';
import { inPlaceNote, type DigitisationEntry, type PaperSigner } from '../../domain/transcript/digitisation';
import type { InPlaceSigner, SubjectRow, TranscriptContent, TranscriptYear } from '../../domain/transcript/types';
import type { Actor } from '../core/actor';
import { appendAudit } from '../core/audit';
import { AppError } from '../core/errors';
import { insertReturningId } from '../core/records';
import { nowIso, type Db } from '../db/knex';
import { assembleTranscript } from './assemble';
import type { SignersSnapshot } from './paper-signers';
import type { Conn } from './store';
import { transcriptToXml } from './xml-mapping';
import { validateTranscriptXml } from './xsd';

/**
 * Opening a digitised paper year for signing (docs/digitisation.md): a new version of the student's transcript
 * whose own year is the paper year, made from the final entry (not from the grade book), marked `trichluc`, with
 * the years of the transcript in force carried over. The teachers of that year are snapshotted: who had left is
 * written into the document (`kythay`: the principal signs in their place) and into `signers`.
 */

export interface PaperYearRow {
  id: number;
  schoolId: number;
  studentId: number;
  schoolYearId: number;
  classId: number;
}

export async function openPaperVersion(db: Db, actor: Actor, d: PaperYearRow, entry: DigitisationEntry): Promise<number> {
  const transcript = await transcriptOf(db, d);
  const versions = (await db('transcript_versions').where({ transcript_id: transcript.id }).select('id', 'version', 'status', 'school_year_id', 'content')) as Array<Record<string, unknown>>;
  const open = versions.find((v) => v.status === 'draft' || v.status === 'signing');
  if (open) throw new AppError('conflict', 'transcriptHasOpenVersion', { version: Number(open.version) });
  const cls = (await db('classes as c').join('school_years as y', 'y.id', 'c.school_year_id').where('c.id', d.classId).first('c.name', 'c.grade', 'y.name as year')) as { name: string; grade: number; year: string };
  const previous = versions.filter((v) => v.status === 'sealed').sort((a, b) => Number(b.version) - Number(a.version))[0];
  const version = Math.max(0, ...versions.map((v) => Number(v.version))) + 1;
  const { year, signers, subjects } = await paperYear(db, d.schoolId, entry, cls);
  const content = await contentWith(db, d, transcript.uid, version, year, previous ? (JSON.parse(String(previous.content)) as TranscriptContent) : null);
  const xml = transcriptToXml(content);
  const valid = await validateTranscriptXml(xml);
  if (!valid.ok) throw new AppError('conflict', 'transcriptInvalidXml', { detail: valid.errors.slice(0, 3).join('; ') });
  const now = nowIso();
  return db.transaction(async (trx) => {
    const versionId = await insertReturningId(trx, 'transcript_versions', {
      transcript_id: transcript.id,
      version,
      school_year_id: d.schoolYearId,
      class_id: d.classId,
      grade: cls.grade,
      status: 'draft',
      content: JSON.stringify(content),
      subjects: JSON.stringify(subjects),
      xml,
      verification_code: content.verificationCode,
      supersedes_version_id: previous ? Number(previous.id) : null,
      reason: 'Trích lục từ học bạ giấy',
      row_version: 1,
      created_at: now,
      updated_at: now,
    });
    await trx('transcript_digitisations').where({ id: d.id }).update({ status: 'opened', version_id: versionId, signers: JSON.stringify(signers), updated_at: now });
    await appendAudit(trx, actor, { action: 'open', entity: 'transcript_versions', entityId: versionId, after: { studentId: d.studentId, version, schoolYearId: d.schoolYearId, trichluc: true, digitisationId: d.id }, schoolId: d.schoolId });
    return versionId;
  });
}

async function transcriptOf(db: Db, d: PaperYearRow): Promise<{ id: number; uid: string }> {
  const row = (await db('transcripts').where({ student_id: d.studentId }).first('id', 'transcript_uid')) as { id: number; transcript_uid: string } | undefined;
  if (row) return { id: Number(row.id), uid: row.transcript_uid };
  const uid = crypto.randomUUID();
  const id = await insertReturningId(db, 'transcripts', { school_id: d.schoolId, student_id: d.studentId, transcript_uid: uid, created_at: nowIso() });
  return { id, uid };
}

type StaffInfo = { id: number; full_name: string; status: string };

/** The paper year as the transcript's content, the signers' snapshot and the version's subjects (step 1's slots). */
async function paperYear(conn: Conn, schoolId: number, e: DigitisationEntry, cls: { name: string; grade: number; year: string }) {
  const subjectRows = (await conn('subjects').where({ school_id: schoolId }).whereIn('id', e.subjects.map((s) => s.subjectId)).orderBy('id').select('id', 'code', 'name', 'assessment_type')) as Array<Record<string, unknown>>;
  const staffIds = [...new Set([...e.subjects.map((s) => s.teacherStaffId), e.homeroomStaffId])];
  const staff = new Map(((await conn('staff').whereIn('id', staffIds).select('id', 'full_name', 'status')) as StaffInfo[]).map((s) => [Number(s.id), s]));
  const principal = await currentPrincipal(conn, schoolId);
  const signer = (staffId: number): PaperSigner => ({ staffId, name: staff.get(staffId)!.full_name, left: staff.get(staffId)!.status === 'left' });
  const inPlace = (p: PaperSigner): InPlaceSigner | null => {
    if (!p.left) return null;
    if (!principal) throw new AppError('conflict', 'digitisationNoPrincipal');
    return { fullName: principal.fullName, note: inPlaceNote(p.name) };
  };
  const signers: SignersSnapshot = {};
  const rows: SubjectRow[] = subjectRows.map((r) => {
    const s = e.subjects.find((x) => x.subjectId === Number(r.id))!;
    const teacher = signer(s.teacherStaffId);
    signers[subjectSlot(cls.year, String(r.code)).signatureId] = teacher;
    const place = inPlace(teacher);
    return {
      subjectCode: String(r.code),
      subjectName: String(r.name),
      assessment: r.assessment_type === 'comment' ? 'comment' : 'scored',
      hk1: s.hk1,
      hk2: s.hk2,
      year: s.year,
      retest: s.retest,
      comment: s.comment,
      teacher: { staffId: teacher.staffId, fullName: teacher.name },
      ...(place ? { signedInPlace: place } : {}),
    };
  });
  const homeroom = signer(e.homeroomStaffId);
  signers[slot('homeroom', cls.year).signatureId] = homeroom;
  const hrPlace = inPlace(homeroom);
  const year: TranscriptYear = {
    schoolYear: cls.year,
    grade: cls.grade,
    className: cls.name,
    subjects: rows,
    summary: {
      ...e.summary,
      completedLevel: cls.grade === 9 ? e.summary.completedLevel : null,
      homeroomTeacher: { staffId: homeroom.staffId, fullName: homeroom.name },
      ...(hrPlace ? { homeroomSignedInPlace: hrPlace } : {}),
    },
    corrections: { count: 0, subjects: [] },
    approver: principal ? { staffId: principal.staffId, fullName: principal.fullName, post: 'principal' } : null,
    extractedFromPaper: true,
  };
  const subjects = subjectRows.map((r) => ({ subjectId: Number(r.id), code: String(r.code), name: String(r.name) }));
  return { year, signers, subjects };
}

async function currentPrincipal(conn: Conn, schoolId: number): Promise<{ staffId: number; fullName: string } | null> {
  const row = (await conn('user_roles as r')
    .join('users as u', 'u.id', 'r.user_id')
    .join('staff as s', 's.id', 'u.staff_id')
    .where({ 'r.school_id': schoolId, 'r.role': 'principal', 'u.disabled': false })
    .orderBy('u.id')
    .first('s.id', 's.full_name')) as { id: number; full_name: string } | undefined;
  return row ? { staffId: Number(row.id), fullName: row.full_name } : null;
}

/**
 * The whole document: the school, identity and history as the grade book knows them today, the years of the
 * transcript in force (carried as they were sealed) and the paper year; a history row for the paper year when the
 * school's enrolments do not have one.
 */
async function contentWith(conn: Conn, d: PaperYearRow, uid: string, version: number, year: TranscriptYear, previous: TranscriptContent | null): Promise<TranscriptContent> {
  const base = await assembleTranscript(conn, { studentId: d.studentId, schoolYearIds: [], transcriptUid: uid, version, verificationCode: verificationCodeFrom(crypto.randomBytes(10)), issuedAt: nowIso() });
  const years = [...(previous?.years ?? []).filter((y) => y.schoolYear !== year.schoolYear), year].sort((a, b) => a.schoolYear.localeCompare(b.schoolYear));
  const history = base.history.some((h) => h.schoolYear === year.schoolYear)
    ? base.history
    : [...base.history, { schoolYear: year.schoolYear, className: year.className, schoolName: base.school.name, district: base.school.district, province: base.school.province }].sort((a, b) => a.schoolYear.localeCompare(b.schoolYear));
  return { ...base, years, history };
}
