/**
 * Out (issue 13, docs/transfers.md): the sending school issues a transfer package for a leaving student — every
 * sealed transcript version it holds for them (its own and the earlier schools' it imported) and the transfer record
 * sealed with the school seal (its PIN asked, as for a sync batch). In one transaction the package is logged and
 * audited and, if the clerk had not yet recorded it, the transfer out is recorded as the "Chuyển trường" form does:
 * enrolments end, the student is `transferred_out` — their record here becomes read-only history.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import { canTransferTranscripts } from '../../domain/permissions';
import { mayLeaveWithPackage, TRANSFER_SIGNATURE_ID, type TransferRecord } from '../../domain/transfer/record';
import type { SecretBox } from '../auth/secret-box';
import { principalOf, type Actor } from '../core/actor';
import { appendAudit } from '../core/audit';
import { AppError, forbidden, notFound } from '../core/errors';
import { optionalText, schoolDate } from '../core/fields';
import { insertReturningId } from '../core/records';
import { parse } from '../core/validate';
import { nowIso, type Db } from '../db/knex';
import { transferOut } from '../school/student-transfers';
import { sealWholeDocument } from '../sync/manifest';
import { zipPacket } from '../sync/zip';
import { assertSecondFactor, unlockKey } from '../transcripts/batches';
import { signWith } from '../transcripts/keystore';
import { documentsOf } from './documents';
import { recordToXml } from './record-xml';

const IssueBody = z.strictObject({
  studentId: z.coerce.number().int().positive(),
  toSchoolName: z.string().trim().min(3).max(200),
  toSchoolCode: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,32}$/)
    .optional(),
  transferDate: schoolDate,
  reason: optionalText(500),
  pin: z.string().min(4).max(64),
  totp: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
});

export async function issuePackage(db: Db, actor: Actor, input: unknown, box: SecretBox) {
  const schoolId = actor.schoolId;
  if (schoolId === null || !canTransferTranscripts(principalOf(actor), schoolId)) throw forbidden();
  const body = parse(IssueBody, input);
  const student = (await db('students').where({ id: body.studentId, school_id: schoolId }).first()) as Record<string, any> | undefined;
  if (!student) throw notFound('students', body.studentId);
  if (!mayLeaveWithPackage(String(student.status))) throw new AppError('conflict', 'transferStudentNotLeaving', { status: String(student.status) });
  await assertSecondFactor(db, actor, box, body.totp);
  const { cert, key } = await unlockKey(db, actor, true, box, body.pin);
  const school = (await db('schools').where({ id: schoolId }).first('code', 'name')) as { code: string; name: string };
  const documents = await documentsOf(db, schoolId, body.studentId);
  const createdAt = nowIso();
  const record: TransferRecord = {
    packageId: crypto.randomUUID(),
    fromSchool: { code: school.code, name: school.name },
    toSchool: { code: body.toSchoolCode ?? null, name: body.toSchoolName.normalize('NFC') },
    transferDate: body.transferDate,
    reason: body.reason ?? null,
    createdAt,
    student: identityOf(student),
    documents: documents.map(({ xml: _xml, ...d }) => d),
  };
  const recordXml = sealWholeDocument(recordToXml(record), TRANSFER_SIGNATURE_ID, key, createdAt, (tbs) => signWith(key, tbs));
  const zip = zipPacket(recordXml, documents.map((d) => ({ name: d.file, xml: d.xml })), createdAt);
  const zipSha256 = crypto.createHash('sha256').update(zip).digest('hex');
  const id = await db.transaction(async (trx) => {
    const fresh = (await trx('students').where({ id: body.studentId }).first('status')) as { status: string };
    if (fresh.status === 'studying') await recordTransferOut(trx, actor, schoolId, body);
    const newId = await insertReturningId(trx, 'transfer_packages', {
      school_id: schoolId,
      student_id: body.studentId,
      package_id: record.packageId,
      to_school_code: record.toSchool.code,
      to_school_name: record.toSchool.name,
      transfer_date: record.transferDate,
      reason: record.reason,
      record_xml: recordXml,
      zip,
      zip_sha256: zipSha256,
      documents: documents.length,
      created_by: actor.userId,
      created_at: createdAt,
    });
    await appendAudit(trx, actor, {
      action: 'create',
      entity: 'transfer-packages',
      entityId: newId,
      after: { studentId: body.studentId, packageId: record.packageId, toSchool: record.toSchool.name, transferDate: record.transferDate, documents: documents.map((d) => d.file), zipSha256, certificate: cert.sha256 },
      schoolId,
    });
    return newId;
  });
  return { id, packageId: record.packageId, documents: documents.length, zipSha256 };
}

/** The transfer out as the "Chuyển trường" form records it (server/school/student-transfers.ts), audited alike. */
async function recordTransferOut(trx: Parameters<Parameters<Db['transaction']>[0]>[0], actor: Actor, schoolId: number, body: z.output<typeof IssueBody>): Promise<void> {
  const t = { studentId: body.studentId, direction: 'out' as const, transferDate: body.transferDate, otherSchool: body.toSchoolName, reason: body.reason ?? null, classId: undefined };
  const classId = await transferOut(t, { trx, actor, principal: principalOf(actor), schoolId });
  const rowId = await insertReturningId(trx, 'student_transfers', {
    school_id: schoolId,
    student_id: body.studentId,
    direction: 'out',
    transfer_date: body.transferDate,
    other_school: body.toSchoolName,
    reason: body.reason ?? null,
    class_id: classId,
    created_at: nowIso(),
  });
  await appendAudit(trx, actor, { action: 'create', entity: 'student-transfers', entityId: rowId, after: { studentId: body.studentId, direction: 'out', transferDate: body.transferDate, otherSchool: body.toSchoolName, classId }, schoolId });
}

function identityOf(s: Record<string, any>): TransferRecord['student'] {
  const opt = (v: unknown) => (v === null || v === undefined || v === '' ? null : String(v));
  return {
    fullName: String(s.full_name),
    birthDate: String(s.birth_date),
    sex: s.sex === 'female' ? 'female' : 'male',
    nationalId: opt(s.national_id),
    studentCode: String(s.student_code),
    ethnicity: opt(s.ethnicity),
    nationality: opt(s.nationality),
    placeOfBirth: opt(s.place_of_birth),
    homeTown: opt(s.home_town),
    address: opt(s.address),
  };
}
