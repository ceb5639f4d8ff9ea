/**
 * Verifies the signatures of a PDF: each /ByteRange's digest against the CMS message-digest, the CMS signature
 * over the signed attributes, the signing-certificate-v2 binding, the chain to a trust anchor, and whether the
 * last signature covers the whole file (nothing appended after it). Also finds the transcript XML attached inside.
 */
import { parsedCertificate } from './certificates';
import zlib from 'node:zlib';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { t } from '../core/i18n';
import { certificateProblem, chainsToAnchor, describeCertificate } from './certificates';
import { CMS_OID } from './cms';
import { derToPem, sha256, toArrayBuffer } from './der';
import { verifyToBeSigned } from './key-holder';
import type { PdfVerification, SignatureReport } from './types';

const BYTE_RANGE = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;

export function verifyPdfSignatures(pdf: Buffer, trustAnchors: string[]): PdfVerification {
  const text = pdf.toString('latin1');
  const ranges = [...text.matchAll(BYTE_RANGE)].map((m) => ({ at: m.index!, range: m.slice(1, 5).map(Number) as [number, number, number, number] }));
  const signatures = ranges.map(({ at, range }) => verifyOne(pdf, text, at, range, trustAnchors));
  const last = ranges.map((r) => r.range).sort((a, b) => a[2] + a[3] - (b[2] + b[3])).pop();
  const coversWholeFile = Boolean(last && last[0] === 0 && last[2] + last[3] === pdf.length);
  if (last && !coversWholeFile && signatures.length > 0) {
    signatures[signatures.length - 1].problems.push('Tệp đã bị thêm nội dung sau chữ ký cuối cùng.');
  }
  return { signatures, coversWholeFile, attachedXml: attachedXml(pdf, text) };
}

function verifyOne(pdf: Buffer, text: string, at: number, range: [number, number, number, number], anchors: string[]): SignatureReport {
  const problems: string[] = [];
  const dict = signatureDictionary(text, at);
  const report: SignatureReport = { signatureId: dict.name, signer: null, signingTime: dict.signingTime, covers: [], chainTrusted: false, intact: false, valid: false, problems };
  const [a, b, c, d] = range;
  if (a !== 0 || b > c || c + d > pdf.length || pdf[b] !== 0x3c || pdf[c - 1] !== 0x3e) {
    problems.push('Vùng dữ liệu được ký (ByteRange) không hợp lệ.');
    return report;
  }
  if (c + d === pdf.length) report.covers.push('');
  const signed = Buffer.concat([pdf.subarray(a, b), pdf.subarray(c, c + d)]);
  let parsed: ParsedCms;
  try {
    parsed = parseCms(Buffer.from(text.slice(b + 1, c - 1), 'hex'));
  } catch {
    problems.push('Không đọc được dữ liệu chữ ký (CMS).');
    return report;
  }
  report.signer = describeCertificate(parsed.signerPem);
  let intact = true;
  if (!parsed.messageDigest || !parsed.messageDigest.equals(sha256(signed))) {
    problems.push('Giá trị băm của tài liệu không khớp (nội dung đã bị thay đổi sau khi ký).');
    intact = false;
  }
  if (!parsed.certHash || !parsed.certHash.equals(sha256(Buffer.from(parsedCertificate(parsed.signerPem).raw)))) {
    problems.push('Thiếu hoặc sai thuộc tính signing-certificate-v2.');
    intact = false;
  }
  const publicKey = parsedCertificate(parsed.signerPem).publicKey;
  if (!verifyToBeSigned(publicKey, { bytes: parsed.signedAttrs, ecdsaEncoding: 'der' }, parsed.signature)) {
    problems.push('Giá trị chữ ký không khớp với chứng thư số của người ký.');
    intact = false;
  }
  report.intact = intact;
  const when = report.signingTime ? new Date(report.signingTime) : new Date();
  report.chainTrusted = chainsToAnchor(parsed.signerPem, parsed.otherPems, anchors, when);
  const refusal = certificateProblem(parsed.signerPem, { trustAnchors: anchors, chainPems: parsed.otherPems, at: when });
  if (refusal) problems.push(t('vi', refusal));
  report.valid = intact && report.chainTrusted && refusal === null;
  return report;
}

interface ParsedCms {
  signerPem: string;
  otherPems: string[];
  signedAttrs: Buffer;
  signature: Buffer;
  messageDigest: Buffer | null;
  certHash: Buffer | null;
}

