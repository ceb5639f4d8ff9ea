/**
 * A fast "are all the signatures still intact?" check for the seal. Before the school seals a transcript, every
 * earlier signature (teachers, homeroom, approver) is checked again; on the DOM (verify-xml.ts) that costs about
 * 12 ms for a 90 KB document, most of it building the tree. Here the text is read by the scanner (fast-xml.ts)
 * and each covered part canonicalised straight from it.
 *
 * It answers only when every signature has exactly the shape our signer writes (xades.ts) and every check holds;
 * anything else (a shape it does not read, a failed digest or value, a document the scanner cannot handle) goes to
 * verifyXmlSignatures, which decides and words the problems. So it can be wrong only by being slower.
 */
import crypto from 'node:crypto';
import { chainsToAnchor, describeCertificate, parsedCertificate } from './certificates';
import { derToPem } from './der';
import { verifyToBeSigned } from './key-holder';
import { ALG, NS, digestB64 } from './xml-dsig';
import {
  attributeOf,
  canonicalizeScanned,
  childElements,
  descendantElements,
  isElement,
  parentElement,
  scanXml,
  textContentOf,
  type ScannedXml,
} from './fast-xml';
import { verifyXmlSignatures } from './verify-xml';
import { DEFAULT_MAX_XML_BYTES, MAX_XML_DEPTH } from './safe-xml';

export interface SignatureCheck {
  signatureId: string | null;
  /** Every digest and the signature value hold (SignatureReport.intact). */
  intact: boolean;
  /** The signer's certificate chains to one of the anchors at the signing time (SignatureReport.chainTrusted). */
  chainTrusted: boolean;
  /** Empty on the fast path; the DOM verifier's wording otherwise. */
  problems: string[];
}

/** One entry per ds:Signature, in document order, agreeing with verifyXmlSignatures on intact and chainTrusted. */
export function checkSignaturesIntact(xml: string, anchors: string[], opts: { at?: Date } = {}): SignatureCheck[] {
  const fast = fastCheck(xml, anchors, opts.at);
  if (fast) return fast;
  return verifyXmlSignatures(xml, anchors, opts).map((r) => ({ signatureId: r.signatureId, intact: r.intact, chainTrusted: r.chainTrusted, problems: r.problems }));
}

/** The scanner's answer alone, null when it leaves the decision to the DOM verifier (exported for the tests). */
export function fastCheck(xml: string, anchors: string[], at?: Date): SignatureCheck[] | null {
  // The DOM path refuses these outright (safe-xml.ts); the scanner must not accept what it refuses.
  if (xml.length > DEFAULT_MAX_XML_BYTES || Buffer.byteLength(xml, 'utf8') > DEFAULT_MAX_XML_BYTES || /<!\s*(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)/i.test(xml)) return null;
  try {
    const doc = scanXml(xml);
    if (!doc || tooDeep(doc)) return null;
    const digests = new Map<string, string>();
    const out: SignatureCheck[] = [];
    for (const i of descendantElements(doc, -1)) {
      if (!is(doc, i, NS.ds, 'Signature')) continue;
      const check = checkOne(doc, digests, i, anchors, at);
      if (!check) return null;
      out.push(check);
    }
    return out;
  } catch {
    // UnsupportedXml, or anything unexpected (a certificate or key it cannot read): the DOM verifier decides.
    return null;
  }
}

const is = isElement;

/** The DOM path refuses nesting deeper than MAX_XML_DEPTH. */
function tooDeep(doc: ScannedXml): boolean {
  const depth = new Int32Array(doc.count);
  for (const i of descendantElements(doc, -1)) {
    const p = parentElement(doc, i);
    const d = (p < 0 ? 0 : depth[p]) + 1;
    if (d > MAX_XML_DEPTH) return true;
    depth[i] = d;
  }
  return false;
}
const children = (doc: ScannedXml, i: number, ns: string, local: string) => childElements(doc, i).filter((c) => is(doc, c, ns, local));
const descendants = (doc: ScannedXml, i: number, ns: string, local: string) => descendantElements(doc, i).filter((c) => is(doc, c, ns, local));

