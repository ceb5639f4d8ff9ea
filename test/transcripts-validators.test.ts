/**
 * Issue 10's proof: a transcript of the demo school, sealed by the real chain (every subject teacher, the homeroom
 * teacher, the principal, the school seal; software keystore), passes every independent validator — xmlsec1 (each
 * signature by --node-id), signxml's XAdES verifier, the EU DSS validator (XAdES-BASELINE-B and PAdES-BASELINE-B,
 * TOTAL_PASSED), pyHanko (intact, valid, trusted, whole file) and pdfsig — and our own verifier. Tampering fails
 * exactly where it should: one changed score breaks only the signatures that cover it, one changed PDF byte breaks
 * the PDF's signature.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox } from '../server/auth/secret-box';
import { seedDemo } from '../server/demo/seed';
import { verifyPdfSignatures } from '../server/signing/verify-pdf';
import { verifyXmlSignatures } from '../server/signing/verify-xml';
import { exportTranscripts } from '../server/transcripts/export';
import { seedDemoSigning } from '../server/transcripts/seed';
import { freshDatabase, type FreshDb } from './helpers/databases';
import { runDss, type DssFileReport } from './helpers/dss';
import { integration } from './helpers/integrations';
import { pdfsigVerdict, pyhankoVerdict, signxmlVerifies, xmlsec1Verifies } from './helpers/validators';

const ALL = (['xmlsec1', 'signxml', 'pyhanko', 'pdfsig', 'dss', 'xmllint'] as const).every((n) => integration(n));
const DS = 'http://www.w3.org/2000/09/xmldsig#';

describe.skipIf(!ALL)('a sealed demo transcript and the independent validators', () => {
  let fresh: FreshDb;
  let dir: string;
  const file = (name: string) => path.join(dir, name);
  let xml: string;
  let pdf: Buffer;
  let rootPem: string;
  let year: string;
  let signatureIds: string[];
  /** The signatures a changed Toán year score must break: the teacher's, the approver's (whole year), the seal. */
  let brokenByToan: string[];
  let dss: DssFileReport[];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'validators-'));
    fresh = await freshDatabase('sqlite');
    const box = createSecretBox('validators-test-secret-0123456789-abcdefgh');
    await seedDemo(fresh.db, { secretBox: box, students: 40, schoolYear: '2026-2027' });
    const seeded = await seedDemoSigning(fresh.db, { secretBox: box });
    expect(seeded.sealed).toBeGreaterThan(0);
    year = seeded.previousYear!.name;
    const v = (await fresh.db('transcript_versions').where({ status: 'sealed' }).orderBy('id').first('xml', 'pdf')) as { xml: string; pdf: Buffer };
    xml = v.xml;
    pdf = Buffer.from(v.pdf);
    rootPem = ((await fresh.db('certificates').where({ kind: 'root' }).first('pem')) as { pem: string }).pem;
    const doc = new DOMParser().parseFromString(xml, 'text/xml');
    signatureIds = Array.from(doc.getElementsByTagNameNS(DS, 'Signature') as unknown as ArrayLike<Element>).map((s) => s.getAttribute('Id')!);
    brokenByToan = [`sig-gvbm-${year}-TOAN`, `sig-duyet-${year}`, 'sig-condau'];

    fs.writeFileSync(file('root.pem'), rootPem);
    fs.writeFileSync(file('sealed.xml'), xml);
    fs.writeFileSync(file('sealed.pdf'), pdf);
    fs.writeFileSync(file('tampered.xml'), changeToanScore(xml, year));
    const broken = Buffer.from(pdf);
    broken[7] = broken[7] === 0x37 ? 0x36 : 0x37; // the version digit of "%PDF-1.7", inside the signed range
    fs.writeFileSync(file('tampered.pdf'), broken);
    // One JVM for the four files (DSS's start-up dominates).
    dss = runDss(['sealed.xml', 'tampered.xml', 'sealed.pdf', 'tampered.pdf'].map(file), file('root.pem'));
  }, 600_000);
  afterAll(async () => {
    await fresh?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('carries the whole chain: one signature per subject, the homeroom teacher, the approver and the seal', () => {
    const subjects = signatureIds.filter((id) => id.startsWith(`sig-gvbm-${year}-`));
    expect(subjects.length).toBeGreaterThanOrEqual(10);
    expect(subjects).toContain(`sig-gvbm-${year}-TOAN`);
    expect(signatureIds.slice(subjects.length)).toEqual([`sig-gvcn-${year}`, `sig-duyet-${year}`, 'sig-condau']);
  });

  it('xmlsec1 verifies every signature, each one by its node id', () => {
    for (const id of signatureIds) expect([id, xmlsec1Verifies(file('sealed.xml'), id, file('root.pem'))]).toEqual([id, true]);
  });

  it("signxml's XAdES verifier verifies every signature", () => {
    for (const id of signatureIds) expect([id, signxmlVerifies(file('sealed.xml'), id, file('root.pem'))]).toEqual([id, true]);
  });

  it('the EU DSS validator finds XAdES-BASELINE-B, TOTAL_PASSED, for every XML signature', () => {
    const [sealed] = dss;
    expect(sealed.error).toBeUndefined();
    expect(sealed.signatures.map((s) => [s.id, s.format, s.indication])).toEqual(signatureIds.map((id) => [id, 'XAdES-BASELINE-B', 'TOTAL_PASSED']));
    const seal = sealed.signatures.find((s) => s.id === 'sig-condau')!;
    expect(seal.signedBy).toContain('Khánh Phú');
  });

  it('the EU DSS validator finds PAdES-BASELINE-B, TOTAL_PASSED, for the PDF', () => {
    const sealedPdf = dss[2];
    expect(sealedPdf.signatures.map((s) => [s.format, s.indication])).toEqual([['PAdES-BASELINE-B', 'TOTAL_PASSED']]);
    expect(sealedPdf.signatures[0].scopes.join(' ')).toMatch(/Full PDF/);
  });

  it('pyHanko judges the PDF intact, valid, trusted and covering the whole file; pdfsig reads it valid and whole', () => {
    const hanko = pyhankoVerdict(file('sealed.pdf'), file('root.pem'));
    expect(hanko, hanko.output).toMatchObject({ valid: true, trusted: true, intact: true, wholeFile: true });
    const sig = pdfsigVerdict(file('sealed.pdf'));
    expect(sig, sig.output).toMatchObject({ valid: true, wholeFile: true });
    expect(sig.output).toContain('ETSI.CAdES.detached');
  });

  it('our verifier agrees, and the PDF carries the very XML that was sealed', () => {
    expect(verifyXmlSignatures(xml, [rootPem]).map((r) => [r.signatureId, r.valid])).toEqual(signatureIds.map((id) => [id, true]));
    const p = verifyPdfSignatures(pdf, [rootPem]);
    expect(p.signatures.map((s) => s.valid)).toEqual([true]);
    expect(p.coversWholeFile).toBe(true);
    expect(p.attachedXml).toBe(xml);
  });

  describe('after one Toán score is changed in the XML', () => {
    const expected = (id: string) => !brokenByToan.includes(id);

    it('exactly the signatures covering it fail in xmlsec1, signxml and our verifier; the others still pass', () => {
      for (const id of signatureIds) {
        expect([id, xmlsec1Verifies(file('tampered.xml'), id, file('root.pem'))]).toEqual([id, expected(id)]);
        expect([id, signxmlVerifies(file('tampered.xml'), id, file('root.pem'))]).toEqual([id, expected(id)]);
      }
      const ours = verifyXmlSignatures(fs.readFileSync(file('tampered.xml'), 'utf8'), [rootPem]);
      expect(ours.map((r) => [r.signatureId, r.valid])).toEqual(signatureIds.map((id) => [id, expected(id)]));
    });

    it('and in the EU DSS validator: TOTAL_FAILED / HASH_FAILURE for those, TOTAL_PASSED for the rest', () => {
      const tampered = dss[1];
      expect(tampered.signatures.map((s) => [s.id, s.indication, s.subIndication])).toEqual(
        signatureIds.map((id) => (expected(id) ? [id, 'TOTAL_PASSED', null] : [id, 'TOTAL_FAILED', 'HASH_FAILURE'])),
      );
    });
  });

  it('one changed byte of the PDF fails in pyHanko, pdfsig, the EU DSS validator and our verifier', () => {
    expect(pyhankoVerdict(file('tampered.pdf'), file('root.pem')).valid).toBe(false);
    expect(pdfsigVerdict(file('tampered.pdf')).valid).toBe(false);
    expect(dss[3].signatures.map((s) => s.indication)).toEqual(['TOTAL_FAILED']);
    expect(verifyPdfSignatures(fs.readFileSync(file('tampered.pdf')), [rootPem]).signatures.map((s) => s.valid)).toEqual([false]);
  });

  it('the export writes each sealed version as XML and PDF with the trust anchor, and an exported file verifies on its own', async () => {
    const out = path.join(dir, 'export');
    const r = await exportTranscripts(fresh.db, { year, out });
    expect(r.versions).toBeGreaterThan(0);
    expect(r.files).toBe(2 * r.versions);
    const files = fs.readdirSync(out);
    expect(files.filter((f) => /^[0-9a-f-]{36}-v1\.xml$/.test(f))).toHaveLength(r.versions);
    expect(files.filter((f) => /^[0-9a-f-]{36}-v1\.pdf$/.test(f))).toHaveLength(r.versions);
    const [anchor] = fs.readdirSync(path.join(out, 'trust'));
    const someXml = path.join(out, files.find((f) => f.endsWith('.xml'))!);
    expect(xmlsec1Verifies(someXml, 'sig-condau', path.join(out, 'trust', anchor))).toBe(true);
  });
});

/** The Toán year average of the first Toán table, changed to another valid score. */
function changeToanScore(xml: string, year: string): string {
  const start = xml.indexOf(`Id="bd-${year}-TOAN"`);
  const end = xml.indexOf('</bangdiem>', start);
  const part = xml.slice(start, end);
  const changed = part.replace(/<diemcanam>(\d+),(\d)<\/diemcanam>/, (_m, i: string, d: string) => `<diemcanam>${i === '9' ? '8' : '9'},${d}</diemcanam>`);
  if (changed === part) throw new Error('no Toán year score to change');
  return xml.slice(0, start) + changed + xml.slice(end);
}
