/**
 * XAdES baseline-B (ETSI EN 319 132-1) enveloped signatures on the transcript XML, two-phase: `prepare` adds each
 * ds:Signature (empty SignatureValue) into the container and returns the canonical SignedInfo to sign; `assemble`
 * places the values after checking each against the signer's certificate.
 *
 * Speed: the document is read once per call by the fast scanner (fast-xml.ts; the DOM only for what it does not
 * read) and each covered part canonicalised once; the ds:Signature is written as text already in
 * exclusive-canonical form, so its canonical SignedInfo and SignedProperties are known without reparsing (the
 * form is checked by verify-xml.ts and the independent verifiers in the tests). See bench/signing.ts.
 */
import { AppError } from '../core/errors';
import { parseUntrustedXml } from './safe-xml';
import { verifyToBeSigned } from './key-holder';
import { ALG, NS, canonicalize, certMaterial, descendantsNS, digestB64, indexIds, isNcName, type CertMaterial } from './xml-dsig';
import { sha256 } from './der';
import { UnsupportedXml, canonicalizeScanned, childElements, elementAt, hasPendingSignature, parentElement, scanXml } from './fast-xml';
import type { PreparedXmlSignature, ToBeSigned, XmlSignatureRequest } from './types';

/** Generated XML documents stay well below this; the limit only guards against a runaway input. */
const MAX_XML = 50_000_000;

export function prepareXmlSignatures(xml: string, requests: XmlSignatureRequest[]): { preparedXml: string; items: PreparedXmlSignature[] } {
  if (requests.length === 0) return { preparedXml: xml, items: [] };
  try {
    return prepareFrom(fastSource(xml, requests[0].containerLocalName) ?? domSource(xml, requests[0].containerLocalName), xml, requests);
  } catch (e) {
    // Something only the full parser handles turned up inside a covered part: start again on the DOM.
    if (e instanceof UnsupportedXml) return prepareFrom(domSource(xml, requests[0].containerLocalName), xml, requests);
    throw e;
  }
}

function prepareFrom(source: Source, xml: string, requests: XmlSignatureRequest[]): { preparedXml: string; items: PreparedXmlSignature[] } {
  checkRequests(source, requests);
  const digests = new Map<string, string>();
  const digestOf = (id: string): string => {
    let d = digests.get(id);
    if (d === undefined) {
      d = digestB64(source.canonical(id));
      digests.set(id, d);
    }
    return d;
  };
  const built = requests.map((r) => buildSignature(r, digestOf));
  const text = built.map((b) => b.text).join('');
  const preparedXml = source.insertAt ? insertAt(xml, source.containerQName!, source.insertAt, text) : insertIntoContainer(xml, source.containerQName, text);
  const items = built.map((b, i) => ({ preparedXml, signatureId: requests[i].signatureId, toBeSigned: b.toBeSigned }));
  return { preparedXml, items };
}

/** What preparing needs of the document, from the fast scanner or from the DOM. */
interface Source {
  hasId(id: string): boolean;
  /** Exclusive canonical form of the element with this Id, or of the whole document for ''. */
  canonical(id: string): string;
  /** Qualified name of the container (a child of the root), or null when there is not exactly one. */
  containerQName: string | null;
  /** Ids of the container's ancestors: a covered part must not contain the container. */
  containerAncestorIds: Set<string>;
  /** Some signature in the document still has an empty SignatureValue. */
  pending: boolean;
  /** Where the container closes in the text, when the scanner knows it (saves a search). */
  insertAt?: { at: number; selfClosing: boolean };
}

