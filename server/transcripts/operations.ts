import crypto from 'node:crypto';
import { z } from 'zod';
import { canDirectTranscripts, canManageCertificates, holdsRole, transcriptReadScope } from '../../domain/permissions';
import { verificationCodeFrom } from '../../domain/transcript/chain';
import type { TranscriptContent } from '../../domain/transcript/types';
import { principalOf, type Actor } from '../core/actor';
import { appendAudit } from '../core/audit';
import { AppError, forbidden, invalidField, notFound } from '../core/errors';
import { insertReturningId } from '../core/records';
import { parse } from '../core/validate';
import type { SecretBox } from '../auth/secret-box';
import { nowIso, type Db } from '../db/knex';
import { assembleClassTranscripts, assembleTranscript } from './assemble';
import { describe, openPkcs12OrRefuse, sealPkcs12 } from './keystore';
import { contentOf, type Conn } from './store';
import { transcriptToXml } from './xml-mapping';
import { validateTranscriptXml, validateTranscriptXmls } from './xsd';

/**
 * The transcript's life outside signing: opening a year's versions from the grade book, a correction after sealing
 * (version + 1), revocation, certificates and the principal's delegations and print approvals.
 */

const id = z.number().int().positive();
const reason = z.string().trim().min(3).max(1000);

/** Who opens transcripts for signing: the principal, giáo vụ, the admin (the school's records work, roles.md). */
function assertRecordsOffice(actor: Actor): number {
  const p = principalOf(actor);
  const schoolId = actor.schoolId;
  if (schoolId === null || !['principal', 'academic_staff', 'admin'].some((r) => holdsRole(p, schoolId, r as never))) throw forbidden();
  return schoolId;
}

export function newVerificationCode(): string {
  return verificationCodeFrom(crypto.randomBytes(10));
}

interface Incomplete {
  studentId: number;
  name: string;
  missing: string[];
}

/** Classes in flight while opening a year: enough that several queue for each validator run. */
const OPEN_LANES = 8;

/**
 * Opens (or re-uses) the year's transcripts: one draft version per student whose year results are complete, made
 * from the grade book, validated against the XSD. Students whose results are incomplete are named, not opened.
 */
export async function openYearTranscripts(db: Db, actor: Actor, input: unknown) {
  const schoolId = assertRecordsOffice(actor);
  const { schoolYearId, classId } = parse(z.object({ schoolYearId: id, classId: id.optional() }).strict(), input);
  const year = (await db('school_years').where({ id: schoolYearId, school_id: schoolId }).first('id', 'name')) as { id: number; name: string } | undefined;
  if (!year) throw invalidField('schoolYearId', { key: 'badReference' });
  const q = db('enrolments as e')
    .join('students as s', 's.id', 'e.student_id')
    .join('classes as c', 'c.id', 'e.class_id')
    .leftJoin('student_year_results as r', function () {
      this.on('r.student_id', 'e.student_id').andOn('r.school_year_id', 'e.school_year_id');
    })
    .where({ 'e.school_year_id': schoolYearId, 'e.school_id': schoolId, 'e.status': 'active' })
    .select('e.student_id', 'e.class_id', 'c.grade', 's.full_name', 'r.decision', 'r.missing', 'r.learning_year', 'r.conduct_year', 'r.class_id as result_class_id')
    .orderBy('e.class_id')
    .orderBy('s.full_name');
  if (classId) q.where('e.class_id', classId);
  const rows = (await q) as Record<string, unknown>[];
  if (rows.length === 0) throw new AppError('conflict', 'transcriptNoStudents');
  const incomplete: Incomplete[] = [];
  const ready: Array<{ studentId: number; classId: number; grade: number; resultClassId: number | null }> = [];
  for (const r of rows) {
    const missing = incompleteReasons(r);
    if (missing.length > 0) incomplete.push({ studentId: Number(r.student_id), name: String(r.full_name), missing });
    else ready.push({ studentId: Number(r.student_id), classId: Number(r.class_id), grade: Number(r.grade), resultClassId: r.result_class_id === null || r.result_class_id === undefined ? null : Number(r.result_class_id) });
  }
  if (ready.length === 0) {
    throw new AppError('conflict', 'transcriptIncomplete', { count: incomplete.length, students: incomplete.slice(0, 10).map((s) => s.name) }, {}, { incomplete });
  }
  let opened = 0;
  let reused = 0;
  const versionIds: number[] = [];
  // A class at a time: its grade book read once, its documents validated in one validator run, its versions
  // written in one transaction; requests still get in between classes (see batches.ts).
  const classes = new Map<number, typeof ready>();
  for (const s of ready) classes.set(s.classId, [...(classes.get(s.classId) ?? []), s]);
  // Classes side by side: some are in the validator (its own threads, xsd.ts), which takes the documents of the
  // classes that queued meanwhile in one run, while the others are read and assembled.
  const subjects = (await db('subjects').where({ school_id: schoolId }).select('id', 'code', 'name')) as SubjectRow[];
  const queue = [...classes.entries()];
  const results = new Map<number, OpenResult[]>();
  const lane = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      await new Promise((resolve) => setImmediate(resolve));
      const [klass, students] = next;
      try {
        results.set(klass, await openClass(db, actor, { schoolId, schoolYearId, yearName: year.name, subjects, classId: klass, grade: students[0].grade, students }));
      } catch (err) {
        queue.length = 0; // the other lane stops after its class too
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: OPEN_LANES }, lane));
  for (const klass of classes.keys()) {
    for (const r of results.get(klass) ?? []) {
      if (r.created) opened++;
      else reused++;
      if (r.versionId) versionIds.push(r.versionId);
    }
  }
  return { opened, reused, incomplete, versionIds };
}

