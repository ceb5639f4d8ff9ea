/**
 * Reading transfers: the packages a school issued (its log) and their ZIPs, the packages it took in, and a student's
 * imported years — read-only history, shown as received (the original signed XML can be downloaded as it came).
 */
import { canTransferTranscripts, transcriptReadScope } from '../../domain/permissions';
import { principalOf, type Actor } from '../core/actor';
import { appendAudit } from '../core/audit';
import { forbidden, notFound } from '../core/errors';
import type { Db } from '../db/knex';

function transferSchool(actor: Actor): number {
  const schoolId = actor.schoolId;
  if (schoolId === null || !canTransferTranscripts(principalOf(actor), schoolId)) throw forbidden();
  return schoolId;
}

export async function listPackages(db: Db, actor: Actor, query: Record<string, unknown>) {
  const schoolId = transferSchool(actor);
  const q = db('transfer_packages as p').join('students as s', 's.id', 'p.student_id').leftJoin('users as u', 'u.id', 'p.created_by').where('p.school_id', schoolId).orderBy('p.id', 'desc');
  if (query.studentId !== undefined) q.where('p.student_id', Number(query.studentId) || 0);
  const rows = (await q.select('p.id', 'p.student_id', 's.full_name', 's.student_code', 'p.package_id', 'p.to_school_code', 'p.to_school_name', 'p.transfer_date', 'p.reason', 'p.documents', 'p.zip_sha256', 'p.created_at', 'u.full_name as created_by_name')) as Array<Record<string, any>>;
  return rows.map((r) => ({
    id: Number(r.id),
    studentId: Number(r.student_id),
    studentName: String(r.full_name),
    studentCode: String(r.student_code),
    packageId: String(r.package_id),
    toSchool: { code: r.to_school_code ?? null, name: String(r.to_school_name) },
    transferDate: String(r.transfer_date),
    reason: r.reason ?? null,
    documents: Number(r.documents),
    zipSha256: String(r.zip_sha256),
    createdAt: String(r.created_at),
    createdByName: r.created_by_name ?? null,
  }));
}

/** The package exactly as issued (audited: every copy handed out is logged). */
export async function downloadPackage(db: Db, actor: Actor, id: number) {
  const schoolId = transferSchool(actor);
  const row = (await db('transfer_packages as p').join('students as s', 's.id', 'p.student_id').where({ 'p.id': id, 'p.school_id': schoolId }).first('p.zip', 'p.package_id', 's.student_code')) as Record<string, any> | undefined;
  if (!row) throw notFound('transfer-packages', id);
  const zip = Buffer.from(row.zip as Uint8Array);
  await db.transaction(async (trx) => {
    await appendAudit(trx, actor, { action: 'download', entity: 'transfer-packages', entityId: id, after: { packageId: row.package_id, bytes: zip.length }, schoolId });
  });
  return { zip, filename: `chuyentruong-${row.student_code}-${String(row.package_id).slice(0, 8)}.zip` };
}

export async function listImports(db: Db, actor: Actor) {
  const schoolId = transferSchool(actor);
  const rows = (await db('transfer_imports as i').join('students as s', 's.id', 'i.student_id').where('i.school_id', schoolId).orderBy('i.id', 'desc').select('i.*', 's.full_name', 's.student_code')) as Array<Record<string, any>>;
  return rows.map((r) => ({
    id: Number(r.id),
    studentId: Number(r.student_id),
    studentName: String(r.full_name),
    studentCode: String(r.student_code),
    packageId: String(r.package_id),
    fromSchool: { code: String(r.from_school_code), name: String(r.from_school_name) },
    transferDate: String(r.transfer_date),
    reason: r.reason ?? null,
    documents: Number(r.documents),
    createdAt: String(r.created_at),
  }));
}

function mayReadStudent(actor: Actor, schoolId: number, studentId: number): boolean {
  const scope = transcriptReadScope(principalOf(actor), schoolId);
  if (!scope) return false;
  return scope.kind === 'all' || (scope.kind === 'student' && scope.studentIds.includes(studentId));
}

/** The earlier schools' years of a student at this school: read-only, as received. */
export async function importedYears(db: Db, actor: Actor, studentId: number) {
  const schoolId = actor.schoolId;
  if (schoolId === null || !mayReadStudent(actor, schoolId, studentId)) throw forbidden();
  if (!(await db('students').where({ id: studentId, school_id: schoolId }).first('id'))) throw notFound('students', studentId);
  const rows = (await db('imported_transcripts as t')
    .join('transfer_imports as i', 'i.id', 't.import_id')
    .where({ 't.school_id': schoolId, 't.student_id': studentId })
    .orderBy('t.school_year')
    .orderBy('t.version')
    .select('t.id', 't.transcript_uid', 't.version', 't.school_year', 't.grade', 't.class_name', 't.source_school_code', 't.source_school_name', 't.sha256', 't.imported_at', 'i.package_id', 'i.from_school_name')) as Array<Record<string, any>>;
  return rows.map((r) => ({
    id: Number(r.id),
    transcriptUid: String(r.transcript_uid),
    version: Number(r.version),
    schoolYear: String(r.school_year),
    grade: r.grade === null ? null : Number(r.grade),
    className: r.class_name ?? null,
    school: { code: String(r.source_school_code), name: String(r.source_school_name) },
    sha256: String(r.sha256),
    importedAt: String(r.imported_at),
    packageId: String(r.package_id),
    receivedFrom: String(r.from_school_name),
    readOnly: true,
  }));
}

/** One imported version's signed XML, byte for byte as it came (audited as a copy issued). */
export async function importedXml(db: Db, actor: Actor, id: number) {
  const schoolId = actor.schoolId;
  const row = (await db('imported_transcripts').where({ id, school_id: schoolId ?? 0 }).first('student_id', 'xml', 'transcript_uid', 'version')) as Record<string, any> | undefined;
  if (!row || schoolId === null) throw notFound('imported-transcripts', id);
  if (!mayReadStudent(actor, schoolId, Number(row.student_id))) throw forbidden();
  await db.transaction(async (trx) => {
    await appendAudit(trx, actor, { action: 'download', entity: 'imported-transcripts', entityId: id, after: { transcriptUid: row.transcript_uid, version: Number(row.version) }, schoolId });
  });
  return { xml: String(row.xml), filename: `${row.transcript_uid}-v${row.version}.xml` };
}
