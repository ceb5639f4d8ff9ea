/**
 * The sync packet's manifest in XML (namespace urn:hocbaso:sync:v1, ours: no official format is public,
 * hoc-ba-so.md), signed with the school seal exactly as the transcripts are: XAdES baseline-B, enveloped
 * (`URI=""`), in the `chuky` container (server/signing/xades.ts). Reading goes through the hostile-XML guard.
 */
import { MANIFEST_NAME, SHA256_RE, UUID_RE, DOCUMENT_NAME_RE, type Manifest, type ManifestEntry } from '../../domain/sync/packet';
import { SYNC_EVENTS, type SyncEvent } from '../../domain/sync/rules';
import { AppError } from '../core/errors';
import { parseUntrustedXml } from '../signing/safe-xml';
import { verifyXmlSignatures } from '../signing/verify-xml';
import { checkCertificate } from '../signing/certificates';
import { assembleXmlSignatures, prepareXmlSignatures } from '../signing/xades';
import type { SignatureReport, ToBeSigned } from '../signing/types';

export const SYNC_NS = 'urn:hocbaso:sync:v1';
export const MANIFEST_SIGNATURE_ID = 'sig-goi-condau';
export { MANIFEST_NAME };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const el = (name: string, value: string | number | null) => (value === null || value === '' ? `<${name}/>` : `<${name}>${esc(String(value))}</${name}>`);