type OpenStudent = { studentId: number; classId: number; grade: number; resultClassId: number | null };
/** One class to open, with what every class of the year shares (read once for the year). */
type OpenClass = { schoolId: number; schoolYearId: number; yearName: string; subjects: SubjectRow[]; classId: number; grade: number; students: OpenStudent[] };
type SubjectRow = { id: number; code: string; name: string };
type OpenResult = { created: boolean; versionId: number };

/**
 * The students of one class: those whose version is new and covers this year only are assembled together
 * (assembleClassTranscripts) and written in one transaction with one audit entry listing the versions; the others
 * (a transcript that already holds other years, a result kept in another class) one by one (openOne). If the class
 * write loses a race with another open (the unique transcript or version), the class is opened one by one: the
 * versions made meanwhile are re-used.
 */
async function openClass(db: Db, actor: Actor, c: OpenClass): Promise<OpenResult[]> {
  try {
    return await openClassTogether(db, actor, c);
  } catch (err) {
    if (err instanceof AppError) throw err;
    const out: OpenResult[] = [];
    for (const s of c.students) out.push(await openOne(db, actor, { schoolId: c.schoolId, schoolYearId: c.schoolYearId, studentId: s.studentId, classId: s.classId, grade: s.grade }));
    return out;
  }
}

