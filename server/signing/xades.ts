/**
 * XAdES baseline-B (ETSI EN 319 132-1) enveloped signatures on the transcript XML, two-phase: `prepare` adds each
 * ds:Signature (empty SignatureValue) into the container and returns the canonical SignedInfo to sign; `assemble`
 * places the values after checking each against the signer's certificate.
 *
 * Speed: the document is parsed once per call and each covered part canonicalised once; the ds:Signature is
 * written as text already in exclusive-canonical form, so its canonical SignedInfo and SignedProperties are known
 * without reparsing (the form is checked by verify-xml.ts and the independent verifiers in the tests).
 */
import { AppError } from '../core/errors';
import { parseUntrustedXml } from './safe-xml';
import { verifyToBeSigned } from './key-holder';
import { ALG, NS, canonicalize, certMaterial, descendantsNS, digestB64, indexIds, isNcName, type CertMaterial } from './xml-dsig';
import { sha256 } from './der';
import type { PreparedXmlSignature, ToBeSigned, XmlSignatureRequest } from './types';

/** Generated XML documents stay well below this; the limit only guards against a runaway input. */
const MAX_XML = 50_000_000;

export function prepareXmlSignatures(xml: string, requests: XmlSignatureRequest[]): { preparedXml: string; items: PreparedXmlSignature[] } {
  if (requests.length === 0) return { preparedXml: xml, items: [] };
  const doc = parseUntrustedXml(xml, MAX_XML);
  const ids = indexIds(doc);
  const containerName = checkRequests(doc, ids, requests);
  const digests = new Map<string, string>();
  const digestOf = (id: string): string => {
    let d = digests.get(id);
    if (d === undefined) {
      d = digestB64(canonicalize(id === '' ? doc.documentElement : ids.get(id)!));
      digests.set(id, d);
    }
    return d;
  };
  const built = requests.map((r) => buildSignature(r, digestOf));
  const preparedXml = insertIntoContainer(xml, containerName, built.map((b) => b.text).join(''));
  const items = built.map((b, i) => ({ preparedXml, signatureId: requests[i].signatureId, toBeSigned: b.toBeSigned }));
  return { preparedXml, items };
}

/** Refuses what would make a wrong or ambiguous signature; returns the container's qualified name. */
function checkRequests(doc: Document, ids: Map<string, Element>, requests: XmlSignatureRequest[]): string {
  const bad = (detail: string) => new AppError('invalid', 'signing.badRequest', { detail });
  const containerLocal = requests[0].containerLocalName;
  if (requests.some((r) => r.containerLocalName !== containerLocal)) throw bad('các chữ ký phải nằm trong cùng một phần tử');
  const containers: Element[] = [];
  for (let c = doc.documentElement.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 1 && (c as Element).localName === containerLocal) containers.push(c as Element);
  }
  if (containers.length !== 1) throw bad(`cần đúng một phần tử <${containerLocal}> ngay dưới gốc`);
  const container = containers[0];
  const seen = new Set<string>();
  for (const r of requests) {
    if (!isNcName(r.signatureId) || ids.has(r.signatureId) || seen.has(r.signatureId)) throw bad(`mã chữ ký "${r.signatureId}" không hợp lệ hoặc đã có`);
    seen.add(r.signatureId);
    if (r.references.length === 0) throw bad(`chữ ký ${r.signatureId} không phủ phần nào`);
    for (const ref of r.references) {
      if (ref === '') continue;
      const el = ids.get(ref);
      if (!el) throw bad(`không có phần tử Id="${ref}"`);
      // A covered part must not contain the container, or adding signatures would change what was signed.
      for (let p: Node | null = container; p; p = p.parentNode) if (p === el) throw bad(`phần #${ref} chứa nơi đặt chữ ký`);
    }
  }
  if (requests.some((r) => r.references.includes(''))) {
    // The whole-document signature (the seal) covers the others, so they must be complete and it must come alone.
    if (requests.length > 1) throw bad('chữ ký toàn văn bản (đóng dấu) phải được chuẩn bị riêng');
    const pending = descendantsNS(doc, NS.ds, 'SignatureValue').some((v) => !(v.textContent ?? '').trim());
    if (pending) throw bad('còn chữ ký chưa hoàn tất trong tài liệu');
  }
  return container.tagName;
}

interface Built {
  text: string;
  toBeSigned: ToBeSigned;
}

