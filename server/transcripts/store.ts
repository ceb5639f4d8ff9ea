import type { Knex } from 'knex';
import type { ChainState } from '../../domain/transcript/chain';
import type { TranscriptContent } from '../../domain/transcript/types';
import { AppError, notFound } from '../core/errors';
import { msg } from '../core/i18n';
import { dialect } from '../db/knex';

/** The rows of the signing chain (migration 20261201_012_transcripts), as the operations read them. */
export type Conn = Knex | Knex.Transaction;

export type VersionStatus = 'draft' | 'signing' | 'sealed' | 'superseded' | 'revoked';
export const OPEN_STATUSES: VersionStatus[] = ['draft', 'signing'];

export interface VersionSubject {
  subjectId: number;
  code: string;
  name: string;
}

export interface VersionRow {
  id: number;
  transcriptId: number;
  transcriptUid: string;
  schoolId: number;
  studentId: number;
  version: number;
  schoolYearId: number;
  schoolYear: string;
  classId: number;
  grade: number;
  status: VersionStatus;
  /** The document with every signature so far; '' when read by listVersions. */
  xml: string;
  subjects: VersionSubject[];
  verificationCode: string;
  sha256: string | null;
  sealedAt: string | null;
  rowVersion: number;
}

const VERSION_COLUMNS = [
  'v.id',
  'v.transcript_id',
  't.transcript_uid',
  't.school_id',
  't.student_id',
  'v.version',
  'v.school_year_id',
  'y.name as school_year',
  'v.class_id',
  'v.grade',
  'v.status',
  'v.subjects',
  'v.verification_code',
  'v.sha256',
  'v.sealed_at',
  'v.row_version',
];

export function versionQuery(conn: Conn) {
  return conn('transcript_versions as v').join('transcripts as t', 't.id', 'v.transcript_id').join('school_years as y', 'y.id', 'v.school_year_id');
}

export function toVersion(r: Record<string, unknown>): VersionRow {
  return {
    id: Number(r.id),
    transcriptId: Number(r.transcript_id),
    transcriptUid: String(r.transcript_uid),
    schoolId: Number(r.school_id),
    studentId: Number(r.student_id),
    version: Number(r.version),
    schoolYearId: Number(r.school_year_id),
    schoolYear: String(r.school_year),
    classId: Number(r.class_id),
    grade: Number(r.grade),
    status: r.status as VersionStatus,
    xml: r.xml === undefined ? '' : String(r.xml),
    subjects: JSON.parse(String(r.subjects)) as VersionSubject[],
    verificationCode: String(r.verification_code),
    sha256: r.sha256 === null || r.sha256 === undefined ? null : String(r.sha256),
    sealedAt: r.sealed_at === null || r.sealed_at === undefined ? null : String(r.sealed_at),
    rowVersion: Number(r.row_version),
  };
}

/**
 * One version, locked for the rest of the transaction on PostgreSQL (SELECT … FOR UPDATE: two signers of the same
 * student queue up instead of overwriting each other's XML); SQLite has one writer, so its transaction is the lock.
 */
export async function loadVersion(conn: Conn, versionId: number, lock = false): Promise<VersionRow> {
  let q = versionQuery(conn).where('v.id', versionId).first([...VERSION_COLUMNS, 'v.xml']);
  if (lock && dialect(conn as Knex) === 'pg') q = q.forUpdate('v');
  const row = (await q) as Record<string, unknown> | undefined;
  if (!row) throw notFound('transcripts', versionId);
  return toVersion(row);
}

/**
 * A signing group's versions with their XML, by id. On SQLite the XML comes as UTF-8 bytes (`xmlBytes`, `xml` left
 * ''): SQLite hands a BLOB over as a copy, where a TEXT column is transcoded into a JavaScript string (and back when
 * written), and for a group of 25 documents of 60–90 KB that transcoding was most of the main thread's time in a
 * signing batch; the worker decodes the bytes. PostgreSQL sends text anyway, so there the XML stays a string.
 */
export async function loadVersions(conn: Conn, versionIds: number[]): Promise<Map<number, VersionRow & { xmlBytes?: Uint8Array }>> {
  const bytes = dialect(conn as Knex) === 'sqlite';
  const xml = bytes ? conn.raw('CAST(v.xml AS BLOB) as xml_bytes') : 'v.xml';
  const out = new Map<number, VersionRow & { xmlBytes?: Uint8Array }>();
  for (let i = 0; i < versionIds.length; i += 500) {
    const rows = (await versionQuery(conn).whereIn('v.id', versionIds.slice(i, i + 500)).select([...VERSION_COLUMNS, xml])) as Record<string, unknown>[];
    for (const r of rows) out.set(Number(r.id), bytes ? { ...toVersion(r), xmlBytes: r.xml_bytes as Uint8Array } : toVersion(r));
  }
  return out;
}