async function openClassTogether(db: Db, actor: Actor, c: OpenClass): Promise<OpenResult[]> {
  const ids = c.students.map((s) => s.studentId);
  const known = (await db('transcripts').whereIn('student_id', ids).select('id', 'student_id', 'transcript_uid')) as Array<{ id: number; student_id: number; transcript_uid: string }>;
  const have = new Set(known.map((t) => Number(t.student_id)));
  const missing = ids.filter((id) => !have.has(id));
  if (missing.length > 0) {
    await db.transaction(async (trx) => {
      const rows = missing.map((studentId) => ({ school_id: c.schoolId, student_id: studentId, transcript_uid: crypto.randomUUID(), created_at: nowIso() }));
      for (let i = 0; i < rows.length; i += 100) await trx('transcripts').insert(rows.slice(i, i + 100));
    });
  }
  const transcripts = new Map(
    ((await db('transcripts').whereIn('student_id', ids).select('id', 'student_id', 'transcript_uid')) as Array<{ id: number; student_id: number; transcript_uid: string }>).map((t) => [Number(t.student_id), { id: Number(t.id), uid: t.transcript_uid }]),
  );
  const versions = (await db('transcript_versions')
    .whereIn(
      'transcript_id',
      [...transcripts.values()].map((t) => t.id),
    )
    .select('id', 'transcript_id', 'version', 'status', 'school_year_id')) as Array<Record<string, unknown>>;
  const out: OpenResult[] = [];
  const together: Array<{ s: OpenStudent; transcriptId: number; uid: string; version: number; previous: number | null }> = [];
  const alone: OpenStudent[] = [];
  for (const s of c.students) {
    const t = transcripts.get(s.studentId)!;
    const vs = versions.filter((v) => Number(v.transcript_id) === t.id);
    const open = vs.find((v) => v.status === 'draft' || v.status === 'signing');
    const sealedThisYear = vs.find((v) => v.status === 'sealed' && Number(v.school_year_id) === c.schoolYearId);
    if (open || sealedThisYear) {
      out.push({ created: false, versionId: Number((open ?? sealedThisYear)!.id) });
      continue;
    }
    const otherYears = vs.some((v) => v.status !== 'revoked' && Number(v.school_year_id) !== c.schoolYearId);
    if (otherYears || (s.resultClassId !== null && s.resultClassId !== c.classId)) {
      alone.push(s);
      continue;
    }
    const previous = vs.filter((v) => v.status === 'sealed').sort((a, b) => Number(b.version) - Number(a.version))[0];
    together.push({ s, transcriptId: t.id, uid: t.uid, version: Math.max(0, ...vs.map((v) => Number(v.version))) + 1, previous: previous ? Number(previous.id) : null });
  }
  if (together.length > 0) out.push(...(await writeClassVersions(db, actor, c, together)));
  for (const s of alone) out.push(await openOne(db, actor, { schoolId: c.schoolId, schoolYearId: c.schoolYearId, studentId: s.studentId, classId: s.classId, grade: s.grade }));
  return out;
}

async function writeClassVersions(
  db: Db,
  actor: Actor,
  c: OpenClass,
  list: Array<{ s: OpenStudent; transcriptId: number; uid: string; version: number; previous: number | null }>,
): Promise<OpenResult[]> {
  const issuedAt = nowIso();
  const approver = await delegatedApprover(db, c.schoolYearId, c.grade);
  const contents = await assembleClassTranscripts(db, {
    classId: c.classId,
    schoolYearId: c.schoolYearId,
    ...(approver ? { approver } : {}),
    students: list.map((x) => ({ studentId: x.s.studentId, transcriptUid: x.uid, version: x.version, verificationCode: newVerificationCode(), issuedAt })),
  });
  const docs = list.map((x) => contents.get(x.s.studentId)!);
  const xmls = docs.map(transcriptToXml);
  const invalid = (await validateTranscriptXmls(xmls)).find((r) => !r.ok);
  if (invalid && !invalid.ok) throw new AppError('conflict', 'transcriptInvalidXml', { detail: invalid.errors.slice(0, 3).join('; ') });
  const now = nowIso();
  return db.transaction(async (trx) => {
    const out: OpenResult[] = [];
    for (let i = 0; i < list.length; i++) {
      const x = list[i];
      const versionId = await insertReturningId(trx, 'transcript_versions', {
        transcript_id: x.transcriptId,
        version: x.version,
        school_year_id: c.schoolYearId,
        class_id: c.classId,
        grade: c.grade,
        status: 'draft',
        content: JSON.stringify(docs[i]),
        subjects: JSON.stringify(subjectsFrom(c.subjects, docs[i], c.yearName)),
        xml: xmls[i],
        verification_code: docs[i].verificationCode,
        supersedes_version_id: x.previous,
        reason: null,
        row_version: 1,
        created_at: now,
        updated_at: now,
      });
      out.push({ created: true, versionId });
    }
    await appendAudit(trx, actor, {
      action: 'open',
      entity: 'transcript_versions',
      entityId: out.length === 1 ? out[0].versionId : null,
      after: { schoolYearId: c.schoolYearId, classId: c.classId, versions: list.map((x, i) => ({ versionId: out[i].versionId, studentId: x.s.studentId, version: x.version })) },
      schoolId: c.schoolId,
    });
    return out;
  });
}