function fastSource(xml: string, containerLocal: string): Source | null {
  if (xml.length > MAX_XML) return null;
  // The scanner gives up on DOCTYPE, CDATA, processing instructions and unknown entities: the DOM path decides.
  const doc = scanXml(xml);
  if (!doc) return null;
  const containers = childElements(doc, doc.root).filter((i) => elementAt(doc, i).local === containerLocal);
  const ancestors = new Set<string>();
  const byIndex = new Map<number, string>();
  for (const [id, i] of doc.ids) byIndex.set(i, id);
  if (containers.length === 1) {
    for (let p = containers[0]; p >= 0; p = parentElement(doc, p)) if (byIndex.has(p)) ancestors.add(byIndex.get(p)!);
  }
  const container = containers.length === 1 ? elementAt(doc, containers[0]) : null;
  return {
    hasId: (id) => doc.ids.has(id),
    canonical: (id) => canonicalizeScanned(doc, id === '' ? doc.root : doc.ids.get(id)!),
    containerQName: container?.name ?? null,
    containerAncestorIds: ancestors,
    get pending() {
      return hasPendingSignature(doc, NS.ds);
    },
    insertAt: container ? { at: container.closeAt, selfClosing: container.selfClosing } : undefined,
  };
}

function domSource(xml: string, containerLocal: string): Source {
  const doc = parseUntrustedXml(xml, MAX_XML);
  const ids = indexIds(doc);
  const containers: Element[] = [];
  for (let c = doc.documentElement.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 1 && (c as Element).localName === containerLocal) containers.push(c as Element);
  }
  const ancestors = new Set<string>();
  if (containers.length === 1) {
    for (let p: Node | null = containers[0]; p && p.nodeType === 1; p = p.parentNode) {
      const id = (p as Element).getAttribute('Id');
      if (id) ancestors.add(id);
    }
  }
  return {
    hasId: (id) => ids.has(id),
    canonical: (id) => canonicalize(id === '' ? doc.documentElement : ids.get(id)!),
    containerQName: containers.length === 1 ? containers[0].tagName : null,
    containerAncestorIds: ancestors,
    pending: descendantsNS(doc, NS.ds, 'SignatureValue').some((v) => !(v.textContent ?? '').trim()),
  };
}

/** Refuses what would make a wrong or ambiguous signature. */
function checkRequests(source: Source, requests: XmlSignatureRequest[]): void {
  const bad = (detail: string) => new AppError('invalid', 'signing.badRequest', { detail });
  const containerLocal = requests[0].containerLocalName;
  if (requests.some((r) => r.containerLocalName !== containerLocal)) throw bad('các chữ ký phải nằm trong cùng một phần tử');
  if (!source.containerQName) throw bad(`cần đúng một phần tử <${containerLocal}> ngay dưới gốc`);
  const seen = new Set<string>();
  for (const r of requests) {
    if (!isNcName(r.signatureId) || source.hasId(r.signatureId) || seen.has(r.signatureId)) throw bad(`mã chữ ký "${r.signatureId}" không hợp lệ hoặc đã có`);
    seen.add(r.signatureId);
    if (r.references.length === 0) throw bad(`chữ ký ${r.signatureId} không phủ phần nào`);
    for (const ref of r.references) {
      if (ref === '') continue;
      if (!source.hasId(ref)) throw bad(`không có phần tử Id="${ref}"`);
      // A covered part must not contain the container, or adding signatures would change what was signed.
      if (source.containerAncestorIds.has(ref)) throw bad(`phần #${ref} chứa nơi đặt chữ ký`);
    }
  }
  if (requests.some((r) => r.references.includes(''))) {
    // The whole-document signature (the seal) covers the others, so they must be complete and it must come alone.
    if (requests.length > 1) throw bad('chữ ký toàn văn bản (đóng dấu) phải được chuẩn bị riêng');
    if (source.pending) throw bad('còn chữ ký chưa hoàn tất trong tài liệu');
  }
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
  if (new Set(values.map((v) => v.signatureId)).size !== values.length) {
    throw new AppError('invalid', 'signing.badRequest', { detail: 'một chữ ký được gửi hai lần' });
  }
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

function insertAt(xml: string, qname: string, place: { at: number; selfClosing: boolean }, text: string): string {
  if (place.selfClosing) return `${xml.slice(0, place.at)}>${text}</${qname}>${xml.slice(place.at + 2)}`;
  return xml.slice(0, place.at) + text + xml.slice(place.at);
}

/** Inserts the signatures' text at the end of the container (turning `<chuky/>` into `<chuky>…</chuky>`). */
function insertIntoContainer(xml: string, qname: string | null, text: string): string {
  if (!qname) throw new AppError('invalid', 'signing.badRequest', { detail: 'không có nơi đặt chữ ký' });
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
