/**
 * The signing toolkit (issue 10): demo PKI and keystore, certificate checks, XAdES baseline-B on the transcript
 * XML and PAdES baseline-B on the PDF — each signature checked by independent verifiers (xmlsec1, signxml,
 * pyHanko, pdfsig) as well as by our own, before and after tampering. No database needed.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import PDFDocument from 'pdfkit';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../server/core/errors';
import { checkCertificate, describeCertificate } from '../server/signing/certificates';
import { pemToDer, toArrayBuffer } from '../server/signing/der';
import { signToBeSigned } from '../server/signing/key-holder';
import { assemblePdfSignature, preparePdfSignature } from '../server/signing/pades';
import { createDemoPki, createPkcs12, generateKeys, issue, openPkcs12, type DemoPki } from '../server/signing/pki';
import { canonicalizeScanned, scanXml } from '../server/signing/fast-xml';
import { forgePkcs12Kdf, pkcs12Kdf } from '../server/signing/forge-native';
import { parseUntrustedXml, parseXml } from '../server/signing/safe-xml';
import { canonicalize, indexIds } from '../server/signing/xml-dsig';
import { verifyPdfSignatures } from '../server/signing/verify-pdf';
import { verifyXmlSignatures } from '../server/signing/verify-xml';
import { assembleXmlSignatures, prepareXmlSignatures } from '../server/signing/xades';
import { integration } from './helpers/integrations';
import { randomXml } from './helpers/random-xml';
import { sampleTranscript, samplePki, signSampleChain, signXml } from './helpers/signing-sample';
import { tempDirs } from './helpers/temp';

const signingDir = tempDirs('signing-test-');

const XMLSEC1 = integration('xmlsec1');
const PYTHON = integration('signxml');
const PYHANKO = integration('pyhanko');
const PDFSIG = integration('pdfsig');

const SIGNATURES = ['sig-gvbm-2025-2026-TOAN', 'sig-gvbm-2025-2026-NGU-VAN', 'sig-gvcn-2025-2026', 'sig-duyet-2025-2026', 'sig-condau'];
/** Changing the TOAN year score breaks its teacher's, the principal's (#nh covers the year) and the seal. */
const BROKEN_BY_TOAN = ['sig-gvbm-2025-2026-TOAN', 'sig-duyet-2025-2026', 'sig-condau'];

let pki: DemoPki;
let dir: string;
const now = new Date();

beforeAll(() => {
  pki = samplePki(now);
  dir = signingDir();
  fs.writeFileSync(path.join(dir, 'root.pem'), pki.root.certPem);
});

function expectAppError(fn: () => unknown, key: string) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).key).toBe(key);
    return;
  }
  throw new Error(`expected AppError ${key}`);
}

function extensions(pem: string) {
  const cert = pkijs.Certificate.fromBER(toArrayBuffer(pemToDer(pem)));
  return new Map((cert.extensions ?? []).map((e) => [e.extnID, e.critical]));
}