/** The approver named in the document: the delegated vice principal of the grade, if any (seed 002). */
async function delegatedApprover(conn: Db, schoolYearId: number, grade: number): Promise<{ staffId: number; fullName: string; post: 'vice_principal' } | null> {
  const d = (await conn('signing_delegations as d')
    .join('users as u', 'u.id', 'd.user_id')
    .join('staff as st', 'st.id', 'u.staff_id')
    .where({ 'd.school_year_id': schoolYearId, 'd.grade': grade })
    .first('st.id', 'st.full_name')) as { id: number; full_name: string } | undefined;
  return d ? { staffId: Number(d.id), fullName: d.full_name, post: 'vice_principal' } : null;
}

function incompleteReasons(r: Record<string, unknown>): string[] {
  if (r.decision === null || r.decision === undefined) return ['results'];
  const missing = JSON.parse(String(r.missing ?? '[]')) as Array<{ what: string; semester?: number }>;
  const out = missing.map((m) => `${m.what}${m.semester ? ` ${m.semester}` : ''}`);
  if (r.decision === 'incomplete' && out.length === 0) out.push('decision');
  if (!r.learning_year) out.push('learning');
  if (!r.conduct_year) out.push('conduct');
  return [...new Set(out)];
}

/**
 * One student's version for the year: re-used while open or already sealed for that year; otherwise version + 1.
 * The grade book is read outside any transaction (its reads run side by side on the pool); the insert is guarded by
 * the unique (transcript, version): two opens at once make one version, the other re-uses it.
 */
async function openOne(db: Db, actor: Actor, s: { schoolId: number; schoolYearId: number; studentId: number; classId: number; grade: number }, correction?: { reason: string }) {
  const plan = await db.transaction(async (trx) => {
    let transcript = (await trx('transcripts').where({ student_id: s.studentId }).first('id', 'transcript_uid')) as { id: number; transcript_uid: string } | undefined;
    if (!transcript) {
      const uid = crypto.randomUUID();
      const tid = await insertReturningId(trx, 'transcripts', { school_id: s.schoolId, student_id: s.studentId, transcript_uid: uid, created_at: nowIso() });
      transcript = { id: tid, transcript_uid: uid };
    }
    const versions = (await trx('transcript_versions').where({ transcript_id: transcript.id }).select('id', 'version', 'status', 'school_year_id')) as Array<Record<string, unknown>>;
    return { transcript, versions };
  });
  const { transcript, versions } = plan;
  const open = versions.find((v) => v.status === 'draft' || v.status === 'signing');
  if (open) {
    if (correction) throw new AppError('conflict', 'transcriptHasOpenVersion', { version: Number(open.version) });
    return { created: false, versionId: Number(open.id) };
  }
  const sealedThisYear = versions.find((v) => v.status === 'sealed' && Number(v.school_year_id) === s.schoolYearId);
  if (sealedThisYear && !correction) return { created: false, versionId: Number(sealedThisYear.id) };
  const previous = versions.filter((v) => v.status === 'sealed').sort((a, b) => Number(b.version) - Number(a.version))[0];
  const version = Math.max(0, ...versions.map((v) => Number(v.version))) + 1;
  // Digitised paper years have no grade book to assemble from: they are carried as the version in force has them.
  const paperYearIds = await paperYearIdsOf(db, versions.map((v) => Number(v.id)));
  const yearIds = [...new Set([...versions.filter((v) => v.status !== 'revoked').map((v) => Number(v.school_year_id)), s.schoolYearId])].filter((id) => id === s.schoolYearId || !paperYearIds.has(id));
  const content = withPaperYears(await assembleContent(db, { ...s, transcriptUid: transcript.transcript_uid, version, yearIds }), previous && paperYearIds.size > 0 ? await contentOf(db, Number(previous.id)) : null);
  const xml = transcriptToXml(content);
  const valid = await validateTranscriptXml(xml);
  if (!valid.ok) throw new AppError('conflict', 'transcriptInvalidXml', { detail: valid.errors.slice(0, 3).join('; ') });
  const yearName = (await db('school_years').where({ id: s.schoolYearId }).first('name')) as { name: string };
  const subjects = await subjectsOf(db, s.schoolId, content, yearName.name);
  const now = nowIso();
  try {
    return await db.transaction(async (trx) => {
      const versionId = await insertReturningId(trx, 'transcript_versions', {
        transcript_id: transcript.id,
        version,
        school_year_id: s.schoolYearId,
        class_id: s.classId,
        grade: s.grade,
        status: 'draft',
        content: JSON.stringify(content),
        subjects: JSON.stringify(subjects),
        xml,
        verification_code: content.verificationCode,
        supersedes_version_id: previous ? Number(previous.id) : null,
        reason: correction?.reason ?? null,
        row_version: 1,
        created_at: now,
        updated_at: now,
      });
      await appendAudit(trx, actor, {
        action: correction ? 'reopen' : 'open',
        entity: 'transcript_versions',
        entityId: versionId,
        after: { studentId: s.studentId, version, schoolYearId: s.schoolYearId },
        reason: correction?.reason ?? null,
        schoolId: s.schoolId,
      });
      return { created: true, versionId };
    });
  } catch (err) {
    // Someone opened the same version meanwhile: theirs stands.
    const same = (await db('transcript_versions').where({ transcript_id: transcript.id, version }).first('id')) as { id: number } | undefined;
    if (same && !correction) return { created: false, versionId: Number(same.id) };
    if (same) throw new AppError('conflict', 'transcriptHasOpenVersion', { version });
    throw err;
  }
}

