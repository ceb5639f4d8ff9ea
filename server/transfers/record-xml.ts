/**
 * The transfer record in XML (namespace urn:hocbaso:transfer:v1, ours like the sync manifest: no official format is
 * public), sealed with the school seal exactly as the sync manifest is (sealWholeDocument). It travels as the
 * package's `manifest.xml`, so the package is read by the sync packet's reader (server/sync/zip.ts) within its limits.
 */
import { UUID_RE, SHA256_RE, DOCUMENT_NAME_RE } from '../../domain/sync/packet';
import type { TransferDocument, TransferRecord, TransferStudent } from '../../domain/transfer/record';
import { AppError } from '../core/errors';
import { parseUntrustedXml } from '../signing/safe-xml';

export const TRANSFER_NS = 'urn:hocbaso:transfer:v1';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const el = (name: string, value: string | number | null) => (value === null || value === '' ? `<${name}/>` : `<${name}>${esc(String(value).normalize('NFC'))}</${name}>`);

/** The record before sealing, with an empty `chuky` for the seal. */
export function recordToXml(r: TransferRecord): string {
  const s = r.student;
  const docs = r.documents
    .map((d) => `<tailieu>${el('tentep', d.file)}${el('madinhdanhhocba', d.transcriptUid)}${el('phienban', d.version)}${el('namhoc', d.schoolYear)}${el('matruong', d.schoolCode)}${el('bamsha256', d.sha256)}</tailieu>`)
    .join('\n');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<hosochuyentruong xmlns="${TRANSFER_NS}" phienbanschema="1">\n` +
    `<thongtinchuyen>${el('magoi', r.packageId)}<truongdi>${el('matruong', r.fromSchool.code)}${el('tentruong', r.fromSchool.name)}</truongdi>` +
    `<truongden>${el('matruong', r.toSchool.code)}${el('tentruong', r.toSchool.name)}</truongden>${el('ngaychuyen', r.transferDate)}${el('lydo', r.reason)}${el('thoidiemtao', r.createdAt)}${el('sotailieu', r.documents.length)}</thongtinchuyen>\n` +
    `<hocsinh>${el('hoten', s.fullName)}${el('ngaysinh', s.birthDate)}${el('gioitinh', s.sex)}${el('sodinhdanh', s.nationalId)}${el('mahocsinh', s.studentCode)}${el('dantoc', s.ethnicity)}${el('quoctich', s.nationality)}${el('noisinh', s.placeOfBirth)}${el('quequan', s.homeTown)}${el('diachi', s.address)}</hocsinh>\n` +
    `<danhsach>\n${docs}\n</danhsach>\n<chuky/>\n</hosochuyentruong>\n`
  );
}

const bad = (detail: string) => new AppError('invalid', 'transferBadRecord', { detail });

/** Reads a record strictly (hostile XML refused by parseUntrustedXml first). */
export function readRecord(xml: string): TransferRecord {
  const root = parseUntrustedXml(xml).documentElement;
  if (root.localName !== 'hosochuyentruong' || root.namespaceURI !== TRANSFER_NS) throw bad('phần tử gốc phải là hosochuyentruong');
  const info = child(root, 'thongtinchuyen');
  const st = child(root, 'hocsinh');
  if (!info || !st) throw bad('thiếu thongtinchuyen hoặc hocsinh');
  const from = child(info, 'truongdi');
  const to = child(info, 'truongden');
  if (!from || !to) throw bad('thiếu truongdi hoặc truongden');
  const list = child(root, 'danhsach');
  const documents = list ? children(list, 'tailieu').map(readDocument) : [];
  const r: TransferRecord = {
    packageId: text(info, 'magoi'),
    fromSchool: { code: text(from, 'matruong'), name: text(from, 'tentruong') },
    toSchool: { code: text(to, 'matruong') || null, name: text(to, 'tentruong') },
    transferDate: text(info, 'ngaychuyen'),
    reason: text(info, 'lydo') || null,
    createdAt: text(info, 'thoidiemtao'),
    student: readStudent(st),
    documents,
  };
  if (!UUID_RE.test(r.packageId)) throw bad('magoi không phải UUID');
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(r.fromSchool.code) || !r.fromSchool.name) throw bad('trường chuyển đi không hợp lệ');
  if (!r.toSchool.name) throw bad('thiếu tên trường chuyển đến');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(r.transferDate)) throw bad('ngaychuyen không hợp lệ');
  if (Number(text(info, 'sotailieu')) !== documents.length) throw bad('sotailieu khác số tài liệu');
  if (new Set(documents.map((d) => d.file)).size !== documents.length) throw bad('một tệp xuất hiện hai lần');
  return r;
}

function readStudent(st: Element): TransferStudent {
  const opt = (n: string) => text(st, n) || null;
  const s: TransferStudent = {
    fullName: text(st, 'hoten'),
    birthDate: text(st, 'ngaysinh'),
    sex: text(st, 'gioitinh') as TransferStudent['sex'],
    nationalId: opt('sodinhdanh'),
    studentCode: text(st, 'mahocsinh'),
    ethnicity: opt('dantoc'),
    nationality: opt('quoctich'),
    placeOfBirth: opt('noisinh'),
    homeTown: opt('quequan'),
    address: opt('diachi'),
  };
  if (!s.fullName || s.fullName.length > 200) throw bad('họ tên học sinh không hợp lệ');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s.birthDate)) throw bad('ngày sinh không hợp lệ');
  if (s.sex !== 'male' && s.sex !== 'female') throw bad('giới tính không hợp lệ');
  if (s.nationalId !== null && !/^\d{12}$/.test(s.nationalId)) throw bad('số định danh không hợp lệ');
  if (!/^[A-Za-z0-9._-]{1,32}$/.test(s.studentCode)) throw bad('mã học sinh không hợp lệ');
  return s;
}

function readDocument(t: Element): TransferDocument {
  const d: TransferDocument = {
    file: text(t, 'tentep'),
    transcriptUid: text(t, 'madinhdanhhocba'),
    version: Number(text(t, 'phienban')),
    schoolYear: text(t, 'namhoc'),
    schoolCode: text(t, 'matruong'),
    sha256: text(t, 'bamsha256'),
  };
  if (!DOCUMENT_NAME_RE.test(d.file) || d.file === 'manifest.xml') throw bad(`tên tệp "${d.file.slice(0, 60)}" không hợp lệ`);
  if (!UUID_RE.test(d.transcriptUid)) throw bad(`madinhdanhhocba của ${d.file} không phải UUID`);
  if (!Number.isInteger(d.version) || d.version < 1) throw bad(`phienban của ${d.file} không hợp lệ`);
  if (!/^\d{4}-\d{4}$/.test(d.schoolYear)) throw bad(`namhoc của ${d.file} không hợp lệ`);
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(d.schoolCode)) throw bad(`matruong của ${d.file} không hợp lệ`);
  if (!SHA256_RE.test(d.sha256)) throw bad(`bamsha256 của ${d.file} không hợp lệ`);
  return d;
}

function children(parent: Element, local: string): Element[] {
  const out: Element[] = [];
  for (let c = parent.firstChild; c; c = c.nextSibling) if (c.nodeType === 1 && (c as Element).localName === local && (c as Element).namespaceURI === TRANSFER_NS) out.push(c as Element);
  return out;
}
const child = (parent: Element, local: string) => children(parent, local)[0] ?? null;
const text = (parent: Element, local: string) => (child(parent, local)?.textContent ?? '').trim();
