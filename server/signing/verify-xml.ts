/**
 * Verifies every ds:Signature of a transcript XML: for each, which parts it covers, whether each digest and the
 * signature value hold, who signed and when, and whether the certificate chains to a trusted authority and was
 * fit to sign at that time. The document is parsed once (hostile input refused) and each part canonicalised once.
 */
import { parsedCertificate } from './certificates';
import { t } from '../core/i18n';
import { certificateProblem, chainsToAnchor, describeCertificate } from './certificates';
import { derToPem } from './der';
import { verifyToBeSigned } from './key-holder';
import { parseUntrustedXml } from './safe-xml';
import { ALG, NS, canonicalize, childrenNS, descendantsNS, digestB64, indexIds } from './xml-dsig';
import type { SignatureReport } from './types';

/**
 * One report per ds:Signature. The certificate is judged at the signature's own SigningTime (baseline-B carries
 * no timestamp, so that is the signer's claim); `opts.at` is used when a signature has no SigningTime.
 */
export function verifyXmlSignatures(xml: string, trustAnchors: string[], opts: { at?: Date } = {}): SignatureReport[] {
  const doc = parseUntrustedXml(xml);
  const ids = indexIds(doc);
  const cache = new Map<string, string>();
  return descendantsNS(doc, NS.ds, 'Signature').map((sig) => verifyOne(doc, ids, cache, sig, trustAnchors, opts.at));
}

function verifyOne(doc: Document, ids: Map<string, Element>, cache: Map<string, string>, sig: Element, anchors: string[], at?: Date): SignatureReport {
  const problems: string[] = [];
  const report: SignatureReport = { signatureId: sig.getAttribute('Id') || null, signer: null, signingTime: null, covers: [], chainTrusted: false, intact: false, valid: false, problems };
  const signedInfo = childrenNS(sig, NS.ds, 'SignedInfo')[0];
  const certs = descendantsNS(sig, NS.ds, 'X509Certificate').map((c) => derToPem(Buffer.from((c.textContent ?? '').replace(/\s+/g, ''), 'base64')));
  if (!signedInfo || certs.length === 0) {
    problems.push('Chữ ký thiếu SignedInfo hoặc chứng thư số của người ký.');
    return report;
  }
  const signerPem = certs[0];
  try {
    report.signer = describeCertificate(signerPem);
  } catch {
    problems.push('Không đọc được chứng thư số của người ký.');
    return report;
  }
  const signedProps = findSignedProperties(sig);
  report.signingTime = signedProps ? textOf(signedProps, NS.xades, 'SigningTime') : null;
  let intact = checkAlgorithms(signedInfo, problems);
  let sawSignedProps = false;
  for (const ref of childrenNS(signedInfo, NS.ds, 'Reference')) {
    const result = checkReference(doc, ids, cache, sig, ref, signedProps);
    if (result.isSignedProperties) sawSignedProps = true;
    else report.covers.push(result.covers);
    if (result.problem) {
      problems.push(result.problem);
      intact = false;
    }
  }
  if (report.covers.length === 0) {
    problems.push('Chữ ký không phủ phần nào của tài liệu.');
    intact = false;
  }
  if (!signedProps || !sawSignedProps) {
    problems.push('Chữ ký thiếu thuộc tính ký XAdES (SignedProperties) được ký kèm.');
    intact = false;
  } else if (!signingCertificateMatches(signedProps, report.signer.sha256)) {
    problems.push('Chứng thư số trong chữ ký khác với chứng thư số đã được ký kèm (SigningCertificateV2).');
    intact = false;
  }
  const value = Buffer.from(textOf(sig, NS.ds, 'SignatureValue', true) ?? '', 'base64');
  const tbs = { bytes: Buffer.from(canonicalize(signedInfo), 'utf8'), ecdsaEncoding: 'ieee-p1363' as const };
  if (value.length === 0 || !verifyToBeSigned(parsedCertificate(signerPem).publicKey, tbs, value)) {
    problems.push(value.length === 0 ? 'Chữ ký chưa hoàn tất (chưa có giá trị chữ ký).' : 'Giá trị chữ ký không khớp với chứng thư số của người ký.');
    intact = false;
  }
  report.intact = intact;
  const when = report.signingTime && !Number.isNaN(Date.parse(report.signingTime)) ? new Date(report.signingTime) : at ?? new Date();
  report.chainTrusted = chainsToAnchor(signerPem, certs.slice(1), anchors, when);
  const refusal = certificateProblem(signerPem, { trustAnchors: anchors, chainPems: certs.slice(1), at: when });
  if (refusal) problems.push(t('vi', refusal));
  report.valid = intact && report.chainTrusted && refusal === null;
  return report;
}

