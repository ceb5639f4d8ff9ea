/**
 * Reading an uploaded transfer package, before anything is written: the ZIP within the sync receiver's limits
 * (server/sync/zip.ts), every file through the hostile-XML guard (judge.ts refuseHostile), the transfer record read
 * strictly and its seal checked (the seal of the school it names, chaining to a trust anchor), then EVERY document:
 * listed, its SHA-256 the record's, valid against hocba-v1.xsd, every signature valid with its school's seal
 * (server/transcripts/sealed-check.ts), about the same student. The first failure throws, naming the document and the
 * signature; the caller writes nothing.
 */
import crypto from 'node:crypto';
import { MANIFEST_NAME } from '../../domain/sync/packet';
import { documentLabel, MAX_PACKAGE_BYTES, TRANSFER_SIGNATURE_ID, type TransferDocument, type TransferRecord } from '../../domain/transfer/record';
import { AppError } from '../core/errors';
import { wholeDocumentSealProblem } from '../sync/manifest';
import { unzipPacket } from '../sync/zip';
import { HostilePacket, refuseHostile } from '../sync-receiver/judge';
import type { SignatureReport } from '../signing/types';
import { sealedTranscriptProblem, signatureRole } from '../transcripts/sealed-check';
import { validateTranscriptXmls } from '../transcripts/xsd';
import { factsOf, sha256Of, type DocumentFacts } from './documents';
import { readRecord } from './record-xml';

export interface CheckedDocument extends TransferDocument {
  xml: string;
  facts: DocumentFacts;
  signatures: Array<{ id: string | null; role: string; valid: boolean; signer: string | null; signedAt: string | null }>;
}

export interface CheckedPackage {
  record: TransferRecord;
  recordXml: string;
  zipSha256: string;
  documents: CheckedDocument[];
}

export async function readPackage(zip: Buffer, anchors: string[]): Promise<CheckedPackage> {
  if (zip.length === 0) throw new AppError('invalid', 'transferEmptyUpload');
  if (zip.length > MAX_PACKAGE_BYTES) throw new AppError('too_large', 'transferPackageTooLarge', { max: '50 MB' });
  const files = unzipPacket(zip);
  try {
    refuseHostile(files);
  } catch (err) {
    if (err instanceof HostilePacket) throw err.error;
    throw err;
  }
  const recordBytes = files.get(MANIFEST_NAME);
  if (!recordBytes) throw new AppError('invalid', 'transferNoRecord');
  const recordXml = recordBytes.toString('utf8');
  const record = readRecord(recordXml);
  const sealProblem = wholeDocumentSealProblem(recordXml, TRANSFER_SIGNATURE_ID, record.fromSchool.code, anchors, 'hồ sơ chuyển trường');
  if (sealProblem) throw new AppError('invalid', 'transferRecordSeal', { detail: sealProblem, school: record.fromSchool.code });
  const listed = new Set(record.documents.map((d) => d.file));
  for (const name of files.keys()) if (name !== MANIFEST_NAME && !listed.has(name)) throw new AppError('invalid', 'transferUnlistedFile', { file: name });
  const xmls = record.documents.map((d) => {
    const bytes = files.get(d.file);
    if (!bytes) throw new AppError('invalid', 'transferDocumentMissing', { file: d.file, document: documentLabel(d) });
    const xml = bytes.toString('utf8');
    if (sha256Of(xml) !== d.sha256) throw changed(d, xml, anchors);
    return xml;
  });
  const schema = await validateTranscriptXmls(xmls);
  schema.forEach((check, i) => {
    if (!check.ok) throw new AppError('invalid', 'transferDocumentSchema', { document: documentLabel(record.documents[i]), detail: check.errors.slice(0, 2).join('; ') });
  });
  const documents = record.documents.map((d, i) => checkDocument(d, xmls[i], record, anchors));
  return { record, recordXml, zipSha256: crypto.createHash('sha256').update(zip).digest('hex'), documents };
}

/** A document unlike the record says: which of its own signatures the change broke, so the error can name it. */
function changed(d: TransferDocument, xml: string, anchors: string[]): AppError {
  const { problem } = sealedTranscriptProblem(xml, anchors, { transcriptUid: d.transcriptUid, schoolCode: d.schoolCode, version: d.version });
  return new AppError('invalid', 'transferDocumentChanged', { document: documentLabel(d), detail: problem?.message ?? 'các chữ ký trong tệp vẫn hợp lệ' });
}

function checkDocument(d: TransferDocument, xml: string, record: TransferRecord, anchors: string[]): CheckedDocument {
  const { problem, reports } = sealedTranscriptProblem(xml, anchors, { transcriptUid: d.transcriptUid, schoolCode: d.schoolCode, version: d.version });
  if (problem) throw new AppError('invalid', 'transferDocumentSignature', { document: documentLabel(d), detail: problem.message });
  const facts = factsOf(xml);
  const other = otherStudent(facts, record);
  if (other) throw new AppError('invalid', 'transferDocumentOtherStudent', { document: documentLabel(d), detail: other });
  return { ...d, xml, facts, signatures: reports.map(summary) };
}

/** The same student: the national id when both carry one, else the name and the date of birth. */
function otherStudent(f: DocumentFacts, r: TransferRecord): string | null {
  const s = r.student;
  if (f.student.nationalId && s.nationalId) return f.student.nationalId === s.nationalId ? null : `số định danh ${f.student.nationalId}, hồ sơ ghi ${s.nationalId}`;
  if ((f.student.fullName ?? '').normalize('NFC') !== s.fullName.normalize('NFC')) return `họ tên ${f.student.fullName ?? '—'}, hồ sơ ghi ${s.fullName}`;
  if (f.student.birthDate && f.student.birthDate !== s.birthDate) return `ngày sinh ${f.student.birthDate}, hồ sơ ghi ${s.birthDate}`;
  return null;
}

function summary(r: SignatureReport): CheckedDocument['signatures'][number] {
  return { id: r.signatureId, role: signatureRole(r.signatureId), valid: r.valid, signer: r.signer?.commonName ?? null, signedAt: r.signingTime ?? null };
}
