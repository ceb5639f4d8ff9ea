/**
 * The EU DSS validator, proven on signatures made by independent tools before our own signer exists: a throwaway CA
 * (openssl: root + an end-entity with digitalSignature and nonRepudiation), three XAdES baseline-B signatures side by
 * side in one container element, shaped like the transcript's chain (signxml's XAdES signer: one over each score, then
 * a seal over the whole document), and a PAdES baseline-B PDF (pyHanko --use-pades over a pdfkit page). DSS passes
 * them with the root as trust anchor and the checked-in policy, refuses a changed score or PDF byte (TOTAL_FAILED /
 * HASH_FAILURE, for exactly the signatures covering the change), and does not pass them under a foreign root or under
 * DSS's default policy (which wants revocation data the test PKI does not publish).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDss, runDssOnDocuments, type DssFileReport } from './helpers/dss';
import { integration } from './helpers/integrations';

const DSS = integration('dss');
const PYTHON = integration('signxml');
const PYHANKO = integration('pyhanko');

/** A Vietnamese name (UTF-8 in the certificate) and, below, a Vietnamese file name: both must survive the JVM. */
const SIGNER = 'Nguyễn Thị Hồng';
const PDF = 'học bạ.pdf';
let dir: string;
const file = (name: string) => path.join(dir, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });

/** Root CA and an end-entity signing certificate it issued (PEM files in `dir`). */
function makeCa(prefix: string, signerName: string): void {
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30',
    '-keyout', file(`${prefix}root.key`), '-out', file(`${prefix}root.pem`), '-subj', `/CN=${prefix}Hoc ba so Test Root/O=Hoc ba so`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  openssl('req', '-utf8', '-newkey', 'rsa:2048', '-nodes', '-keyout', file(`${prefix}ee.key`), '-out', file(`${prefix}ee.csr`),
    '-subj', `/CN=${signerName}/O=Hoc ba so`);
  fs.writeFileSync(file('ee.ext'), [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature,nonRepudiation',
    'subjectKeyIdentifier=hash',
    'authorityKeyIdentifier=keyid',
  ].join('\n'));
  openssl('x509', '-req', '-in', file(`${prefix}ee.csr`), '-CA', file(`${prefix}root.pem`), '-CAkey', file(`${prefix}root.key`),
    '-CAcreateserial', '-days', '30', '-extfile', file('ee.ext'), '-out', file(`${prefix}ee.pem`));
}

/**
 * XAdES-B signatures side by side in <chuky> (signxml places each at a ds:Signature Id="placeholder"): one over each
 * score, then an enveloped seal over the whole document. signxml's default canonicalisation, C14N 1.1.
 */
const XADES_SCRIPT = `
import sys
from lxml import etree
from signxml import SignatureReference
from signxml.xades import XAdESSigner
DS = 'http://www.w3.org/2000/09/xmldsig#'
key, cert, out = open(sys.argv[1], 'rb').read(), open(sys.argv[2]).read(), sys.argv[3]
doc = etree.fromstring('<hocba xmlns="urn:toolchain"><diem Id="d1">8,5</diem><diem Id="d2">7,0</diem><chuky/></hocba>'.encode())
for uri in ('#d1', '#d2', None):
    etree.SubElement(doc.find('{urn:toolchain}chuky'), '{%s}Signature' % DS, Id='placeholder', nsmap={'ds': DS})
    refs = [SignatureReference(URI=uri)] if uri else None
    doc = XAdESSigner().sign(doc, key=key, cert=[cert], reference_uri=refs)
open(out, 'wb').write(etree.tostring(doc, xml_declaration=True, encoding='UTF-8'))
`;

function writePdf(target: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument();
    const out = fs.createWriteStream(target);
    out.on('finish', resolve).on('error', reject);
    doc.pipe(out);
    doc.text('Hoc ba so: DSS toolchain');
    doc.end();
  });
}

const byFile = (reports: DssFileReport[], name: string) => {
  const found = reports.find((r) => r.file === file(name));
  if (!found) throw new Error(`no report for ${name}`);
  return found;
};
const outcome = (r: DssFileReport) =>
  r.signatures.map((s) => ({ id: s.id, format: s.format, indication: s.indication, subIndication: s.subIndication }));

