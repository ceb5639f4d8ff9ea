import { DOMParser } from '@xmldom/xmldom';
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import { correctionsSentence } from '../../domain/transcript/corrections';
import { formatSubjectValue, levelCode } from '../../domain/transcript/format';
import { partId, type InPlaceSigner, type Level, type SubjectRow, type TranscriptContent, type TranscriptYear } from '../../domain/transcript/types';

/**
 * THE mapping from the transcript's content to XML (schema v1, schemas/hocba-v1.xsd). The ministry's format
 * (Quyết định 3016/QĐ-BGDĐT) is not public; element names follow the ministry data dictionary seen in secondary
 * sources (../shared/domain/hoc-ba-so.md). When the official schema is obtained, this module and the XSD are
 * what changes: the content model, the chain (which signs parts by the Ids of `partId`) and the PDF stay.
 */

export const TRANSCRIPT_NS = 'urn:hocbaso:v1';
export const SCHEMA_VERSION = '1';
/** The container every ds:Signature goes into, side by side (docs/transcripts.md). */
export const SIGNATURE_CONTAINER = 'chuky';

const nfc = (s: string): string => s.normalize('NFC');

/** Adds `<name>value</name>` when value is present: absent data is an absent element, never an empty one. */
function opt(parent: XMLBuilder, name: string, value: string | number | boolean | null | undefined): void {
  if (value === null || value === undefined || value === '') return;
  parent.ele(name).txt(nfc(String(value)));
}

const level = (v: Level | null): string | null => (v === null ? null : levelCode(v));
const AWARD: Record<'excellent' | 'very_good', string> = { excellent: 'Học sinh Xuất sắc', very_good: 'Học sinh Giỏi' };
const APPROVER_POST: Record<'principal' | 'vice_principal', string> = { principal: 'Hiệu trưởng', vice_principal: 'Phó Hiệu trưởng' };

/** The transcript version as an unsigned XML document (UTF-8, NFC), with an empty `chuky` for the signatures. */
export function transcriptToXml(content: TranscriptContent): string {
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele(TRANSCRIPT_NS, 'hocbaso', { phienbanschema: SCHEMA_VERSION });
  header(root.ele('thongtinhocba'), content);
  student(root.ele('hocsinh', { Id: partId.identity() }), content);
  for (const y of content.years) year(root, y);
  root.ele(SIGNATURE_CONTAINER);
  return nfc(root.end({ prettyPrint: true }));
}

function header(h: XMLBuilder, c: TranscriptContent): void {
  opt(h, 'madinhdanhhocba', c.transcriptUid);
  opt(h, 'phienban', c.version);
  opt(h, 'trangthaithongtinhocba', c.status);
  opt(h, 'thongtu', c.circular);
  opt(h, 'matruong', c.school.code);
  opt(h, 'tentruong', c.school.name);
  opt(h, 'macaphoc', c.school.level);
  opt(h, 'sosodangbo', c.school.registerNumber);
  opt(h, 'maxacthuc', c.verificationCode);
  opt(h, 'ngaykyphathanh', c.issuedAt);
  opt(h, 'diadanhphathanh', c.placeOfIssue);
}

function student(s: XMLBuilder, c: TranscriptContent): void {
  const p = c.identity;
  opt(s, 'hoten', p.fullName);
  opt(s, 'gioitinh', p.sex);
  opt(s, 'ngaysinh', p.birthDate);
  opt(s, 'dantoc', p.ethnicity);
  opt(s, 'quoctich', p.nationality);
  opt(s, 'noisinh', p.placeOfBirth);
  opt(s, 'quequan', p.homeTown);
  opt(s, 'diachi', p.address);
  opt(s, 'sodinhdanh', p.nationalId);
  opt(s, 'mahocsinh', p.studentCode);
  for (const [tag, person] of [['cha', p.father], ['me', p.mother], ['nguoigiamho', p.guardian]] as const) {
    if (!person) continue;
    const e = s.ele(tag);
    opt(e, 'hoten', person.name);
    opt(e, 'nghenghiep', person.occupation);
  }
  for (const h of c.history) {
    const e = s.ele('quatrinhhoctap');
    opt(e, 'namhoc', h.schoolYear);
    opt(e, 'tenlop', h.className);
    opt(e, 'tentruong', h.schoolName);
    opt(e, 'tenhuyen', h.district);
    opt(e, 'tentinh', h.province);
  }
}

function year(root: XMLBuilder, y: TranscriptYear): void {
  // trichluc (ministry data dictionary: extracted from a paper transcript) is only written when true, so the
  // documents of grade-book years are byte for byte what they were.
  const n = root.ele('namhoc', { Id: partId.year(y.schoolYear), namhoc: y.schoolYear, ...(y.extractedFromPaper ? { trichluc: 'true' } : {}) });
  opt(n, 'makhoi', y.grade);
  opt(n, 'tenlop', y.className);
  for (const s of y.subjects) subject(n.ele('bangdiem', { Id: partId.subject(y.schoolYear, s.subjectCode) }), s);
  summary(n.ele('tonghop', { Id: partId.summary(y.schoolYear) }), y);
}

