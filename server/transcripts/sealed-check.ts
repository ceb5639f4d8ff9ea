/**
 * Is a sealed transcript someone hands us whole? Its header the one expected, every signature valid (named by Id and
 * role when not), the school's seal (`sig-condau`) over the whole document and by the seal of the school the header
 * names. Shared by the sync receiver (server/sync-receiver/judge.ts) and the transfer import (server/transfers/).
 * The caller has already refused hostile XML and checked the schema.
 */
import { stepOfSignatureId } from '../../domain/transcript/chain';
import { AppError } from '../core/errors';
import { checkCertificate } from '../signing/certificates';
import { verifyXmlSignatures } from '../signing/verify-xml';
import type { SignatureReport } from '../signing/types';
import { readTranscriptHeader, type TranscriptHeader } from './xml-mapping';

export type SealedProblemCode = 'malformed' | 'header' | 'signature';
export interface SealedProblem {
  code: SealedProblemCode;
  message: string;
}

const ROLE = { subject: 'giáo viên bộ môn', homeroom: 'giáo viên chủ nhiệm', approver: 'hiệu trưởng/phó hiệu trưởng duyệt', seal: 'con dấu của trường' } as const;

/** What the document must say it is; a field left out is not checked (the seal's school always is). */
export interface ExpectedHeader {
  transcriptUid?: string;
  schoolCode?: string;
  version?: number;
}

export function sealedTranscriptProblem(xml: string, anchors: string[], expected: ExpectedHeader = {}): { problem: SealedProblem | null; header: TranscriptHeader | null; reports: SignatureReport[] } {
  let header: TranscriptHeader;
  let reports: SignatureReport[];
  try {
    header = readTranscriptHeader(xml);
    reports = verifyXmlSignatures(xml, anchors);
  } catch (err) {
    const detail = err instanceof AppError ? String(err.params.detail ?? err.key) : err instanceof Error ? err.message : 'XML';
    return { problem: { code: 'malformed', message: `Không đọc được tài liệu: ${detail.slice(0, 200)}` }, header: null, reports: [] };
  }
  const problem = headerProblem(header, expected) ?? signatureProblem(reports, expected.schoolCode ?? header.schoolCode, anchors);
  return { problem, header, reports };
}

function headerProblem(h: TranscriptHeader, e: ExpectedHeader): SealedProblem | null {
  if (e.transcriptUid !== undefined && h.transcriptUid !== e.transcriptUid) return { code: 'header', message: `Tài liệu là học bạ ${h.transcriptUid}, không phải ${e.transcriptUid}.` };
  if (e.schoolCode !== undefined && h.schoolCode !== e.schoolCode) return { code: 'header', message: `Tài liệu của trường ${h.schoolCode}, không phải ${e.schoolCode}.` };
  if (e.version !== undefined && h.version !== e.version) return { code: 'header', message: `Tài liệu là phiên bản ${h.version}, bản kê ghi ${e.version}.` };
  return null;
}

function signatureProblem(reports: SignatureReport[], schoolCode: string, anchors: string[]): SealedProblem | null {
  const broken = reports.filter((r) => !r.valid);
  if (broken.length > 0) {
    const named = broken.map((r) => `${r.signatureId ?? '(không có Id)'} (${signatureRole(r.signatureId)}): ${r.problems[0] ?? 'không hợp lệ'}`);
    return { code: 'signature', message: `Chữ ký không hợp lệ: ${named.join(' | ')}` };
  }
  const seal = reports.find((r) => r.signatureId === 'sig-condau' && r.covers.includes(''));
  if (!seal) return { code: 'signature', message: 'Học bạ chưa có con dấu số của trường (sig-condau).' };
  const at = seal.signingTime ? new Date(seal.signingTime) : new Date();
  if (checkCertificate(seal.signer!.pem, { trustAnchors: anchors, at, owner: { kind: 'school', schoolCode } }) !== null) {
    return { code: 'signature', message: `Con dấu sig-condau không phải của trường ${schoolCode}.` };
  }
  return null;
}

/** A signature's role in the chain, in Vietnamese, from its Id (e.g. "giáo viên bộ môn TOAN"). */
export function signatureRole(signatureId: string | null): string {
  const s = stepOfSignatureId(signatureId);
  if (!s) return 'không rõ vai trò';
  return s.subjectCode ? `${ROLE[s.step]} ${s.subjectCode}` : ROLE[s.step];
}