describe.skipIf(!DSS || !PYTHON || !PYHANKO)('EU DSS validator on XAdES and PAdES baseline-B from independent signers', () => {
  let reports: DssFileReport[];
  let xmlIds: string[];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dss-toolchain-'));
    makeCa('', SIGNER);
    makeCa('other-', 'Someone Else');

    execFileSync(PYTHON!, ['-c', XADES_SCRIPT, file('ee.key'), file('ee.pem'), file('signed.xml')]);
    const xml = fs.readFileSync(file('signed.xml'), 'utf8');
    xmlIds = [...xml.matchAll(/<ds:Signature\b[^>]*\bId="([^"]+)"/g)].map((m) => m[1]);
    expect(xml).toMatch(/<chuky>(<ds:Signature\b.*?<\/ds:Signature>){3}<\/chuky>/s);
    fs.writeFileSync(file('tampered.xml'), xml.replace('>8,5<', '>9,5<'));

    await writePdf(file('in.pdf'));
    execFileSync(PYHANKO!, ['sign', 'addsig', '--field', 'Sig1', '--use-pades', 'pemder', '--key', file('ee.key'),
      '--cert', file('ee.pem'), '--chain', file('root.pem'), '--no-pass', file('in.pdf'), file(PDF)]);
    // One byte of the signed range (the header's version digit) changes.
    const bytes = fs.readFileSync(file(PDF));
    bytes[7] = bytes[7] === 0x33 ? 0x34 : 0x33;
    fs.writeFileSync(file('tampered.pdf'), bytes);
    fs.writeFileSync(file('notes.txt'), 'not a signed document');

    // One JVM for every file: DSS's start-up is most of the cost.
    reports = runDss(['signed.xml', 'tampered.xml', PDF, 'tampered.pdf', 'notes.txt'].map(file), file('root.pem'));
  }, 120_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('passes the three XAdES-BASELINE-B signatures of one document, each named by its ds:Signature Id and scope', () => {
    expect(xmlIds).toHaveLength(3);
    const xml = byFile(reports, 'signed.xml');
    expect(outcome(xml)).toEqual(xmlIds.map((id) => ({ id, format: 'XAdES-BASELINE-B', indication: 'TOTAL_PASSED', subIndication: null })));
    expect(xml.signatures.map((s) => s.scopes)).toEqual([['d1'], ['d2'], ['Full XML File']]);
    for (const s of xml.signatures) {
      expect(s.signedBy).toBe(SIGNER);
      expect(s.errors).toEqual([]);
      // What the policy relaxed still shows, as a warning.
      expect(s.warnings).toContain('No revocation data found for the certificate!');
    }
  });

  it('passes the PAdES-BASELINE-B PDF signature, named by its field', () => {
    const pdf = byFile(reports, PDF);
    expect(outcome(pdf)).toEqual([{ id: 'Sig1', format: 'PAdES-BASELINE-B', indication: 'TOTAL_PASSED', subIndication: null }]);
    expect(pdf.signatures[0].signedBy).toBe(SIGNER);
    expect(pdf.signatures[0].scopes).toEqual(['Full PDF']);
  });

  it('fails the signatures covering a changed score (its own and the seal), and a PDF with one changed byte', () => {
    const xml = byFile(reports, 'tampered.xml');
    expect(outcome(xml)).toEqual([
      { id: xmlIds[0], format: 'XAdES-BASELINE-B', indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE' },
      { id: xmlIds[1], format: 'XAdES-BASELINE-B', indication: 'TOTAL_PASSED', subIndication: null },
      { id: xmlIds[2], format: 'XAdES-BASELINE-B', indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE' },
    ]);
    expect(xml.signatures[0].errors).toContain('The reference data object is not intact!');
    const pdf = byFile(reports, 'tampered.pdf');
    expect(outcome(pdf)).toEqual([{ id: 'Sig1', format: 'PAdES-BASELINE-B', indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE' }]);
  });

  it('reports a file that is not a signed document instead of stopping', () => {
    const notes = byFile(reports, 'notes.txt');
    expect(notes.signatures).toEqual([]);
    expect(notes.error).toMatch(/not recognized/);
  });

  it('does not pass them under a foreign root, nor under the default policy that wants revocation data', () => {
    const signed = ['signed.xml', PDF].map(file);
    const foreign = runDssOnDocuments(
      signed.map((f) => ({ name: path.basename(f), content: fs.readFileSync(f) })),
      fs.readFileSync(file('other-root.pem'), 'utf8'),
    );
    expect(foreign.map((r) => r.file)).toEqual(['signed.xml', PDF]);
    expect(foreign.flatMap((r) => r.signatures)).toHaveLength(4);
    for (const s of foreign.flatMap((r) => r.signatures)) {
      expect([s.indication, s.subIndication]).toEqual(['INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND']);
    }
    const strict = runDss(signed, file('root.pem'), { policy: null });
    for (const s of strict.flatMap((r) => r.signatures)) {
      expect([s.indication, s.subIndication]).toEqual(['INDETERMINATE', 'CERTIFICATE_CHAIN_GENERAL_FAILURE']);
      expect(s.errors).toContain('No revocation data found for the certificate!');
    }
    expect(strict.flatMap((r) => r.signatures)).toHaveLength(4);
  }, 60_000);
});