function subject(b: XMLBuilder, s: SubjectRow): void {
  const value = (v: string | null) => (v === null ? null : formatSubjectValue(v, s.assessment));
  opt(b, 'mamonhoc', s.subjectCode);
  opt(b, 'tenmonhoc', s.subjectName);
  opt(b, 'hinhthucdanhgia', s.assessment === 'comment' ? 'nhanxet' : 'diem');
  opt(b, 'diemhocky1', value(s.hk1));
  opt(b, 'diemhocky2', value(s.hk2));
  opt(b, 'diemcanam', value(s.year));
  opt(b, 'diemkttralai', value(s.retest));
  opt(b, 'nxetmonhoc', s.comment);
  opt(b, 'gvbm', s.teacher?.fullName);
  if (s.signedInPlace) inPlace(b.ele('kythay'), s.signedInPlace);
}

/** The principal signing in place of a departed teacher: inside the signed part, so the signature covers it. */
function inPlace(e: XMLBuilder, p: InPlaceSigner): void {
  opt(e, 'hoten', p.fullName);
  opt(e, 'chucvugiamhieu', APPROVER_POST.principal);
  opt(e, 'ghichu', p.note);
}

function summary(t: XMLBuilder, y: TranscriptYear): void {
  const s = y.summary;
  opt(t, 'hocky1', level(s.learning.hk1));
  opt(t, 'hocky2', level(s.learning.hk2));
  opt(t, 'canam', level(s.learning.year));
  opt(t, 'kqhoctaplai', level(s.learning.afterRetest));
  opt(t, 'renluyenhocky1', level(s.conduct.hk1));
  opt(t, 'renluyenhocky2', level(s.conduct.hk2));
  opt(t, 'renluyencanam', level(s.conduct.year));
  opt(t, 'renluyenlai', level(s.conduct.afterSummerTraining));
  opt(t, 'sobuoinghi', s.absences);
  opt(t, 'renluyenhe', s.summerTraining);
  opt(t, 'duoclenlop', s.promoted);
  // Hoàn thành chương trình THCS is a grade-9 statement only.
  if (y.grade === 9) opt(t, 'hoanthanhchuongtrinh', s.completedLevel);
  opt(t, 'khenthuong', s.award ? AWARD[s.award] : null);
  opt(t, 'nxetgvcn', s.homeroomComment);
  opt(t, 'gvcn', s.homeroomTeacher?.fullName);
  if (s.homeroomSignedInPlace) inPlace(t.ele('kythaygvcn'), s.homeroomSignedInPlace);
  const fix = t.ele('suachua');
  opt(fix, 'soluong', y.corrections.count);
  for (const name of y.corrections.subjects) opt(fix, 'monhoc', name);
  opt(fix, 'ghichu', correctionsSentence(y.corrections));
  if (y.approver) {
    const a = t.ele('nguoiduyet');
    opt(a, 'hoten', y.approver.fullName);
    opt(a, 'chucvugiamhieu', APPROVER_POST[y.approver.post]);
  }
}

export interface TranscriptHeader {
  transcriptUid: string;
  version: number;
  status: number;
  schoolCode: string;
  verificationCode: string;
}

/**
 * The header of a transcript document someone hands in (verification screens). Untrusted input: a DOCTYPE is
 * refused before parsing (no entity expansion, no external fetches).
 * TODO(merge): replace parseUntrusted with server/signing/safe-xml.ts parseUntrustedXml from the signing branch.
 */
export function readTranscriptHeader(xml: string): TranscriptHeader {
  const doc = parseUntrusted(xml);
  const root = doc.documentElement;
  if (!root || root.localName !== 'hocbaso' || root.namespaceURI !== TRANSCRIPT_NS) throw new Error('not a hocbaso v1 document');
  const info = root.getElementsByTagNameNS(TRANSCRIPT_NS, 'thongtinhocba')[0];
  if (!info) throw new Error('thongtinhocba missing');
  const field = (name: string): string => {
    const e = info.getElementsByTagNameNS(TRANSCRIPT_NS, name)[0];
    if (!e || !e.textContent) throw new Error(`${name} missing`);
    return e.textContent.trim();
  };
  return {
    transcriptUid: field('madinhdanhhocba'),
    version: Number(field('phienban')),
    status: Number(field('trangthaithongtinhocba')),
    schoolCode: field('matruong'),
    verificationCode: field('maxacthuc'),
  };
}

/** Local stand-in for the signing branch's safe parser: no DOCTYPE, errors are errors (not warnings). */
function parseUntrusted(xml: string) {
  if (/<!DOCTYPE/i.test(xml)) throw new Error('DOCTYPE is not allowed');
  const errors: string[] = [];
  const doc = new DOMParser({
    onError: (level, msg) => {
      if (level !== 'warning') errors.push(msg);
    },
  }).parseFromString(xml, 'application/xml');
  if (errors.length > 0) throw new Error(`not well-formed XML: ${errors[0]}`);
  return doc;
}