/** The manifest before signing: one `banghi` per entry, an empty `chuky` for the seal. */
export function manifestToXml(m: Manifest): string {
  const entries = m.entries
    .map((e) => `<banghi>${el('idbanghi', e.idbanghi)}${el('sukien', e.sukien)}${el('phienban', e.phienban)}${el('phienbanhocba', e.phienbanhocba)}${el('mahocsinh', e.mahocsinh)}${el('tentep', e.tentep)}${el('bamsha256', e.sha256)}${el('lydo', e.lydo)}</banghi>`)
    .join('\n');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<goidongbo xmlns="${SYNC_NS}" phienbanschema="1">\n` +
    `<thongtingoi>${el('magoi', m.packetId)}${el('matruong', m.schoolCode)}${el('tentruong', m.schoolName)}${el('namhoc', m.schoolYear)}${el('thoidiemtao', m.createdAt)}${el('sobanghi', m.entries.length)}</thongtingoi>\n` +
    `<danhsach>\n${entries}\n</danhsach>\n<chuky/>\n</goidongbo>\n`
  );
}

/** Signs the manifest with the seal (two-phase: `sign` is the key holder — the software keystore here). */
export function signManifest(xml: string, seal: { certificatePem: string; chainPems: string[] }, at: string, sign: (tbs: ToBeSigned) => Buffer): string {
  return sealWholeDocument(xml, MANIFEST_SIGNATURE_ID, seal, at, sign);
}

/** One seal signature over the whole document (enveloped, `URI=""`) into its `chuky`: manifests, transfer records. */
export function sealWholeDocument(xml: string, signatureId: string, seal: { certificatePem: string; chainPems: string[] }, at: string, sign: (tbs: ToBeSigned) => Buffer): string {
  const { preparedXml, items } = prepareXmlSignatures(xml, [
    { signatureId, references: [''], certificatePem: seal.certificatePem, chainPems: seal.chainPems, signingTime: at, containerLocalName: 'chuky' },
  ]);
  return assembleXmlSignatures(preparedXml, [{ signatureId, signatureValue: sign(items[0].toBeSigned) }]);
}

const bad = (detail: string) => new AppError('invalid', 'sync.badManifest', { detail });

/** Reads a manifest (hostile XML refused by parseUntrustedXml: `xml.hostile`, `xml.tooLarge`, `xml.malformed`). */
export function readManifest(xml: string): Manifest {
  const doc = parseUntrustedXml(xml);
  const root = doc.documentElement;
  if (root.localName !== 'goidongbo' || root.namespaceURI !== SYNC_NS) throw bad('phần tử gốc phải là goidongbo');
  const info = child(root, 'thongtingoi');
  if (!info) throw bad('thiếu thongtingoi');
  const list = child(root, 'danhsach');
  const entries = list ? children(list, 'banghi').map(readEntry) : [];
  const m: Manifest = {
    packetId: text(info, 'magoi'),
    schoolCode: text(info, 'matruong'),
    schoolName: text(info, 'tentruong'),
    schoolYear: text(info, 'namhoc'),
    createdAt: text(info, 'thoidiemtao'),
    entries,
  };
  if (!UUID_RE.test(m.packetId)) throw bad('magoi không phải UUID');
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(m.schoolCode)) throw bad('matruong không hợp lệ');
  if (!/^\d{4}-\d{4}$/.test(m.schoolYear)) throw bad('namhoc không hợp lệ');
  if (Number(text(info, 'sobanghi')) !== entries.length) throw bad('sobanghi khác số bản ghi');
  const ids = new Set(entries.map((e) => e.idbanghi));
  if (ids.size !== entries.length) throw bad('một idbanghi xuất hiện hai lần');
  return m;
}

function readEntry(b: Element): ManifestEntry {
  const sukien = text(b, 'sukien') as SyncEvent;
  const e: ManifestEntry = {
    idbanghi: text(b, 'idbanghi'),
    sukien,
    phienban: Number(text(b, 'phienban')),
    phienbanhocba: Number(text(b, 'phienbanhocba')),
    mahocsinh: text(b, 'mahocsinh'),
    tentep: text(b, 'tentep') || null,
    sha256: text(b, 'bamsha256') || null,
    lydo: text(b, 'lydo') || null,
  };
  if (!UUID_RE.test(e.idbanghi)) throw bad(`idbanghi "${e.idbanghi.slice(0, 40)}" không phải UUID`);
  if (!SYNC_EVENTS.includes(sukien)) throw bad(`sukien "${String(sukien).slice(0, 20)}" không hợp lệ`);
  if (!Number.isInteger(e.phienban) || e.phienban < 1 || !Number.isInteger(e.phienbanhocba) || e.phienbanhocba < 1) throw bad(`phienban của ${e.idbanghi} không hợp lệ`);
  if (sukien !== 'CANCEL' && (!e.tentep || !DOCUMENT_NAME_RE.test(e.tentep) || !e.sha256 || !SHA256_RE.test(e.sha256))) throw bad(`tentep hoặc bamsha256 của ${e.idbanghi} không hợp lệ`);
  return e;
}

/**
 * The manifest's seal: exactly one signature, whole document, intact, chaining to a trust anchor, by the seal of the
 * school the manifest names (`MST:<matruong>`). Null when it holds, else why (Vietnamese, for the answer).
 */
export function manifestSealProblem(xml: string, schoolCode: string, anchors: string[]): string | null {
  return wholeDocumentSealProblem(xml, MANIFEST_SIGNATURE_ID, schoolCode, anchors, 'bản kê');
}

/** The same check for any document sealed by sealWholeDocument; `what` names the document in the reason. */
export function wholeDocumentSealProblem(xml: string, signatureId: string, schoolCode: string, anchors: string[], what: string): string | null {
  let reports: SignatureReport[];
  try {
    reports = verifyXmlSignatures(xml, anchors);
  } catch (err) {
    return `không kiểm tra được chữ ký: ${err instanceof Error ? err.message : String(err)}`;
  }
  if (reports.length !== 1 || reports[0].signatureId !== signatureId || reports[0].covers.join() !== '') return `cần đúng một chữ ký ${signatureId} phủ toàn bộ ${what}`;
  const r = reports[0];
  if (!r.valid) return `chữ ký ${signatureId} không hợp lệ: ${r.problems.join('; ') || 'không rõ'}`;
  const at = r.signingTime ? new Date(r.signingTime) : new Date();
  if (checkCertificate(r.signer!.pem, { trustAnchors: anchors, at, owner: { kind: 'school', schoolCode } }) !== null) return `chữ ký ${signatureId} không phải con dấu của trường ${schoolCode}`;
  return null;
}

function children(parent: Element, local: string): Element[] {
  const out: Element[] = [];
  for (let c = parent.firstChild; c; c = c.nextSibling) if (c.nodeType === 1 && (c as Element).localName === local && (c as Element).namespaceURI === SYNC_NS) out.push(c as Element);
  return out;
}
const child = (parent: Element, local: string) => children(parent, local)[0] ?? null;
const text = (parent: Element, local: string) => (child(parent, local)?.textContent ?? '').trim();
