/**
 * In (issue 13, docs/transfers.md): the receiving school uploads a transfer package. Everything is checked first
 * (read-package.ts); a dry run answers what would be imported and the verification result; the import itself is one
 * transaction — the student created or matched (national id, else student code with the same name and birth date),
 * the earlier schools' sealed versions stored read-only as imported history (the signed XML as received, where it
 * came from), optionally the student enrolled in a class as the "Chuyển trường" form does, all audited.
 */
import { z } from 'zod';
import { searchKey } from '../../domain/text';
import { canTransferTranscripts } from '../../domain/permissions';
import type { TransferRecord } from '../../domain/transfer/record';
import { principalOf, type Actor } from '../core/actor';
import { appendAudit } from '../core/audit';
import { AppError, forbidden } from '../core/errors';
import { insertReturningId } from '../core/records';
import { parse } from '../core/validate';
import { nowIso, type Db } from '../db/knex';
import { transferIn } from '../school/student-transfers';
import { trustAnchors, type Conn } from '../transcripts/store';
import { sha256Of } from './documents';
import { readPackage, type CheckedPackage } from './read-package';

const ImportBody = z.strictObject({
  contentBase64: z.string().min(1).max(72_000_000),
  dryRun: z.boolean().optional(),
  classId: z.coerce.number().int().positive().optional(),
});

type Trx = Parameters<Parameters<Db['transaction']>[0]>[0];

export async function importPackage(db: Db, actor: Actor, input: unknown) {
  const schoolId = actor.schoolId;
  if (schoolId === null || !canTransferTranscripts(principalOf(actor), schoolId)) throw forbidden();
  const body = parse(ImportBody, input);
  const pkg = await readPackage(Buffer.from(body.contentBase64, 'base64'), await trustAnchors(db));
  const school = (await db('schools').where({ id: schoolId }).first('code', 'name')) as { code: string; name: string };
  const r = pkg.record;
  if (r.fromSchool.code === school.code) throw new AppError('conflict', 'transferFromSelf', { school: school.code });
  if (r.toSchool.code && r.toSchool.code !== school.code) throw new AppError('conflict', 'transferNotForUs', { to: `${r.toSchool.name} (${r.toSchool.code})`, ours: school.code });
  await refuseRepeat(db, schoolId, r.packageId);
  const match = await matchStudent(db, schoolId, r.student);
  const preview = previewOf(pkg, match);
  if (body.dryRun) return { dryRun: true, ...preview };
  const result = await db.transaction(async (trx) => {
    await refuseRepeat(trx, schoolId, r.packageId);
    const again = await matchStudent(trx, schoolId, r.student);
    const studentId = again ?? (await createStudent(trx, schoolId, r.student));
    const importId = await storeImport(trx, actor, schoolId, studentId, pkg);
    if (body.classId !== undefined) await enrol(trx, actor, schoolId, studentId, body.classId, r);
    return { importId, studentId, created: again === null };
  });
  return { dryRun: false, id: result.importId, studentId: result.studentId, createdStudent: result.created, ...preview };
}

async function refuseRepeat(conn: Conn, schoolId: number, packageId: string): Promise<void> {
  const done = (await conn('transfer_imports').where({ school_id: schoolId, package_id: packageId }).first('created_at')) as { created_at: string } | undefined;
  if (done) throw new AppError('conflict', 'transferAlreadyImported', { packageId, at: String(done.created_at).slice(0, 10).split('-').reverse().join('/') });
}

/** The student already at this school, if any; a student code held by someone else is refused, not guessed at. */
async function matchStudent(conn: Conn, schoolId: number, s: TransferRecord['student']): Promise<number | null> {
  if (s.nationalId) {
    const byId = (await conn('students').where({ school_id: schoolId, national_id: s.nationalId }).first('id')) as { id: number } | undefined;
    if (byId) return Number(byId.id);
  }
  const byCode = (await conn('students').where({ school_id: schoolId, student_code: s.studentCode }).first('id', 'full_name', 'birth_date', 'national_id')) as Record<string, unknown> | undefined;
  if (!byCode) return null;
  const same = String(byCode.full_name).normalize('NFC') === s.fullName.normalize('NFC') && String(byCode.birth_date) === s.birthDate && (!s.nationalId || !byCode.national_id);
  if (!same) throw new AppError('conflict', 'transferStudentCodeTaken', { code: s.studentCode, name: String(byCode.full_name) });
  return Number(byCode.id);
}