/** Versions without their XML (`xml` is ''): lists and tasks; signing loads the one version it signs (loadVersion). */
export async function listVersions(conn: Conn, where: (q: Knex.QueryBuilder) => void): Promise<VersionRow[]> {
  const q = versionQuery(conn).select(VERSION_COLUMNS).orderBy('v.id');
  where(q);
  return ((await q) as Record<string, unknown>[]).map(toVersion);
}

export async function contentsOf(conn: Conn, versionIds: number[]): Promise<Map<number, TranscriptContent>> {
  const rows = (await conn('transcript_versions').whereIn('id', versionIds).select('id', 'content')) as Array<{ id: number; content: string }>;
  return new Map(rows.map((r) => [Number(r.id), JSON.parse(r.content) as TranscriptContent]));
}

export async function contentOf(conn: Conn, versionId: number): Promise<TranscriptContent> {
  const row = (await conn('transcript_versions').where({ id: versionId }).first('content')) as { content: string } | undefined;
  if (!row) throw notFound('transcripts', versionId);
  return JSON.parse(row.content) as TranscriptContent;
}

export interface SignatureRow {
  versionId: number;
  step: string;
  signatureId: string;
  signerUserId: number | null;
  signedAt: string;
}

export async function signaturesOf(conn: Conn, versionIds: number[]): Promise<Map<number, SignatureRow[]>> {
  const out = new Map<number, SignatureRow[]>();
  for (let i = 0; i < versionIds.length; i += 500) {
    const rows = (await conn('transcript_signatures')
      .whereIn('version_id', versionIds.slice(i, i + 500))
      .select('version_id', 'step', 'signature_id', 'signer_user_id', 'signed_at')) as Record<string, unknown>[];
    for (const r of rows) {
      const id = Number(r.version_id);
      const list = out.get(id) ?? [];
      list.push({ versionId: id, step: String(r.step), signatureId: String(r.signature_id), signerUserId: r.signer_user_id === null ? null : Number(r.signer_user_id), signedAt: String(r.signed_at) });
      out.set(id, list);
    }
  }
  return out;
}

export function chainStateOf(v: VersionRow, signatures: SignatureRow[]): ChainState {
  return { schoolYear: v.schoolYear, subjectCodes: v.subjects.map((s) => s.code), signed: new Set(signatures.map((s) => s.signatureId)) };
}

/** A version that no longer takes signatures (sealed, superseded, revoked) refuses with its status in words. */
export function assertOpen(v: VersionRow): void {
  if (!OPEN_STATUSES.includes(v.status)) throw new AppError('conflict', 'transcriptNotSignable', { status: msg(`transcriptStatus_${v.status}`) });
}

export interface CertificateRow {
  id: number;
  schoolId: number;
  staffId: number | null;
  kind: 'person' | 'seal' | 'root';
  pem: string;
  sha256: string;
  subjectCn: string;
  subjectSerial: string | null;
  notBefore: string;
  notAfter: string;
  pkcs12: string | null;
  trusted: boolean;
  revokedAt: string | null;
}

export function toCertificate(r: Record<string, unknown>): CertificateRow {
  return {
    id: Number(r.id),
    schoolId: Number(r.school_id),
    staffId: r.staff_id === null ? null : Number(r.staff_id),
    kind: r.kind as CertificateRow['kind'],
    pem: String(r.pem),
    sha256: String(r.sha256),
    subjectCn: String(r.subject_cn),
    subjectSerial: r.subject_serial === null ? null : String(r.subject_serial),
    notBefore: String(r.not_before),
    notAfter: String(r.not_after),
    pkcs12: r.pkcs12 === null ? null : String(r.pkcs12),
    trusted: r.trusted === true || r.trusted === 1,
    revokedAt: r.revoked_at === null ? null : String(r.revoked_at),
  };
}

/** The school's trust anchors (PEM): what the verifier and the pre-signing check chain to. */
export async function trustAnchors(conn: Conn, schoolId?: number): Promise<string[]> {
  const q = conn('certificates').where({ trusted: true }).whereNull('revoked_at');
  if (schoolId !== undefined) q.where({ school_id: schoolId });
  return ((await q.select('pem')) as Array<{ pem: string }>).map((r) => r.pem);
}

/** The newest usable certificate of a person (kind person) or of the school (kind seal), latest expiry first. */
export async function currentCertificate(conn: Conn, schoolId: number, who: { staffId: number } | 'seal'): Promise<CertificateRow | null> {
  const q = conn('certificates').where({ school_id: schoolId }).whereNull('revoked_at').orderBy('not_after', 'desc').orderBy('id', 'desc');
  if (who === 'seal') q.where({ kind: 'seal' });
  else q.where({ kind: 'person', staff_id: who.staffId });
  const row = (await q.first()) as Record<string, unknown> | undefined;
  return row ? toCertificate(row) : null;
}
