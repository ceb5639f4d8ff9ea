/**
 * The independent signature verifiers the signed transcript will be checked with, proven on a throwaway certificate
 * before the transcript exists: xmlsec1 and signxml verify an XML signature and refuse it once a score changes;
 * pyHanko and pdfsig verify a signed PDF (pyHanko also signs it here) and refuse it once a byte changes;
 * xmllint validates against an XSD. pdfsig always exits 0, so its output is read.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integration } from './helpers/integrations';

const XMLSEC1 = integration('xmlsec1');
const PDFSIG = integration('pdfsig');
const XMLLINT = integration('xmllint');
const PYHANKO = integration('pyhanko');
const PYTHON = integration('signxml');

let dir: string;
const file = (name: string) => path.join(dir, name);

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verifiers-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30',
    '-keyout', file('key.pem'), '-out', file('cert.pem'),
    '-subj', '/CN=Toolchain Test/O=Hoc ba so',
    '-addext', 'keyUsage=critical,digitalSignature,nonRepudiation',
  ], { stdio: 'ignore' });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const TEMPLATE = `<?xml version="1.0" encoding="UTF-8"?>
<hocba xmlns="urn:toolchain"><diem Id="d1">8,5</diem><Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo><CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><Reference URI="#d1"><Transforms><Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></Transforms><DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue/></Reference></SignedInfo><SignatureValue/><KeyInfo><X509Data><X509Certificate/></X509Data></KeyInfo></Signature></hocba>
`;

describe.skipIf(!XMLSEC1 || !PYTHON)('XML signatures: xmlsec1 and signxml', () => {
  const xmlsecVerify = (f: string) =>
    spawnSync(XMLSEC1!, ['--verify', '--trusted-pem', file('cert.pem'), '--id-attr:Id', 'diem', f], { encoding: 'utf8' });
  const signxmlVerify = (f: string) =>
    spawnSync(PYTHON!, ['-c', [
      'import sys; from signxml import XMLVerifier',
      'XMLVerifier().verify(open(sys.argv[1], "rb").read(), x509_cert=open(sys.argv[2]).read())',
    ].join('\n'), f, file('cert.pem')], { encoding: 'utf8' });

  it('verify a signed score and refuse it after the score changes', () => {
    fs.writeFileSync(file('template.xml'), TEMPLATE);
    execFileSync(XMLSEC1!, ['--sign', '--privkey-pem', `${file('key.pem')},${file('cert.pem')}`, '--id-attr:Id', 'diem', '--output', file('signed.xml'), file('template.xml')]);
    expect(xmlsecVerify(file('signed.xml')).status).toBe(0);
    expect(signxmlVerify(file('signed.xml')).status).toBe(0);

    fs.writeFileSync(file('tampered.xml'), fs.readFileSync(file('signed.xml'), 'utf8').replace('>8,5<', '>9,5<'));
    const xmlsec = xmlsecVerify(file('tampered.xml'));
    expect(xmlsec.status).not.toBe(0);
    expect(xmlsec.stderr).toMatch(/FAIL/);
    const signxml = signxmlVerify(file('tampered.xml'));
    expect(signxml.status).not.toBe(0);
    expect(signxml.stderr).toMatch(/InvalidDigest/);
  });
});

describe.skipIf(!XMLLINT)('XML schema: xmllint', () => {
  it('accepts a valid document and names the element of an invalid one', () => {
    fs.writeFileSync(file('diem.xsd'), `<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:toolchain" elementFormDefault="qualified">
  <xs:element name="diem"><xs:simpleType><xs:restriction base="xs:string"><xs:pattern value="(10|[0-9]),[0-9]"/></xs:restriction></xs:simpleType></xs:element>
</xs:schema>`);
    fs.writeFileSync(file('ok.xml'), '<diem xmlns="urn:toolchain">8,5</diem>');
    fs.writeFileSync(file('bad.xml'), '<diem xmlns="urn:toolchain">8.55</diem>');
    expect(spawnSync(XMLLINT!, ['--noout', '--schema', file('diem.xsd'), file('ok.xml')]).status).toBe(0);
    const bad = spawnSync(XMLLINT!, ['--noout', '--schema', file('diem.xsd'), file('bad.xml')], { encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/diem/);
  });
});

describe.skipIf(!PYHANKO || !PDFSIG)('PDF signatures: pyHanko and pdfsig', () => {
  it('sign a PDF, verify it whole and trusted, and refuse it after one byte changes', async () => {
    await new Promise<void>((resolve, reject) => {
      const doc = new PDFDocument();
      const out = fs.createWriteStream(file('in.pdf'));
      out.on('finish', resolve).on('error', reject);
      doc.pipe(out);
      doc.text('Toolchain');
      doc.end();
    });
    execFileSync(PYHANKO!, ['sign', 'addsig', '--field', 'Sig1', 'pemder', '--key', file('key.pem'), '--cert', file('cert.pem'), '--no-pass', file('in.pdf'), file('signed.pdf')]);

    const ok = spawnSync(PYHANKO!, ['sign', 'validate', '--trust', file('cert.pem'), '--trust-replace', file('signed.pdf')], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/INTACT:TRUSTED,UNTOUCHED/);
    const pdfsig = execFileSync(PDFSIG!, [file('signed.pdf')], { encoding: 'utf8' });
    expect(pdfsig).toMatch(/Signature is Valid/);
    expect(pdfsig).toMatch(/Total document signed/);

    // One byte of the signed range (the header's version digit) changes.
    const bytes = fs.readFileSync(file('signed.pdf'));
    bytes[7] = bytes[7] === 0x33 ? 0x34 : 0x33;
    fs.writeFileSync(file('tampered.pdf'), bytes);
    const bad = spawnSync(PYHANKO!, ['sign', 'validate', '--trust', file('cert.pem'), '--trust-replace', file('tampered.pdf')], { encoding: 'utf8' });
    expect(bad.stdout).not.toMatch(/INTACT:TRUSTED/);
    expect(execFileSync(PDFSIG!, [file('tampered.pdf')], { encoding: 'utf8' })).not.toMatch(/Signature is Valid/);
  });
});