async function paperYearIdsOf(conn: Conn, versionIds: number[]): Promise<Set<number>> {
  if (versionIds.length === 0) return new Set();
  const rows = (await conn('transcript_digitisations').whereIn('version_id', versionIds).select('school_year_id')) as Array<{ school_year_id: number }>;
  return new Set(rows.map((r) => Number(r.school_year_id)));
}

/** The grade-book content with the paper years of the version in force put back (docs/digitisation.md). */
function withPaperYears(content: TranscriptContent, previous: TranscriptContent | null): TranscriptContent {
  if (!previous) return content;
  const paper = previous.years.filter((y) => y.extractedFromPaper && !content.years.some((x) => x.schoolYear === y.schoolYear));
  if (paper.length === 0) return content;
  const history = [...content.history, ...previous.history.filter((h) => paper.some((y) => y.schoolYear === h.schoolYear) && !content.history.some((x) => x.schoolYear === h.schoolYear))];
  const bySchoolYear = (a: { schoolYear: string }, b: { schoolYear: string }) => a.schoolYear.localeCompare(b.schoolYear);
  return { ...content, years: [...content.years, ...paper].sort(bySchoolYear), history: history.sort(bySchoolYear) };
}

async function assembleContent(conn: Db, s: { schoolYearId: number; grade: number; studentId: number; transcriptUid: string; version: number; yearIds: number[] }): Promise<TranscriptContent> {
  // The approver named in the document: the delegated vice principal of the grade, if any (seed 002).
  const approvers: Record<number, { staffId: number; fullName: string; post: 'vice_principal' }> = {};
  const d = (await conn('signing_delegations as d')
    .join('users as u', 'u.id', 'd.user_id')
    .join('staff as st', 'st.id', 'u.staff_id')
    .where({ 'd.school_year_id': s.schoolYearId, 'd.grade': s.grade })
    .first('st.id', 'st.full_name')) as { id: number; full_name: string } | undefined;
  if (d) approvers[s.schoolYearId] = { staffId: Number(d.id), fullName: d.full_name, post: 'vice_principal' };
  return assembleTranscript(conn, {
    studentId: s.studentId,
    schoolYearIds: s.yearIds,
    transcriptUid: s.transcriptUid,
    version: s.version,
    verificationCode: newVerificationCode(),
    issuedAt: nowIso(),
    approvers,
  });
}

async function subjectsOf(conn: Conn, schoolId: number, content: TranscriptContent, yearName: string) {
  const year = content.years.find((y) => y.schoolYear === yearName);
  const codes = year?.subjects.map((s) => s.subjectCode) ?? [];
  const rows = (await conn('subjects').where({ school_id: schoolId }).whereIn('code', codes).select('id', 'code', 'name')) as Array<{ id: number; code: string; name: string }>;
  return subjectsFrom(rows, content, yearName);
}

/** The year's subjects of a version (who signs which table), from the school's subject rows. */
function subjectsFrom(rows: SubjectRow[], content: TranscriptContent, yearName: string) {
  const year = content.years.find((y) => y.schoolYear === yearName);
  const codes = year?.subjects.map((s) => s.subjectCode) ?? [];
  return codes.map((code) => {
    const r = rows.find((x) => x.code === code);
    return { subjectId: r ? Number(r.id) : 0, code, name: r?.name ?? code };
  });
}

