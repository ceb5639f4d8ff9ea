/**
 * The seal's fast pre-check (server/signing/intact-xml.ts) must say what the DOM verifier says, signature by
 * signature: on the sample chain as signed, after a score is changed, a signature value changed, a signing time
 * changed, and against a root the school does not trust. No database needed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { checkSignaturesIntact, fastCheck } from '../server/signing/intact-xml';
import { verifyXmlSignatures } from '../server/signing/verify-xml';
import type { DemoPki } from '../server/signing/pki';
import { sampleTranscript, samplePki, signSampleChain } from './helpers/signing-sample';

let pki: DemoPki;
let other: DemoPki;
let signed: string;
const now = new Date();

beforeAll(() => {
  pki = samplePki(now);
  other = samplePki(now);
  signed = signSampleChain(sampleTranscript(), pki, now.toISOString());
});

const domView = (xml: string, anchors: string[]) =>
  verifyXmlSignatures(xml, anchors).map((r) => ({ signatureId: r.signatureId, intact: r.intact, chainTrusted: r.chainTrusted }));
const fastView = (xml: string, anchors: string[]) =>
  checkSignaturesIntact(xml, anchors).map((r) => ({ signatureId: r.signatureId, intact: r.intact, chainTrusted: r.chainTrusted }));

/** The base64 text of one signature's SignatureValue, with its first character changed. */
function changeSignatureValue(xml: string, signatureId: string): string {
  const open = `<ds:SignatureValue Id="${signatureId}-value">`;
  const at = xml.indexOf(open) + open.length;
  return xml.slice(0, at) + (xml[at] === 'A' ? 'B' : 'A') + xml.slice(at + 1);
}

/** One signature's SigningTime moved by a second (its SignedProperties digest no longer holds). */
function changeSigningTime(xml: string, signatureId: string): string {
  const start = xml.indexOf(`Id="${signatureId}-signedprops"`);
  const open = '<xades:SigningTime>';
  const at = xml.indexOf(open, start) + open.length;
  const end = xml.indexOf('</xades:SigningTime>', at);
  const moved = new Date(Date.parse(xml.slice(at, end)) + 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return xml.slice(0, at) + moved + xml.slice(end);
}

describe('checkSignaturesIntact agrees with verifyXmlSignatures', () => {
  it('on the signed chain: every signature intact and trusted, answered without the DOM', () => {
    const expected = domView(signed, [pki.root.certPem]);
    expect(expected.length).toBe(5);
    expect(expected.every((r) => r.intact && r.chainTrusted)).toBe(true);
    expect(fastView(signed, [pki.root.certPem])).toEqual(expected);
    expect(fastCheck(signed, [pki.root.certPem])?.map((r) => r.intact)).toEqual([true, true, true, true, true]);
  });

  it('before the seal (four steps signed), as the seal sees it', () => {
    const beforeSeal = signed.slice(0, signed.indexOf('<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="sig-condau">')) + '</chuky></hocbaso>';
    const expected = domView(beforeSeal, [pki.root.certPem]);
    expect(expected.map((r) => r.intact)).toEqual([true, true, true, true]);
    expect(fastCheck(beforeSeal, [pki.root.certPem])).not.toBeNull();
    expect(fastView(beforeSeal, [pki.root.certPem])).toEqual(expected);
  });

  it('after a score is changed: the same signatures broken', () => {
    const tampered = signed.replace('<diemcanam>8,3</diemcanam>', '<diemcanam>9,3</diemcanam>');
    expect(tampered).not.toBe(signed);
    const expected = domView(tampered, [pki.root.certPem]);
    expect(expected.filter((r) => !r.intact).map((r) => r.signatureId)).toEqual(['sig-gvbm-2025-2026-TOAN', 'sig-duyet-2025-2026', 'sig-condau']);
    expect(fastView(tampered, [pki.root.certPem])).toEqual(expected);
    expect(checkSignaturesIntact(tampered, [pki.root.certPem]).find((r) => !r.intact)?.problems.length).toBeGreaterThan(0);
  });

  it('after a SignatureValue is changed', () => {
    // Before the seal, so that only the changed signature is affected.
    const beforeSeal = signed.slice(0, signed.indexOf('<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="sig-condau">')) + '</chuky></hocbaso>';
    const changed = changeSignatureValue(beforeSeal, 'sig-gvcn-2025-2026');
    const expected = domView(changed, [pki.root.certPem]);
    expect(expected.filter((r) => !r.intact).map((r) => r.signatureId)).toEqual(['sig-gvcn-2025-2026']);
    expect(fastView(changed, [pki.root.certPem])).toEqual(expected);
    const sealChanged = changeSignatureValue(signed, 'sig-condau');
    expect(fastView(sealChanged, [pki.root.certPem])).toEqual(domView(sealChanged, [pki.root.certPem]));
    expect(domView(sealChanged, [pki.root.certPem]).find((r) => r.signatureId === 'sig-condau')?.intact).toBe(false);
  });

  it('after a SigningTime in SignedProperties is changed', () => {
    const changed = changeSigningTime(signed, 'sig-gvbm-2025-2026-NGU-VAN');
    expect(changed).not.toBe(signed);
    const expected = domView(changed, [pki.root.certPem]);
    expect(expected.filter((r) => !r.intact).map((r) => r.signatureId)).toEqual(['sig-gvbm-2025-2026-NGU-VAN', 'sig-condau']);
    expect(fastView(changed, [pki.root.certPem])).toEqual(expected);
  });

  it('against a root the school does not trust: intact, not trusted, without the DOM', () => {
    const expected = domView(signed, [other.root.certPem]);
    expect(expected.every((r) => r.intact && !r.chainTrusted)).toBe(true);
    expect(fastView(signed, [other.root.certPem])).toEqual(expected);
    expect(fastCheck(signed, [other.root.certPem])).not.toBeNull();
  });

  it('leaves what the scanner does not read to the DOM verifier', () => {
    const withCdata = signed.replace('<hoten>Nguyễn Thị Ánh Dương</hoten>', '<hoten><![CDATA[Nguyễn Thị Ánh Dương]]></hoten>');
    expect(fastCheck(withCdata, [pki.root.certPem])).toBeNull();
    expect(fastView(withCdata, [pki.root.certPem])).toEqual(domView(withCdata, [pki.root.certPem]));
  });
});