/**
 * One ds:Signature as text in exclusive-canonical form (attributes in order, no self-closing tags, no whitespace):
 * xmlns:ds on ds:Signature, xmlns:xades on QualifyingProperties, nothing else declared.
 */
function buildSignature(r: XmlSignatureRequest, digestOf: (id: string) => string): Built {
  const cert = certMaterial(r.certificatePem);
  const chain = (r.chainPems ?? []).map((p) => certMaterial(p));
  const S = r.signatureId;
  const spId = `${S}-signedprops`;
  const dataRefs = r.references.map((ref, i) => ({ ref, refId: `${S}-ref-${i}` }));
  const signedProps = signedPropertiesText(S, spId, r.signingTime, cert, dataRefs.map((d) => d.refId), false);
  const spCanonical = signedPropertiesText(S, spId, r.signingTime, cert, dataRefs.map((d) => d.refId), true);
  const method = cert.algorithm === 'ECDSA-P256' ? ALG.ecdsaSha256 : ALG.rsaSha256;
  const references =
    dataRefs.map(({ ref, refId }) => reference(refId, null, ref === '' ? '' : `#${ref}`, ref === '', digestOf(ref))).join('') +
    reference(`${S}-ref-signedprops`, ALG.signedPropertiesType, `#${spId}`, false, digestB64(spCanonical));
  const signedInfo =
    `<ds:SignedInfo><ds:CanonicalizationMethod Algorithm="${ALG.excC14n}"></ds:CanonicalizationMethod>` +
    `<ds:SignatureMethod Algorithm="${method}"></ds:SignatureMethod>${references}</ds:SignedInfo>`;
  const keyInfo = `<ds:KeyInfo><ds:X509Data>${[cert, ...chain].map((c) => `<ds:X509Certificate>${c.base64}</ds:X509Certificate>`).join('')}</ds:X509Data></ds:KeyInfo>`;
  const text =
    `<ds:Signature xmlns:ds="${NS.ds}" Id="${S}">${signedInfo}<ds:SignatureValue Id="${S}-value"></ds:SignatureValue>${keyInfo}` +
    `<ds:Object><xades:QualifyingProperties xmlns:xades="${NS.xades}" Target="#${S}">${signedProps}</xades:QualifyingProperties></ds:Object></ds:Signature>`;
  const bytes = Buffer.from(canonicalSignedInfo(signedInfo), 'utf8');
  return { text, toBeSigned: { algorithm: cert.algorithm, bytes, digestSha256: sha256(bytes), ecdsaEncoding: 'ieee-p1363' } };
}

function reference(id: string, type: string | null, uri: string, enveloped: boolean, digest: string): string {
  const transforms =
    (enveloped ? `<ds:Transform Algorithm="${ALG.enveloped}"></ds:Transform>` : '') + `<ds:Transform Algorithm="${ALG.excC14n}"></ds:Transform>`;
  return (
    `<ds:Reference Id="${id}"${type ? ` Type="${type}"` : ''} URI="${uri}"><ds:Transforms>${transforms}</ds:Transforms>` +
    `<ds:DigestMethod Algorithm="${ALG.sha256}"></ds:DigestMethod><ds:DigestValue>${digest}</ds:DigestValue></ds:Reference>`
  );
}

/**
 * SignedProperties: SigningTime, SigningCertificateV2 (EN 319 132-1 §5.2.2: CertDigest SHA-256 + IssuerSerialV2)
 * and one DataObjectFormat with MimeType per signed data object (§5.2.4, required by baseline-B).
 * `canonical` writes it as exclusive c14n renders it on its own: namespaces declared where first used.
 */
function signedPropertiesText(S: string, spId: string, signingTime: string, cert: CertMaterial, refIds: string[], canonical: boolean): string {
  const xadesNs = canonical ? ` xmlns:xades="${NS.xades}"` : '';
  const dsNs = canonical ? ` xmlns:ds="${NS.ds}"` : '';
  const formats = refIds
    .map((id) => `<xades:DataObjectFormat ObjectReference="#${id}"><xades:MimeType>text/xml</xades:MimeType></xades:DataObjectFormat>`)
    .join('');
  return (
    `<xades:SignedProperties${xadesNs} Id="${spId}"><xades:SignedSignatureProperties>` +
    `<xades:SigningTime>${xsdDateTime(signingTime)}</xades:SigningTime>` +
    `<xades:SigningCertificateV2><xades:Cert><xades:CertDigest><ds:DigestMethod${dsNs} Algorithm="${ALG.sha256}"></ds:DigestMethod>` +
    `<ds:DigestValue${dsNs}>${cert.digestB64}</ds:DigestValue></xades:CertDigest>` +
    `<xades:IssuerSerialV2>${cert.issuerSerialV2}</xades:IssuerSerialV2></xades:Cert></xades:SigningCertificateV2>` +
    `</xades:SignedSignatureProperties><xades:SignedDataObjectProperties>${formats}</xades:SignedDataObjectProperties></xades:SignedProperties>`
  );
}

function xsdDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new AppError('invalid', 'signing.badRequest', { detail: `thời điểm ký "${iso}"` });
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const canonicalSignedInfo = (signedInfo: string) => signedInfo.replace('<ds:SignedInfo>', `<ds:SignedInfo xmlns:ds="${NS.ds}">`);

/** Puts each signature value in place, after checking it against the signer's certificate. */
export function assembleXmlSignatures(preparedXml: string, values: { signatureId: string; signatureValue: Buffer }[]): string {
  const edits = values.map((v) => locateAndCheck(preparedXml, v.signatureId, v.signatureValue));
  edits.sort((a, b) => a.at - b.at);
  const parts: string[] = [];
  let last = 0;
  for (const e of edits) {
    parts.push(preparedXml.slice(last, e.at), e.text);
    last = e.at;
  }
  parts.push(preparedXml.slice(last));
  return parts.join('');
}

function locateAndCheck(xml: string, signatureId: string, value: Buffer): { at: number; text: string } {
  const notPrepared = () => new AppError('conflict', 'signing.notPrepared', { signatureId });
  const start = xml.indexOf(`<ds:Signature xmlns:ds="${NS.ds}" Id="${signatureId}">`);
  if (start < 0) throw notPrepared();
  const end = xml.indexOf('</ds:Signature>', start);
  const siStart = xml.indexOf('<ds:SignedInfo>', start);
  const siEnd = xml.indexOf('</ds:SignedInfo>', siStart);
  const emptyValue = `<ds:SignatureValue Id="${signatureId}-value"></ds:SignatureValue>`;
  const valueAt = xml.indexOf(emptyValue, siEnd);
  const certAt = xml.indexOf('<ds:X509Certificate>', valueAt);
  if (siStart < 0 || siEnd > end || valueAt < 0 || valueAt > end || certAt < 0 || certAt > end) throw notPrepared();
  const certB64 = xml.slice(certAt + 20, xml.indexOf('</ds:X509Certificate>', certAt));
  const cert = certMaterial(certB64);
  const signedInfo = xml.slice(siStart, siEnd + '</ds:SignedInfo>'.length);
  const tbs = { bytes: Buffer.from(canonicalSignedInfo(signedInfo), 'utf8'), ecdsaEncoding: 'ieee-p1363' as const };
  if (!verifyToBeSigned(cert.publicKey, tbs, value)) throw new AppError('invalid', 'signing.badSignatureValue', { signatureId });
  return { at: valueAt + emptyValue.length - '</ds:SignatureValue>'.length, text: value.toString('base64') };
}

/** Inserts the signatures' text at the end of the container (turning `<chuky/>` into `<chuky>…</chuky>`). */
function insertIntoContainer(xml: string, qname: string, text: string): string {
  const open = new RegExp(`<${qname.replace(/[.]/g, '\\.')}(\\s[^>]*)?>|<${qname.replace(/[.]/g, '\\.')}(\\s[^>]*)?/>`, 'g');
  const matches = [...xml.matchAll(open)];
  if (matches.length !== 1) throw new AppError('invalid', 'signing.badRequest', { detail: `không xác định được vị trí <${qname}>` });
  const m = matches[0];
  const at = m.index!;
  if (m[0].endsWith('/>')) {
    return `${xml.slice(0, at)}${m[0].slice(0, -2)}>${text}</${qname}>${xml.slice(at + m[0].length)}`;
  }
  const close = xml.indexOf(`</${qname}>`, at);
  if (close < 0) throw new AppError('invalid', 'signing.badRequest', { detail: `thiếu </${qname}>` });
  return xml.slice(0, close) + text + xml.slice(close);
}