/** A correction after sealing (principal): version + 1 from fresh grade-book data, through the whole chain again. */
export async function reopenForCorrection(db: Db, actor: Actor, input: unknown) {
  const schoolId = actor.schoolId;
  if (schoolId === null || !canDirectTranscripts(principalOf(actor), schoolId)) throw forbidden();
  const body = parse(z.object({ transcriptId: id, reason }).strict(), input);
  const sealed = (await db('transcript_versions as v')
    .join('transcripts as t', 't.id', 'v.transcript_id')
    .where({ 't.id': body.transcriptId, 't.school_id': schoolId, 'v.status': 'sealed' })
    .orderBy('v.version', 'desc')
    .first('v.school_year_id', 'v.class_id', 'v.grade', 't.student_id')) as Record<string, unknown> | undefined;
  if (!sealed) throw notFound('transcripts', body.transcriptId);
  await refuseTransferredStudent(db, Number(sealed.student_id));
  const r = await openOne(
    db,
    actor,
    { schoolId, schoolYearId: Number(sealed.school_year_id), studentId: Number(sealed.student_id), classId: Number(sealed.class_id), grade: Number(sealed.grade) },
    { reason: body.reason },
  );
  return { versionId: r.versionId };
}

/** A student who transferred out is read-only history here: their transcript is not reopened nor revoked. */
async function refuseTransferredStudent(conn: Conn, studentId: number): Promise<void> {
  const s = (await conn('students').where({ id: studentId }).first('status', 'full_name')) as { status: string; full_name: string } | undefined;
  if (s?.status === 'transferred_out') throw new AppError('locked', 'studentTransferredOut', { name: String(s.full_name) });
}

/** Thu hồi (trangthai 2): the principal revokes a version with a reason; the public lookup then says so. */
export async function revokeVersion(db: Db, actor: Actor, versionId: string | number, input: unknown) {
  const schoolId = actor.schoolId;
  if (schoolId === null || !canDirectTranscripts(principalOf(actor), schoolId)) throw forbidden();
  const body = parse(z.object({ reason }).strict(), input);
  return db.transaction(async (trx) => {
    const v = (await trx('transcript_versions as v').join('transcripts as t', 't.id', 'v.transcript_id').where({ 'v.id': Number(versionId) || 0, 't.school_id': schoolId }).first('v.id', 'v.status', 't.student_id')) as
      | { id: number; status: string; student_id: number }
      | undefined;
    if (!v) throw notFound('transcripts', String(versionId));
    await refuseTransferredStudent(trx, Number(v.student_id));
    if (v.status === 'revoked') throw new AppError('conflict', 'transcriptNotSignable', { status: { key: 'transcriptStatus_revoked' } });
    await trx('transcript_versions').where({ id: v.id }).update({ status: 'revoked', updated_at: nowIso() });
    await appendAudit(trx, actor, { action: 'revoke', entity: 'transcript_versions', entityId: v.id, before: { status: v.status }, after: { status: 'revoked' }, reason: body.reason, schoolId });
    return { id: Number(v.id), status: 'revoked' };
  });
}

/* ------------------------------------------------------------------------------------------------------------
 * Certificates and delegations
 * ------------------------------------------------------------------------------------------------------------ */

const certificateInput = z
  .object({
    kind: z.enum(['person', 'seal', 'root']),
    /** base64 PKCS#12 (person, seal) — its PIN is checked once here, never stored. */
    pkcs12: z.string().max(200_000).optional(),
    pin: z.string().min(4).max(64).optional(),
    /** PEM, for a trust anchor. */
    pem: z.string().max(20_000).optional(),
  })
  .strict();