/** One signature of our own shape with every check holding, or null. */
function checkOne(doc: ScannedXml, digests: Map<string, string>, sig: number, anchors: string[], at?: Date): SignatureCheck | null {
  const signatureId = attributeOf(doc, sig, 'Id') || null;
  const signedInfo = children(doc, sig, NS.ds, 'SignedInfo')[0];
  const certs = descendants(doc, sig, NS.ds, 'X509Certificate').map((c) => derToPem(Buffer.from(textContentOf(doc, c).replace(/\s+/g, ''), 'base64')));
  if (signedInfo === undefined || certs.length === 0 || !signatureId) return null;
  const signedProps = signedPropertiesOf(doc, sig, signatureId);
  if (signedProps === null) return null;
  const c14n = children(doc, signedInfo, NS.ds, 'CanonicalizationMethod')[0];
  if (c14n === undefined || attributeOf(doc, c14n, 'Algorithm') !== ALG.excC14n) return null;
  const method = children(doc, signedInfo, NS.ds, 'SignatureMethod')[0];
  const sigAlg = method === undefined ? null : attributeOf(doc, method, 'Algorithm');
  if (sigAlg !== ALG.rsaSha256 && sigAlg !== ALG.ecdsaSha256) return null;
  let signer: crypto.X509Certificate;
  let signerSha256: string;
  try {
    signerSha256 = describeCertificate(certs[0]).sha256;
    signer = parsedCertificate(certs[0]);
  } catch {
    return null;
  }
  let covers = 0;
  let sawSignedProps = false;
  for (const ref of children(doc, signedInfo, NS.ds, 'Reference')) {
    const result = referenceHolds(doc, digests, sig, ref, signedProps);
    if (result === null) return null;
    if (result === 'signedProps') sawSignedProps = true;
    else covers++;
  }
  if (covers === 0 || !sawSignedProps || !signingCertificateMatches(doc, signedProps, signerSha256)) return null;
  const valueEl = children(doc, sig, NS.ds, 'SignatureValue')[0];
  const value = Buffer.from(valueEl === undefined ? '' : textContentOf(doc, valueEl).trim(), 'base64');
  const tbs = { bytes: Buffer.from(canonicalizeScanned(doc, signedInfo), 'utf8'), ecdsaEncoding: 'ieee-p1363' as const };
  if (value.length === 0 || !verifyToBeSigned(signer.publicKey, tbs, value)) return null;
  const timeEl = descendants(doc, signedProps, NS.xades, 'SigningTime')[0];
  const signingTime = timeEl === undefined ? null : textContentOf(doc, timeEl).trim();
  const when = signingTime && !Number.isNaN(Date.parse(signingTime)) ? new Date(signingTime) : at ?? new Date();
  return { signatureId, intact: true, chainTrusted: chainsToAnchor(certs[0], certs.slice(1), anchors, when), problems: [] };
}

/** xades:SignedProperties of ds:Object/xades:QualifyingProperties[@Target = #Id], as verify-xml.ts finds it. */
function signedPropertiesOf(doc: ScannedXml, sig: number, id: string): number | null {
  for (const obj of children(doc, sig, NS.ds, 'Object')) {
    for (const qp of children(doc, obj, NS.xades, 'QualifyingProperties')) {
      if (attributeOf(doc, qp, 'Target') !== `#${id}`) continue;
      const sp = children(doc, qp, NS.xades, 'SignedProperties')[0];
      if (sp !== undefined) return sp;
    }
  }
  return null;
}

/**
 * A reference as our signer writes it, digest holding: 'data' or 'signedProps', null otherwise. Transforms exactly
 * [enveloped-signature,] exc-c14n (enveloped only on the whole-document reference), SHA-256.
 */
function referenceHolds(doc: ScannedXml, digests: Map<string, string>, sig: number, ref: number, signedProps: number): 'data' | 'signedProps' | null {
  const uri = attributeOf(doc, ref, 'URI') ?? '';
  const isSp = attributeOf(doc, ref, 'Type') === ALG.signedPropertiesType;
  const transforms = descendants(doc, ref, NS.ds, 'Transform').map((tr) => attributeOf(doc, tr, 'Algorithm'));
  const expected = uri === '' ? [ALG.enveloped, ALG.excC14n] : [ALG.excC14n];
  if (transforms.length !== expected.length || transforms.some((a, k) => a !== expected[k])) return null;
  const method = children(doc, ref, NS.ds, 'DigestMethod')[0];
  if (method === undefined || attributeOf(doc, method, 'Algorithm') !== ALG.sha256) return null;
  if (uri !== '' && !uri.startsWith('#')) return null;
  const id = uri.slice(1);
  const target = uri === '' ? doc.root : doc.ids.get(id);
  if (target === undefined || (isSp && target !== signedProps) || (isSp && uri === '')) return null;
  let actual: string;
  if (uri === '') actual = digestB64(canonicalizeScanned(doc, doc.root, sig));
  else {
    actual = digests.get(id) ?? digestB64(canonicalizeScanned(doc, target));
    digests.set(id, actual);
  }
  const valueEl = descendants(doc, ref, NS.ds, 'DigestValue')[0];
  if (valueEl === undefined || textContentOf(doc, valueEl).replace(/\s+/g, '') !== actual) return null;
  return isSp ? 'signedProps' : 'data';
}

/** SigningCertificateV2 (EN 319 132-1 §5.2.2) names the certificate in KeyInfo by its SHA-256. */
function signingCertificateMatches(doc: ScannedXml, signedProps: number, sha256Hex: string): boolean {
  const v2 = descendants(doc, signedProps, NS.xades, 'SigningCertificateV2')[0];
  const certDigest = v2 === undefined ? undefined : descendants(doc, v2, NS.xades, 'CertDigest')[0];
  if (certDigest === undefined) return false;
  const method = children(doc, certDigest, NS.ds, 'DigestMethod')[0];
  const value = descendants(doc, certDigest, NS.ds, 'DigestValue')[0];
  if (method === undefined || value === undefined || attributeOf(doc, method, 'Algorithm') !== ALG.sha256) return false;
  return Buffer.from(textContentOf(doc, value).trim(), 'base64').toString('hex') === sha256Hex;
}