async function createStudent(trx: Trx, schoolId: number, s: TransferRecord['student']): Promise<number> {
  const now = nowIso();
  return insertReturningId(trx, 'students', {
    school_id: schoolId,
    student_code: s.studentCode,
    full_name: s.fullName.normalize('NFC'),
    search_text: searchKey(s.fullName, s.studentCode),
    birth_date: s.birthDate,
    sex: s.sex,
    national_id: s.nationalId,
    ethnicity: s.ethnicity,
    nationality: s.nationality,
    place_of_birth: s.placeOfBirth,
    home_town: s.homeTown,
    address: s.address,
    status: 'studying',
    created_at: now,
    updated_at: now,
  });
}

async function storeImport(trx: Trx, actor: Actor, schoolId: number, studentId: number, pkg: CheckedPackage): Promise<number> {
  const r = pkg.record;
  const now = nowIso();
  const importId = await insertReturningId(trx, 'transfer_imports', {
    school_id: schoolId,
    student_id: studentId,
    package_id: r.packageId,
    from_school_code: r.fromSchool.code,
    from_school_name: r.fromSchool.name,
    transfer_date: r.transferDate,
    reason: r.reason,
    record_xml: pkg.recordXml,
    zip_sha256: pkg.zipSha256,
    documents: pkg.documents.length,
    created_by: actor.userId,
    created_at: now,
  });
  for (const d of pkg.documents) {
    await trx('imported_transcripts').insert({
      school_id: schoolId,
      student_id: studentId,
      import_id: importId,
      transcript_uid: d.transcriptUid,
      version: d.version,
      school_year: d.schoolYear,
      grade: d.facts.grade,
      class_name: d.facts.className,
      source_school_code: d.schoolCode,
      source_school_name: d.facts.schoolName || d.schoolCode,
      xml: d.xml,
      sha256: sha256Of(d.xml),
      imported_at: now,
    });
  }
  await appendAudit(trx, actor, {
    action: 'create',
    entity: 'transfer-imports',
    entityId: importId,
    after: { studentId, packageId: r.packageId, fromSchool: `${r.fromSchool.name} (${r.fromSchool.code})`, transferDate: r.transferDate, documents: pkg.documents.map((d) => ({ file: d.file, sha256: d.sha256 })), zipSha256: pkg.zipSha256 },
    schoolId,
  });
  return importId;
}

/** Enrols the arriving student as the "Chuyển trường" form's transfer in does, with its record and audit. */
async function enrol(trx: Trx, actor: Actor, schoolId: number, studentId: number, classId: number, r: TransferRecord): Promise<void> {
  const year = (await trx('classes as c').join('school_years as y', 'y.id', 'c.school_year_id').where({ 'c.id': classId }).first('y.start_date')) as { start_date: string } | undefined;
  const date = year && r.transferDate < year.start_date ? year.start_date : r.transferDate;
  const t = { studentId, direction: 'in' as const, transferDate: date, otherSchool: r.fromSchool.name, reason: r.reason, classId };
  await transferIn(t, { trx, actor, principal: principalOf(actor), schoolId });
  const rowId = await insertReturningId(trx, 'student_transfers', { school_id: schoolId, student_id: studentId, direction: 'in', transfer_date: date, other_school: r.fromSchool.name, reason: r.reason, class_id: classId, created_at: nowIso() });
  await appendAudit(trx, actor, { action: 'create', entity: 'student-transfers', entityId: rowId, after: { studentId, direction: 'in', transferDate: date, otherSchool: r.fromSchool.name, classId }, schoolId });
}

function previewOf(pkg: CheckedPackage, match: number | null) {
  const r = pkg.record;
  return {
    packageId: r.packageId,
    fromSchool: r.fromSchool,
    toSchool: r.toSchool,
    transferDate: r.transferDate,
    reason: r.reason,
    student: { ...r.student, match: match === null ? ('new' as const) : ('existing' as const), existingId: match },
    recordSeal: { signatureId: 'sig-chuyentruong-condau', valid: true },
    documents: pkg.documents.map((d) => ({
      file: d.file,
      transcriptUid: d.transcriptUid,
      version: d.version,
      schoolYear: d.schoolYear,
      schoolCode: d.schoolCode,
      schoolName: d.facts.schoolName,
      grade: d.facts.grade,
      className: d.facts.className,
      years: d.facts.years,
      sha256: d.sha256,
      signatures: d.signatures,
      valid: true,
    })),
  };
}