export async function registerCertificate(db: Db, actor: Actor, input: unknown, box: SecretBox) {
  const schoolId = actor.schoolId;
  if (schoolId === null) throw forbidden();
  const p = principalOf(actor);
  const body = parse(certificateInput, input);
  if (body.kind !== 'person' && !canManageCertificates(p, schoolId)) throw forbidden();
  let pem: string;
  let sealed: string | null = null;
  if (body.kind === 'root') {
    if (!body.pem) throw invalidField('pem', { key: 'required' });
    pem = body.pem;
  } else {
    if (!body.pkcs12) throw invalidField('pkcs12', { key: 'required' });
    if (!body.pin) throw invalidField('pin', { key: 'required' });
    const p12 = Buffer.from(body.pkcs12, 'base64');
    const key = openPkcs12OrRefuse(p12, body.pin, 'pkcs12');
    pem = key.certificatePem;
    sealed = sealPkcs12(box, p12);
  }
  const staffId = body.kind === 'person' ? (p.staffId ?? null) : null;
  if (body.kind === 'person' && staffId === null) throw forbidden();
  return storeCertificate(db, actor, { schoolId, staffId, kind: body.kind, pem, sealedPkcs12: sealed, trusted: body.kind === 'root' });
}

/** Writes a certificate row (also the demo seed's way in). */
export async function storeCertificate(
  db: Db,
  actor: Actor,
  c: { schoolId: number; staffId: number | null; kind: 'person' | 'seal' | 'root'; pem: string; sealedPkcs12: string | null; trusted: boolean },
) {
  let info;
  try {
    info = describe(c.pem);
  } catch {
    throw invalidField('pem', { key: 'badFormat' });
  }
  return db.transaction(async (trx) => {
    if (await trx('certificates').where({ sha256: info.sha256 }).first('id')) throw new AppError('conflict', 'certificateExists');
    const certId = await insertReturningId(trx, 'certificates', {
      school_id: c.schoolId,
      staff_id: c.staffId,
      kind: c.kind,
      pem: info.pem,
      sha256: info.sha256,
      subject_cn: info.commonName,
      subject_serial: info.subjectSerial,
      not_before: info.notBefore,
      not_after: info.notAfter,
      pkcs12: c.sealedPkcs12,
      trusted: c.trusted,
      revoked_at: null,
      created_at: nowIso(),
    });
    await appendAudit(trx, actor, { action: 'create', entity: 'certificates', entityId: certId, after: { kind: c.kind, staffId: c.staffId, sha256: info.sha256, subject: info.commonName }, schoolId: c.schoolId });
    return { id: certId, kind: c.kind, sha256: info.sha256, commonName: info.commonName, notBefore: info.notBefore, notAfter: info.notAfter };
  });
}

/** The admin sees the school's certificates; everyone else their own (never the keystore itself). */
export async function listCertificates(db: Db, actor: Actor) {
  const schoolId = actor.schoolId;
  if (schoolId === null) throw forbidden();
  const p = principalOf(actor);
  const q = db('certificates as c').leftJoin('staff as s', 's.id', 'c.staff_id').where('c.school_id', schoolId).orderBy('c.id');
  if (!canManageCertificates(p, schoolId)) q.where('c.staff_id', p.staffId ?? -1);
  const rows = (await q.select('c.id', 'c.kind', 'c.staff_id', 's.full_name', 'c.sha256', 'c.subject_cn', 'c.subject_serial', 'c.not_before', 'c.not_after', 'c.trusted', 'c.revoked_at', 'c.pkcs12')) as Record<
    string,
    unknown
  >[];
  return rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    staffId: r.staff_id === null ? null : Number(r.staff_id),
    staffName: r.full_name ?? null,
    sha256: r.sha256,
    commonName: r.subject_cn,
    subjectSerial: r.subject_serial,
    notBefore: r.not_before,
    notAfter: r.not_after,
    trusted: r.trusted === true || r.trusted === 1,
    revokedAt: r.revoked_at,
    softwareKeystore: r.pkcs12 !== null,
  }));
}

export async function listDelegations(db: Db, actor: Actor, query: Record<string, unknown>) {
  const schoolId = actor.schoolId;
  if (schoolId === null || transcriptReadScope(principalOf(actor), schoolId)?.kind !== 'all') throw forbidden();
  const q = db('signing_delegations as d').join('users as u', 'u.id', 'd.user_id').join('school_years as y', 'y.id', 'd.school_year_id').where('d.school_id', schoolId).orderBy(['d.school_year_id', 'd.grade']);
  if (query.schoolYearId) q.where('d.school_year_id', Number(query.schoolYearId) || 0);
  const rows = (await q.select('d.id', 'd.school_year_id', 'y.name', 'd.grade', 'd.user_id', 'u.full_name')) as Record<string, unknown>[];
  return rows.map((r) => ({ id: Number(r.id), schoolYearId: Number(r.school_year_id), schoolYear: r.name, grade: Number(r.grade), userId: Number(r.user_id), fullName: r.full_name }));
}