function checkAlgorithms(signedInfo: Element, problems: string[]): boolean {
  const c14nAlg = childrenNS(signedInfo, NS.ds, 'CanonicalizationMethod')[0]?.getAttribute('Algorithm');
  const sigAlg = childrenNS(signedInfo, NS.ds, 'SignatureMethod')[0]?.getAttribute('Algorithm');
  let ok = true;
  if (c14nAlg !== ALG.excC14n) {
    problems.push(`Phương pháp chuẩn hóa không được hỗ trợ: ${c14nAlg ?? '(không có)'}.`);
    ok = false;
  }
  if (sigAlg !== ALG.rsaSha256 && sigAlg !== ALG.ecdsaSha256) {
    problems.push(`Thuật toán chữ ký không được hỗ trợ: ${sigAlg ?? '(không có)'}.`);
    ok = false;
  }
  return ok;
}

interface RefResult {
  covers: string;
  isSignedProperties: boolean;
  problem: string | null;
}

function checkReference(doc: Document, ids: Map<string, Element>, cache: Map<string, string>, sig: Element, ref: Element, signedProps: Element | null): RefResult {
  const uri = ref.getAttribute('URI') ?? '';
  const isSp = ref.getAttribute('Type') === ALG.signedPropertiesType;
  const covers = uri === '' ? '' : uri.replace(/^#/, '');
  const label = uri === '' ? 'toàn bộ tài liệu' : isSp ? 'thuộc tính ký (SignedProperties)' : `#${covers}`;
  const out = (problem: string | null): RefResult => ({ covers, isSignedProperties: isSp, problem });
  const transforms = descendantsNS(ref, NS.ds, 'Transform').map((tr) => tr.getAttribute('Algorithm'));
  const enveloped = transforms.includes(ALG.enveloped);
  if (transforms.some((a) => a !== ALG.enveloped && a !== ALG.excC14n) || !transforms.includes(ALG.excC14n)) {
    return out(`Phép biến đổi của tham chiếu ${label} không được hỗ trợ.`);
  }
  if (childrenNS(ref, NS.ds, 'DigestMethod')[0]?.getAttribute('Algorithm') !== ALG.sha256) return out(`Thuật toán băm của ${label} không được hỗ trợ.`);
  if (uri !== '' && !uri.startsWith('#')) return out(`Tham chiếu ngoài tài liệu không được chấp nhận: ${uri}.`);
  const target = uri === '' ? doc.documentElement : ids.get(covers);
  if (!target) return out(`Không tìm thấy phần ${label} trong tài liệu.`);
  if (isSp && target !== signedProps) return out('Tham chiếu SignedProperties không trỏ tới thuộc tính của chính chữ ký này.');
  if (uri === '' && !enveloped) return out('Tham chiếu toàn văn bản thiếu phép biến đổi enveloped-signature.');
  const actual = uri === '' ? digestWithout(doc, sig) : cached(cache, covers, target);
  const expected = (textOf(ref, NS.ds, 'DigestValue') ?? '').replace(/\s+/g, '');
  return out(actual === expected ? null : `Giá trị băm của ${label} không khớp (nội dung đã bị thay đổi sau khi ký).`);
}

function cached(cache: Map<string, string>, id: string, el: Element): string {
  let d = cache.get(id);
  if (d === undefined) {
    d = digestB64(canonicalize(el));
    cache.set(id, d);
  }
  return d;
}

/** The enveloped-signature transform: the document without this signature, canonicalised. */
function digestWithout(doc: Document, sig: Element): string {
  const parent = sig.parentNode!;
  const next = sig.nextSibling;
  parent.removeChild(sig);
  try {
    return digestB64(canonicalize(doc.documentElement));
  } finally {
    parent.insertBefore(sig, next);
  }
}

function findSignedProperties(sig: Element): Element | null {
  const id = sig.getAttribute('Id');
  for (const obj of childrenNS(sig, NS.ds, 'Object')) {
    for (const qp of childrenNS(obj, NS.xades, 'QualifyingProperties')) {
      if (id && qp.getAttribute('Target') !== `#${id}`) continue;
      const sp = childrenNS(qp, NS.xades, 'SignedProperties')[0];
      if (sp) return sp;
    }
  }
  return null;
}

function signingCertificateMatches(signedProps: Element, sha256Hex: string): boolean {
  const v2 = descendantsNS(signedProps, NS.xades, 'SigningCertificateV2')[0];
  if (!v2) return false;
  const certDigest = descendantsNS(v2, NS.xades, 'CertDigest')[0];
  const method = certDigest ? childrenNS(certDigest, NS.ds, 'DigestMethod')[0]?.getAttribute('Algorithm') : null;
  const value = certDigest ? textOf(certDigest, NS.ds, 'DigestValue') : null;
  return method === ALG.sha256 && value !== null && Buffer.from(value, 'base64').toString('hex') === sha256Hex;
}

function textOf(el: Element, ns: string, local: string, direct = false): string | null {
  const found = direct ? childrenNS(el, ns, local)[0] : descendantsNS(el, ns, local)[0];
  return found ? (found.textContent ?? '').trim() : null;
}