function parseCms(der: Buffer): ParsedCms {
  const asn = asn1js.fromBER(toArrayBuffer(der));
  if (asn.offset === -1) throw new Error('bad CMS');
  const contentInfo = new pkijs.ContentInfo({ schema: asn.result });
  if (contentInfo.contentType !== CMS_OID.signedData) throw new Error('not SignedData');
  const sd = new pkijs.SignedData({ schema: contentInfo.content });
  const si = sd.signerInfos[0];
  const certs = (sd.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  const sid = si.sid as pkijs.IssuerAndSerialNumber;
  const signer = certs.find((c) => c.serialNumber.isEqual(sid.serialNumber) && c.issuer.isEqual(sid.issuer));
  if (!signer || !si.signedAttrs) throw new Error('no signer');
  const pems = certs.map((c) => derToPem(new Uint8Array(c.toSchema().toBER(false))));
  const signerPem = pems[certs.indexOf(signer)];
  const attr = (oid: string) => si.signedAttrs!.attributes.find((x) => x.type === oid)?.values[0];
  const md = attr(CMS_OID.messageDigest) as asn1js.OctetString | undefined;
  const scv2 = attr(CMS_OID.signingCertificateV2) as asn1js.Sequence | undefined;
  // SigningCertificateV2 → certs → first ESSCertIDv2 → certHash (after the optional hashAlgorithm).
  const essCertId = (scv2?.valueBlock.value[0] as asn1js.Sequence | undefined)?.valueBlock.value[0] as asn1js.Sequence | undefined;
  const hash = essCertId?.valueBlock.value.find((v) => v instanceof asn1js.OctetString) as asn1js.OctetString | undefined;
  return {
    signerPem,
    otherPems: pems.filter((p) => p !== signerPem),
    signedAttrs: Buffer.from(si.signedAttrs.encodedValue),
    signature: Buffer.from(si.signature.valueBlock.valueHexView),
    messageDigest: md ? Buffer.from(md.valueBlock.valueHexView) : null,
    certHash: hash ? Buffer.from(hash.valueBlock.valueHexView) : null,
  };
}

/** The signature dictionary around a ByteRange: field name unknown here, signing time from /M. */
function signatureDictionary(text: string, at: number): { name: string | null; signingTime: string | null } {
  const start = text.lastIndexOf(' obj', at);
  const end = text.indexOf('endobj', at);
  const dict = text.slice(start, end);
  // The field (widget) naming this signature: `/V <n> 0 R … /T (name)`.
  const objNum = /(\d+)\s+\d+\s*$/.exec(text.slice(Math.max(0, start - 20), start))?.[1];
  const field = objNum ? new RegExp(`/V\\s+${objNum}\\s+0\\s+R[^>]*?/T\\s*\\(([^)]*)\\)|/T\\s*\\(([^)]*)\\)[^>]*?/V\\s+${objNum}\\s+0\\s+R`).exec(text) : null;
  const m = /\/M\s*\(D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(Z|[+-]\d{2}'?\d{2}'?)?/.exec(dict);
  const name = field ? field[1] ?? field[2] : null;
  let signingTime: string | null = null;
  if (m) {
    const zone = !m[7] || m[7] === 'Z' ? 'Z' : `${m[7].slice(0, 3)}:${m[7].replace(/'/g, '').slice(3, 5)}`;
    const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${zone}`);
    signingTime = Number.isNaN(d.getTime()) ? null : d.toISOString();
  }
  return { name: name ? decodePdfString(name) : null, signingTime };
}

function decodePdfString(raw: string): string {
  const bytes = Buffer.from(raw.replace(/\\([()\\])/g, '$1'), 'latin1');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return bytes.subarray(2).swap16().toString('utf16le');
  return bytes.toString('latin1');
}

/** The first embedded file stream that holds XML (uncompressed or Flate), as pdfkit's doc.file() writes it. */
function attachedXml(pdf: Buffer, text: string): string | null {
  for (const m of text.matchAll(/\/Type\s*\/EmbeddedFile\b/g)) {
    const dictStart = text.lastIndexOf(' obj', m.index!);
    const streamKw = text.indexOf('stream', m.index!);
    if (dictStart < 0 || streamKw < 0) continue;
    const dict = text.slice(dictStart, streamKw);
    const length = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(dict);
    if (!length) continue;
    let dataStart = streamKw + 'stream'.length;
    if (text[dataStart] === '\r') dataStart++;
    if (text[dataStart] === '\n') dataStart++;
    let data = pdf.subarray(dataStart, dataStart + Number(length[1]));
    try {
      if (/\/FlateDecode/.test(dict)) data = zlib.inflateSync(data);
    } catch {
      continue;
    }
    const xml = data.toString('utf8').replace(/^\uFEFF/, '');
    if (xml.trimStart().startsWith('<')) return xml;
  }
  return null;
}