/** The principal names, per grade of a year, the vice principal who approves (null: the principal again). */
export async function putDelegations(db: Db, actor: Actor, input: unknown) {
  const schoolId = actor.schoolId;
  if (schoolId === null || !canDirectTranscripts(principalOf(actor), schoolId)) throw forbidden();
  const body = parse(z.object({ schoolYearId: id, delegations: z.array(z.object({ grade: z.number().int().min(1).max(12), userId: id.nullable() }).strict()).max(12) }).strict(), input);
  await db.transaction(async (trx) => {
    if (!(await trx('school_years').where({ id: body.schoolYearId, school_id: schoolId }).first('id'))) throw invalidField('schoolYearId', { key: 'badReference' });
    for (const [i, d] of body.delegations.entries()) {
      if (d.userId === null) continue;
      const vp = await trx('user_roles').where({ user_id: d.userId, school_id: schoolId, role: 'vice_principal' }).first('id');
      if (!vp) throw invalidField(`delegations.${i}.userId`, { key: 'badReference' });
    }
    const before = await trx('signing_delegations').where({ school_year_id: body.schoolYearId }).select('grade', 'user_id');
    for (const d of body.delegations) {
      await trx('signing_delegations').where({ school_year_id: body.schoolYearId, grade: d.grade }).delete();
      if (d.userId !== null) {
        await trx('signing_delegations').insert({ school_id: schoolId, school_year_id: body.schoolYearId, grade: d.grade, user_id: d.userId, created_by: actor.userId, created_at: nowIso() });
      }
    }
    await appendAudit(trx, actor, { action: 'edit', entity: 'signing_delegations', entityId: body.schoolYearId, before, after: body.delegations, schoolId });
  });
  return listDelegations(db, actor, { schoolYearId: body.schoolYearId });
}

/* ------------------------------------------------------------------------------------------------------------
 * Printing (hoc-ba-so.md: printed books are approved by the principal)
 * ------------------------------------------------------------------------------------------------------------ */

export async function approvePrinting(db: Db, actor: Actor, input: unknown) {
  const schoolId = actor.schoolId;
  if (schoolId === null || !canDirectTranscripts(principalOf(actor), schoolId)) throw forbidden();
  const body = parse(z.object({ schoolYearId: id, grade: z.number().int().min(1).max(12), classId: id.optional() }).strict(), input);
  return db.transaction(async (trx) => {
    if (!(await trx('school_years').where({ id: body.schoolYearId, school_id: schoolId }).first('id'))) throw invalidField('schoolYearId', { key: 'badReference' });
    if (body.classId && !(await trx('classes').where({ id: body.classId, school_year_id: body.schoolYearId, grade: body.grade }).first('id'))) throw invalidField('classId', { key: 'badReference' });
    const approvalId = await insertReturningId(trx, 'transcript_print_approvals', {
      school_id: schoolId,
      school_year_id: body.schoolYearId,
      grade: body.grade,
      class_id: body.classId ?? null,
      approved_by: actor.userId,
      approved_at: nowIso(),
    });
    await appendAudit(trx, actor, { action: 'approve', entity: 'transcript_print_approvals', entityId: approvalId, after: body, schoolId });
    return { id: approvalId, ...body };
  });
}

export async function listPrintApprovals(db: Db, actor: Actor) {
  const schoolId = actor.schoolId;
  if (schoolId === null || transcriptReadScope(principalOf(actor), schoolId)?.kind !== 'all') throw forbidden();
  const rows = (await db('transcript_print_approvals as a').join('users as u', 'u.id', 'a.approved_by').where('a.school_id', schoolId).orderBy('a.id').select('a.*', 'u.full_name')) as Record<string, unknown>[];
  return rows.map((r) => ({ id: Number(r.id), schoolYearId: Number(r.school_year_id), grade: Number(r.grade), classId: r.class_id === null ? null : Number(r.class_id), approvedBy: r.full_name, approvedAt: r.approved_at }));
}
