import { describe, expect, it } from 'vitest';
import { partId } from '../../domain/transcript/types';
import { canAccessResource } from '../../portal/src/access';
import { isFinished } from '../../portal/src/signing/api';
import { signedProgressText } from '../../portal/src/transcripts/fields';
import { personOf } from '../../portal/src/transcripts/TranscriptList';
import { attachedXmlValid, coveredPart, overallValid, publicStatusKey, stepOfSignatureId } from '../../portal/src/transcripts/parts';
import type { SignatureReport, VerifyResult } from '../../portal/src/transcripts/types';
import vietnameseMessages from '../../portal/src/i18n/vi';
import type { Principal } from '../../domain/permissions';

/** A translator over the Vietnamese messages, as polyglot interpolates them. */
function vi(key: string, opts: Record<string, unknown> = {}): string {
  const msg = key.split('.').reduce<unknown>((n, k) => (n as Record<string, unknown>)?.[k], vietnameseMessages) as string;
  return msg.replace(/%\{(\w+)\}/g, (_m, k: string) => String(opts[k] ?? ''));
}

const sig = (over: Partial<SignatureReport>): SignatureReport => ({
  signatureId: 'sig-condau',
  signer: { commonName: 'Trường THCS Demo' },
  signingTime: '2026-05-30T03:00:00Z',
  covers: [''],
  chainTrusted: true,
  intact: true,
  valid: true,
  problems: [],
  ...over,
});

describe('transcript signatures in words', () => {
  it('names the role of each signature from its Id prefix', () => {
    expect(stepOfSignatureId('sig-gvbm-2025-2026-TOAN')).toBe('subject');
    expect(stepOfSignatureId('sig-gvcn-2025-2026')).toBe('homeroom');
    expect(stepOfSignatureId('sig-duyet-2025-2026')).toBe('approver');
    expect(stepOfSignatureId('sig-condau')).toBe('seal');
    expect(stepOfSignatureId('other')).toBeNull();
  });

  it('says which part a signature covers, from the covered Ids or the signature Id', () => {
    expect(coveredPart('sig-gvbm-2025-2026-TOAN', [partId.subject('2025-2026', 'TOAN')])).toEqual({ key: 'subject', year: '2025-2026', subject: 'TOAN' });
    expect(coveredPart('sig-gvcn-2025-2026', [partId.identity(), partId.summary('2025-2026')])).toEqual({ key: 'identity_summary', year: '2025-2026' });
    expect(coveredPart('sig-duyet-2025-2026', [partId.identity(), partId.year('2025-2026')])).toEqual({ key: 'year', year: '2025-2026' });
    expect(coveredPart('sig-condau', [''])).toEqual({ key: 'whole' });
    // The detail endpoint may send no covered Ids: the signature Id alone says it.
    expect(coveredPart('sig-gvbm-2025-2026-NGUVAN')).toEqual({ key: 'subject', year: '2025-2026', subject: 'NGUVAN' });
    expect(coveredPart('sig-condau')).toEqual({ key: 'whole' });
    expect(vi('app.hocba.part.subject', { subject: 'Toán', year: '2025-2026' })).toBe('Môn Toán năm học 2025-2026');
    expect(vi('app.hocba.part.whole')).toBe('Toàn bộ học bạ (con dấu)');
  });

  it('shows the signing progress of a list row as the school reads it', () => {
    expect(signedProgressText(vi, { subject: '11/13', homeroom: '1/1', approver: '0/1', seal: false })).toBe('Chữ ký GVBM 11/13 · GVCN ✓ · Duyệt — · Con dấu —');
    expect(signedProgressText(vi, { subject: { done: 13, total: 13 }, homeroom: true, approver: true, seal: true })).toBe('Chữ ký GVBM 13/13 · GVCN ✓ · Duyệt ✓ · Con dấu ✓');
  });

  it('names each missing signer once in the list, the seal by its name', () => {
    expect(personOf('Nguyễn Thị Huệ (Ngữ văn)', 'Con dấu nhà trường')).toBe('Nguyễn Thị Huệ');
    expect(personOf('? (con dấu)', 'Con dấu nhà trường')).toBe('Con dấu nhà trường');
    expect(personOf('Lê Trọng Tuấn', 'Con dấu nhà trường')).toBe('Lê Trọng Tuấn');
  });
});

describe('verification verdict', () => {
  it('is valid only when every signature is, and for a PDF when the file is covered and its XML verifies', () => {
    const xml: VerifyResult = { kind: 'xml', signatures: [sig({ signatureId: 'sig-gvbm-2025-2026-TOAN' }), sig({})] };
    expect(overallValid(xml)).toBe(true);
    expect(overallValid({ ...xml, signatures: [sig({}), sig({ valid: false, problems: ['Giá trị băm của #bd-2025-2026-TOAN không khớp'] })] })).toBe(false);
    expect(overallValid({ kind: 'xml', signatures: [] })).toBe(false);
    const pdf: VerifyResult = { kind: 'pdf', signatures: [sig({})], coversWholeFile: true, attachedXml: { signatures: [sig({})] } };
    expect(overallValid(pdf)).toBe(true);
    expect(attachedXmlValid(pdf)).toBe(true);
    expect(overallValid({ ...pdf, coversWholeFile: false })).toBe(false);
    expect(overallValid({ ...pdf, attachedXml: { signatures: [sig({ valid: false })] } })).toBe(false);
    expect(attachedXmlValid({ ...pdf, attachedXml: null })).toBeNull();
    // The server's own verdict wins.
    expect(overallValid({ ...xml, valid: false })).toBe(false);
  });

  it('reads the public status in the three phrases of the QR page', () => {
    expect(publicStatusKey('sealed')).toBe('in_force');
    expect(publicStatusKey('in_force')).toBe('in_force');
    expect(publicStatusKey('revoked')).toBe('revoked');
    expect(publicStatusKey('superseded')).toBe('superseded');
  });

  it('knows when a signing batch has stopped', () => {
    expect(isFinished({ total: 264, done: 120, failed: 0, status: 'running' })).toBe(false);
    expect(isFinished({ total: 264, done: 264, failed: 0, status: 'running' })).toBe(false);
    expect(isFinished({ total: 264, done: 262, failed: 2, status: 'done' })).toBe(true);
  });
});

describe('transcript pages access', () => {
  const p = (role: Principal['grants'][number]['role']): Principal => ({ userId: 1, grants: [{ schoolId: 1, role }], homeroomClasses: [], assignments: [] });
  it('lets staff list transcripts and keeps students and accountants out', () => {
    expect(canAccessResource(p('subject_teacher'), 'list', 'transcripts')).toBe(true);
    expect(canAccessResource(p('principal'), 'show', 'transcripts')).toBe(true);
    expect(canAccessResource(p('student'), 'list', 'transcripts')).toBe(false);
    expect(canAccessResource(p('accountant'), 'list', 'transcripts')).toBe(false);
    expect(canAccessResource(p('subject_teacher'), 'delete', 'transcripts')).toBe(false);
  });
});