describe('demo PKI and keystore', () => {
  it('labels the root as a test authority and issues the school and people certificates under it', () => {
    const root = describeCertificate(pki.root.certPem);
    expect(root.commonName).toContain('TEST');
    expect(root.organization).toContain('TEST');
    expect(root.isCa).toBe(true);
    expect(Date.parse(root.notAfter) - now.getTime()).toBeGreaterThan(9.9 * 365 * 24 * 3600e3);

    const seal = describeCertificate(pki.seal.certPem);
    expect(seal.organization).toBe('Trường THCS Nguyễn Du');
    expect(seal.subjectSerial).toBe('MST:0101234567');

    const teacher = describeCertificate(pki.people.toan.certPem);
    expect(teacher.commonName).toBe('Trần Văn Toán'.normalize('NFC'));
    expect(teacher.subjectSerial).toBe('CCCD:001080000001');
    expect(teacher.keyUsage).toEqual({ digitalSignature: true, nonRepudiation: true, keyCertSign: false });
    expect(teacher.isCa).toBe(false);
    const years = (Date.parse(teacher.notAfter) - now.getTime()) / (365 * 24 * 3600e3);
    expect(years).toBeGreaterThan(2.9);
    expect(years).toBeLessThan(3.1);
    const ext = extensions(pki.people.toan.certPem);
    expect(ext.get('2.5.29.15')).toBe(true); // keyUsage, critical
    expect(ext.has('2.5.29.14')).toBe(true); // subjectKeyIdentifier
    expect(ext.has('2.5.29.35')).toBe(true); // authorityKeyIdentifier
    // The CN is a UTF8String, the name kept in NFC.
    const cert = pkijs.Certificate.fromBER(toArrayBuffer(pemToDer(pki.people.toan.certPem)));
    const cn = cert.subject.typesAndValues.find((t) => t.type === '2.5.4.3')!;
    expect(cn.value.constructor.name).toBe('Utf8String');
  });

  it('opens a PKCS#12 with the right PIN and refuses a wrong one', () => {
    const p12 = createPkcs12(pki.people.van.keyPem, pki.people.van.certPem, [pki.root.certPem], '246810');
    const opened = openPkcs12(p12, '246810');
    expect(describeCertificate(opened.certificatePem).sha256).toBe(describeCertificate(pki.people.van.certPem).sha256);
    expect(opened.chainPems).toHaveLength(1);
    const tbs = Buffer.from('kiểm tra');
    const sig = crypto.sign('sha256', tbs, opened.privateKey);
    expect(crypto.verify('sha256', tbs, new crypto.X509Certificate(pki.people.van.certPem).publicKey, sig)).toBe(true);
    expectAppError(() => openPkcs12(p12, '000000'), 'signing.wrongPin');
  });

  it('derives PKCS#12 keys natively exactly as node-forge does (the MAC key and the PBE key and IV)', () => {
    const cases: Array<[string, number, number, number, string]> = [
      ['123456', 3, 2048, 20, 'sha1'],
      ['246810', 3, 10_000, 20, 'sha1'],
      ['Mật khẩu dài hơn sáu mươi tư ký tự để khối thứ hai được dùng — 0123456789', 1, 7, 24, 'sha1'],
      ['', 2, 1, 8, 'sha1'],
      ['pin', 1, 3, 80, 'sha256'],
    ];
    for (const [pin, id, iterations, n, md] of cases) {
      const salt = crypto.randomBytes(id === 1 ? 20 : 8).toString('latin1');
      const mdObj = md === 'sha1' ? undefined : forge.md.sha256.create();
      const ours = pkcs12Kdf(pin, Buffer.from(salt, 'latin1'), id, iterations, n, md);
      const forges = forgePkcs12Kdf(pin, forge.util.createBuffer(salt), id, iterations, n, mdObj).bytes();
      expect(ours.toString('hex'), `${pin} ${id} ${iterations} ${n} ${md}`).toBe(Buffer.from(forges, 'latin1').toString('hex'));
    }
  });
});

describe('certificate checks', () => {
  const teacher = { kind: 'person' as const, fullName: 'Trần Văn Toán', nationalId: '001080000001' };
  const anchors = () => [pki.root.certPem];

  it('accepts the owner’s valid certificate, the school’s by tax code, and a person without id by name', () => {
    expect(checkCertificate(pki.people.toan.certPem, { trustAnchors: anchors(), at: now, owner: teacher })).toBeNull();
    expect(checkCertificate(pki.seal.certPem, { trustAnchors: anchors(), at: now, owner: { kind: 'school', schoolCode: '0101234567' } })).toBeNull();
    expect(checkCertificate(pki.people.toan.certPem, { trustAnchors: anchors(), at: now, owner: { kind: 'person', fullName: 'Trần Văn Toán', nationalId: null } })).toBeNull();
  });

  it('refuses an expired, not yet valid, wrongly purposed, untrusted, revoked or someone else’s certificate', () => {
    const later = new Date(now.getTime() + 4 * 365 * 24 * 3600e3);
    expect(checkCertificate(pki.people.toan.certPem, { trustAnchors: anchors(), at: later, owner: teacher })).toBe('certificate.expired');
    const before = new Date(now.getTime() - 2 * 24 * 3600e3);
    expect(checkCertificate(pki.people.toan.certPem, { trustAnchors: anchors(), at: before, owner: teacher })).toBe('certificate.notYetValid');

    const keys = generateKeys('RSA-2048');
    const authOnly = issue({
      subject: [['CN', 'Trần Văn Toán'], ['serialNumber', 'CCCD:001080000001']],
      publicKey: keys.publicKey,
      issuer: pki.root.certPem,
      issuerKey: crypto.createPrivateKey(pki.root.keyPem),
      notBefore: new Date(now.getTime() - 3600e3),
      notAfter: new Date(now.getTime() + 365 * 24 * 3600e3),
      ca: false,
      keyUsage: { digitalSignature: true, nonRepudiation: false, keyCertSign: false },
    });
    expect(checkCertificate(authOnly, { trustAnchors: anchors(), at: now, owner: teacher })).toBe('certificate.keyUsage');

    const other = createDemoPki({ schoolName: 'Trường khác', schoolCode: '1', people: [], now });
    expect(checkCertificate(pki.people.toan.certPem, { trustAnchors: [other.root.certPem], at: now, owner: teacher })).toBe('certificate.untrusted');

    const sha = describeCertificate(pki.people.toan.certPem).sha256;
    expect(checkCertificate(pki.people.toan.certPem, { trustAnchors: anchors(), at: now, owner: teacher, revokedSha256: [sha] })).toBe('certificate.revoked');

    expect(checkCertificate(pki.people.van.certPem, { trustAnchors: anchors(), at: now, owner: teacher })).toBe('certificate.notOwner');
    expect(checkCertificate(pki.people.van.certPem, { trustAnchors: anchors(), at: now, owner: { kind: 'person', fullName: 'Trần Văn Toán', nationalId: null } })).toBe('certificate.notOwner');
    expect(checkCertificate(pki.people.toan.certPem, { trustAnchors: anchors(), at: now, owner: { kind: 'school', schoolCode: '0101234567' } })).toBe('certificate.notOwner');
  });
});

function xmlsec1(file: string, signatureId: string): boolean {
  const ids = ['bangdiem', 'hocsinh', 'tonghop', 'namhoc'].flatMap((n) => ['--id-attr:Id', `urn:hocbaso:v1:${n}`]);
  const r = spawnSync(
    XMLSEC1!,
    ['--verify', '--trusted-pem', path.join(dir, 'root.pem'), ...ids, '--id-attr:Id', 'http://uri.etsi.org/01903/v1.3.2#:SignedProperties', '--id-attr:Id', 'http://www.w3.org/2000/09/xmldsig#:Signature', '--node-id', signatureId, file],
    { encoding: 'utf8' },
  );
  const ok = r.status === 0 && /^OK$/m.test(r.stderr + r.stdout);
  return ok;
}

function signxml(file: string, signatureId: string, root = path.join(dir, 'root.pem')): string {
  const r = spawnSync(PYTHON!, [path.join(__dirname, 'helpers/signxml-verify.py'), file, root, signatureId], { encoding: 'utf8' });
  return (r.stdout.trim().split('\n').pop() ?? '') + r.stderr.slice(-300);
}

describe('XAdES baseline-B on the transcript XML', () => {
  let signed: string;
  let tampered: string;
  const files = { signed: '', tampered: '' };

  beforeAll(() => {
    signed = signSampleChain(sampleTranscript(), pki, now.toISOString());
    tampered = signed.replace('<diemcanam>8,3</diemcanam>', '<diemcanam>9,3</diemcanam>');
    expect(tampered).not.toBe(signed);
    files.signed = path.join(dir, 'signed.xml');
    files.tampered = path.join(dir, 'tampered.xml');
    fs.writeFileSync(files.signed, signed);
    fs.writeFileSync(files.tampered, tampered);
  });

  it('puts every signature side by side in <chuky>, each XAdES-B shaped', () => {
    const doc = parseUntrustedXml(signed);
    const chuky = doc.getElementsByTagNameNS('urn:hocbaso:v1', 'chuky')[0];
    const sigs = Array.from(chuky.childNodes as unknown as ArrayLike<Element>).filter((n) => n.nodeType === 1);
    expect(sigs.map((s) => s.getAttribute('Id'))).toEqual(SIGNATURES);
    const principal = sigs[3];
    const X = 'http://uri.etsi.org/01903/v1.3.2#';
    expect(principal.getElementsByTagNameNS(X, 'SigningCertificateV2')).toHaveLength(1);
    expect(principal.getElementsByTagNameNS(X, 'SigningCertificate')).toHaveLength(0);
    expect(principal.getElementsByTagNameNS(X, 'IssuerSerialV2')).toHaveLength(1);
    const formats = Array.from(principal.getElementsByTagNameNS(X, 'DataObjectFormat') as unknown as ArrayLike<Element>);
    expect(formats.map((f) => f.getAttribute('ObjectReference'))).toEqual(['#sig-duyet-2025-2026-ref-0', '#sig-duyet-2025-2026-ref-1']);
    expect(principal.getElementsByTagNameNS(X, 'MimeType')[0].textContent).toBe('text/xml');
    const refs = Array.from(principal.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Reference') as unknown as ArrayLike<Element>);
    expect(refs.map((r) => r.getAttribute('URI'))).toEqual(['#hocsinh', '#nh-2025-2026', '#sig-duyet-2025-2026-signedprops']);
    expect(refs.every((r) => r.getAttribute('Id'))).toBe(true);
    expect(refs[2].getAttribute('Type')).toBe('http://uri.etsi.org/01903#SignedProperties');
  });

  it('verifies with our verifier: who signed what, when', () => {
    const reports = verifyXmlSignatures(signed, [pki.root.certPem]);
    expect(reports.map((r) => [r.signatureId, r.valid])).toEqual(SIGNATURES.map((s) => [s, true]));
    expect(reports[2].covers).toEqual(['hocsinh', 'th-2025-2026']);
    expect(reports[4].covers).toEqual(['']);
    expect(reports[0].signer?.commonName).toBe('Trần Văn Toán');
    expect(reports[4].signer?.subjectSerial).toBe('MST:0101234567');
    expect(reports[0].signingTime).toBe(now.toISOString().replace(/\.\d{3}Z$/, 'Z'));
  });

  it('tampering with the TOAN score fails exactly the signatures covering it, in our verifier', () => {
    const reports = verifyXmlSignatures(tampered, [pki.root.certPem]);
    for (const r of reports) expect([r.signatureId, r.valid]).toEqual([r.signatureId, !BROKEN_BY_TOAN.includes(r.signatureId!)]);
    expect(reports[0].problems.join(' ')).toContain('#bd-2025-2026-TOAN');
  });

  it('is not trusted under another authority', () => {
    const other = createDemoPki({ schoolName: 'Khác', schoolCode: '2', people: [], now });
    const reports = verifyXmlSignatures(signed, [other.root.certPem]);
    expect(reports.every((r) => r.intact && !r.chainTrusted && !r.valid)).toBe(true);
  });

  describe.skipIf(!XMLSEC1)('xmlsec1 (independent)', () => {
    it('verifies each signature, and after tampering fails exactly the ones covering the score', () => {
      for (const id of SIGNATURES) expect([id, xmlsec1(files.signed, id)]).toEqual([id, true]);
      for (const id of SIGNATURES) expect([id, xmlsec1(files.tampered, id)]).toEqual([id, !BROKEN_BY_TOAN.includes(id)]);
    });
  });

  describe.skipIf(!PYTHON)('signxml XAdESVerifier (independent)', () => {
    it('verifies each signature, and after tampering fails exactly the ones covering the score', () => {
      for (const id of SIGNATURES) expect([id, signxml(files.signed, id)]).toEqual([id, 'OK']);
      for (const id of SIGNATURES) {
        const out = signxml(files.tampered, id);
        expect([id, out === 'OK']).toEqual([id, !BROKEN_BY_TOAN.includes(id)]);
        if (out !== 'OK') expect(out).toContain('Digest mismatch');
      }
    });
  });

  it('refuses a signature value that does not match the certificate', () => {
    const req = { signatureId: 'sig-gvbm-2025-2026-TOAN', references: ['bd-2025-2026-TOAN'], certificatePem: pki.people.toan.certPem, signingTime: now.toISOString(), containerLocalName: 'chuky' };
    const { preparedXml, items } = prepareXmlSignatures(sampleTranscript(), [req]);
    const wrongKey = signToBeSigned(crypto.createPrivateKey(pki.people.van.keyPem), items[0].toBeSigned);
    expectAppError(() => assembleXmlSignatures(preparedXml, [{ signatureId: req.signatureId, signatureValue: wrongKey }]), 'signing.badSignatureValue');
  });

  it('refuses to seal while a signature is unfinished, and a seal prepared together with others', () => {
    const base = { certificatePem: pki.seal.certPem, signingTime: now.toISOString(), containerLocalName: 'chuky' };
    const { preparedXml } = prepareXmlSignatures(sampleTranscript(), [{ ...base, certificatePem: pki.people.toan.certPem, signatureId: 's1', references: ['bd-2025-2026-TOAN'] }]);
    expectAppError(() => prepareXmlSignatures(preparedXml, [{ ...base, signatureId: 'seal', references: [''] }]), 'signing.badRequest');
    expectAppError(
      () => prepareXmlSignatures(sampleTranscript(), [{ ...base, signatureId: 'a', references: ['hocsinh'] }, { ...base, signatureId: 'seal', references: [''] }]),
      'signing.badRequest',
    );
    expectAppError(() => prepareXmlSignatures(sampleTranscript(), [{ ...base, signatureId: 'a', references: ['khong-co'] }]), 'signing.badRequest');
  });

  it('signs with ECDSA P-256 too (raw r||s in XMLDSig)', () => {
    const ec = createDemoPki({ schoolName: 'Trường THCS Nguyễn Du', schoolCode: '0101234567', people: [{ key: 'gv', fullName: 'Vũ Minh', nationalId: '001080000009' }], now, algorithm: 'ECDSA-P256' });
    const xml = signXml(sampleTranscript(), [
      { signatureId: 'sig-ec', references: ['bd-2025-2026-TOAN'], certificatePem: ec.people.gv.certPem, keyPem: ec.people.gv.keyPem, signingTime: now.toISOString(), containerLocalName: 'chuky' },
    ]);
    expect(xml).toContain('ecdsa-sha256');
    expect(verifyXmlSignatures(xml, [ec.root.certPem]).map((r) => r.valid)).toEqual([true]);
    if (XMLSEC1) {
      const f = path.join(dir, 'ec.xml');
      fs.writeFileSync(f, xml);
      const root = path.join(dir, 'ec-root.pem');
      fs.writeFileSync(root, ec.root.certPem);
      const r = spawnSync(XMLSEC1, ['--verify', '--trusted-pem', root, '--id-attr:Id', 'urn:hocbaso:v1:bangdiem', '--id-attr:Id', 'http://uri.etsi.org/01903/v1.3.2#:SignedProperties', f], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      if (PYTHON) expect(signxml(f, 'sig-ec', root)).toBe('OK');
    }
  });
});

describe('the fast canonicaliser used by prepare', () => {
  const tricky = `<?xml version="1.0" encoding="UTF-8"?>
<!-- lead -->
<r:root xmlns:r="urn:r" xmlns="urn:d" xmlns:x="urn:x" xmlns:unused="urn:u">
  <a Id="a1" z="1" b='2 &amp; "q"' x:c="3" xml:lang="vi" r:m="&lt;&#10;tab&#9;">text &amp; &lt;tag&gt; "quotes" 'apos' &#xD; line
  <b/><!-- c --><x:c x:y="1" xmlns:x="urn:x2"><d xmlns="">inner</d></x:c>
    <e
       k = "v"   >Ừ ư ơ  é</e></a>
  <r:f Id="f1"><g xmlns="urn:d">same</g><h xmlns="urn:other"><i/></h></r:f>
</r:root>`;

  it('gives exactly xml-crypto’s exclusive canonical form for the root and every Id', () => {
    for (const xml of [tricky, sampleTranscript({ subjectCount: 12, rows: 3 }), signSampleChain(sampleTranscript(), pki, now.toISOString())]) {
      const doc = parseXml(xml);
      const ids = indexIds(doc);
      const scanned = scanXml(xml)!;
      expect(scanned).not.toBeNull();
      for (const id of ['', ...ids.keys()]) {
        const expected = canonicalize(id === '' ? doc.documentElement : ids.get(id)!);
        expect([id, canonicalizeScanned(scanned, id === '' ? scanned.root : scanned.ids.get(id)!)]).toEqual([id, expected]);
      }
    }
  });

  it.skipIf(!integration('xmllint'))('agrees with xmllint --exc-c14n on the whole document (comments aside)', () => {
    const f = path.join(dir, 'tricky.xml');
    fs.writeFileSync(f, tricky);
    const r = spawnSync(integration('xmllint')!, ['--exc-c14n', f], { encoding: 'utf8' });
    const withoutComments = r.stdout.replace(/<!--[^>]*-->\n?/g, '').replace(/\n$/, '');
    const scanned = scanXml(tricky)!;
    expect(canonicalizeScanned(scanned, scanned.root)).toBe(withoutComments);
  });

  it('matches xml-crypto on every Id and xmllint on the whole document for 40 random documents', () => {
    const xmllint = integration('xmllint');
    for (let seed = 1; seed <= 40; seed++) {
      const xml = randomXml(seed);
      const doc = parseXml(xml);
      const scanned = scanXml(xml)!;
      expect(scanned).not.toBeNull();
      for (const [id, el] of indexIds(doc)) expect([seed, id, canonicalizeScanned(scanned, scanned.ids.get(id)!)]).toEqual([seed, id, canonicalize(el)]);
      if (xmllint) {
        const f = path.join(dir, `random-${seed}.xml`);
        fs.writeFileSync(f, xml);
        const expected = spawnSync(xmllint, ['--exc-c14n', f], { encoding: 'utf8' }).stdout.replace(/<!--[^>]*-->/g, '');
        expect([seed, canonicalizeScanned(scanned, scanned.root)]).toEqual([seed, expected]);
      }
    }
  });

  it('hands what it does not read (here CDATA) to the DOM path, with a signature xmlsec1 accepts too', () => {
    const xml = sampleTranscript().replace('<nhanxet>Học tập chăm chỉ &amp; tiến bộ</nhanxet>', '<nhanxet><![CDATA[Học tập chăm chỉ & tiến bộ]]></nhanxet>');
    expect(scanXml(xml)).toBeNull();
    const signed = signXml(xml, [
      { signatureId: 'sig-cdata', references: ['bd-2025-2026-TOAN'], certificatePem: pki.people.toan.certPem, keyPem: pki.people.toan.keyPem, signingTime: now.toISOString(), containerLocalName: 'chuky' },
    ]);
    expect(verifyXmlSignatures(signed, [pki.root.certPem]).map((r) => r.valid)).toEqual([true]);
    if (XMLSEC1) {
      const f = path.join(dir, 'cdata.xml');
      fs.writeFileSync(f, signed);
      expect(xmlsec1(f, 'sig-cdata')).toBe(true);
    }
  });
});

describe('hostile XML is refused before parsing', () => {
  const xxe = '<?xml version="1.0"?><!DOCTYPE hocbaso [<!ENTITY x SYSTEM "file:///etc/passwd">]><hocbaso>&x;</hocbaso>';
  const laughs =
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><lolz>&lol3;</lolz>';
  const externalDtd = '<?xml version="1.0"?><!DOCTYPE hocbaso SYSTEM "http://example.invalid/evil.dtd"><hocbaso/>';

  it('XXE, billion laughs and an external DTD → xml.hostile, in parsing and in verification', () => {
    for (const text of [xxe, laughs, externalDtd]) {
      expectAppError(() => parseUntrustedXml(text), 'xml.hostile');
      expectAppError(() => verifyXmlSignatures(text, [pki.root.certPem]), 'xml.hostile');
    }
  });

  it('oversize, absurdly nested and broken XML get their own messages', () => {
    expectAppError(() => parseUntrustedXml(`<a>${'x'.repeat(2000)}</a>`, 1000), 'xml.tooLarge');
    expectAppError(() => parseUntrustedXml('<a><b></a>'), 'xml.malformed');
    expectAppError(() => verifyXmlSignatures('<a>'.repeat(5000) + '</a>'.repeat(5000), [pki.root.certPem]), 'xml.tooDeep');
  });
});

function samplePdf(attachment: string): Promise<Buffer> {
  return new Promise((resolve) => {
    const doc = new PDFDocument({ size: 'A4', info: { Title: 'Hoc ba so' } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.text('Hoc ba so - ban in');
    (doc as unknown as { file: (b: Buffer, o: object) => void }).file(Buffer.from(attachment, 'utf8'), { name: 'hocba.xml', type: 'text/xml' });
    doc.end();
  });
}

describe('PAdES baseline-B on the PDF', () => {
  let signedPdf: Buffer;
  let brokenPdf: Buffer;
  const files = { signed: '', broken: '' };
  const xml = sampleTranscript();

  beforeAll(async () => {
    const pdf = await samplePdf(xml);
    const prepared = preparePdfSignature(pdf, {
      certificatePem: pki.seal.certPem,
      chainPems: [],
      signerName: 'Trường THCS Nguyễn Du',
      reason: 'Đóng dấu học bạ số',
      location: 'Hà Nội',
      signingTime: now,
    });
    // The state survives JSON (it waits in the database while an external key holder signs).
    const state = JSON.parse(JSON.stringify(prepared.state));
    signedPdf = assemblePdfSignature(state, signToBeSigned(crypto.createPrivateKey(pki.seal.keyPem), prepared.toBeSigned));
    brokenPdf = Buffer.from(signedPdf);
    const at = brokenPdf.indexOf('Hoc ba so');
    brokenPdf[at] = 'J'.charCodeAt(0);
    files.signed = path.join(dir, 'signed.pdf');
    files.broken = path.join(dir, 'broken.pdf');
    fs.writeFileSync(files.signed, signedPdf);
    fs.writeFileSync(files.broken, brokenPdf);
  });

  it('writes the PAdES signature dictionary: Adobe.PPKLite, ETSI.CAdES.detached, /M, no signing-time in the CMS', () => {
    const text = signedPdf.toString('latin1');
    expect(text).toContain('/Filter /Adobe.PPKLite');
    expect(text).toContain('/SubFilter /ETSI.CAdES.detached');
    expect(text).toMatch(/\/M \(D:\d{14}/);
    const contents = /\/Contents <([0-9a-f]+)>/.exec(text)![1];
    expect(contents).not.toContain('2a864886f70d010905'); // id-signingTime OID bytes
    expect(contents).toContain('2a864886f70d010910022f'); // id-aa-signingCertificateV2
  });

  it('verifies with our verifier and finds the attached XML', () => {
    const result = verifyPdfSignatures(signedPdf, [pki.root.certPem]);
    expect(result.coversWholeFile).toBe(true);
    expect(result.signatures.map((s) => s.valid)).toEqual([true]);
    expect(result.signatures[0].signer?.subjectSerial).toBe('MST:0101234567');
    expect(result.attachedXml).toBe(xml);
    const broken = verifyPdfSignatures(brokenPdf, [pki.root.certPem]);
    expect(broken.signatures.map((s) => s.valid)).toEqual([false]);
    expect(broken.signatures[0].problems.join(' ')).toContain('Giá trị băm');
  });

  it('refuses a signature value from another key', () => {
    const prepared = preparePdfSignature(signedPdf, {
      certificatePem: pki.seal.certPem,
      chainPems: [],
      signerName: 'x',
      reason: 'x',
      location: 'x',
      signingTime: now,
    });
    expectAppError(() => assemblePdfSignature(prepared.state, signToBeSigned(crypto.createPrivateKey(pki.people.toan.keyPem), prepared.toBeSigned)), 'signing.badSignatureValue');
  });

  describe.skipIf(!PYHANKO)('pyHanko (independent)', () => {
    const validate = (file: string) =>
      spawnSync(PYHANKO!, ['sign', 'validate', '--trust', path.join(dir, 'root.pem'), '--trust-replace', '--pretty-print', file], { encoding: 'utf8' });
    it('judges the signed file valid, trusted and covering the whole file; the changed byte invalid', () => {
      const ok = validate(files.signed);
      expect(ok.stdout).toContain('The signer\'s certificate is trusted.');
      expect(ok.stdout).toContain('The signature is cryptographically sound.');
      expect(ok.stdout).toContain('The signature covers the entire file.');
      expect(ok.stdout).toContain('The signature is judged VALID.');
      expect(ok.status).toBe(0);
      const bad = validate(files.broken);
      expect(bad.stdout).toContain('The signature is cryptographically unsound.');
      expect(bad.stdout).toContain('INVALID');
      expect(bad.status).not.toBe(0);
    });
  });

  describe.skipIf(!PDFSIG)('pdfsig (independent)', () => {
    it('reads a valid signature over the whole document; the changed byte gives a digest mismatch', () => {
      const ok = spawnSync(PDFSIG!, [files.signed], { encoding: 'utf8' }).stdout;
      expect(ok).toContain('Signature Validation: Signature is Valid');
      expect(ok).toContain('Total document signed');
      expect(ok).toContain('ETSI.CAdES.detached');
      const bad = spawnSync(PDFSIG!, [files.broken], { encoding: 'utf8' }).stdout;
      expect(bad).not.toContain('Signature is Valid');
    });
  });
});
