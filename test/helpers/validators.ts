/**
 * The independent validators a sealed transcript must pass, each reduced to a verdict a test can compare:
 * xmlsec1 (one signature at a time, by --node-id, with the Id attributes our schema uses), signxml's XAdES
 * verifier (one signature by Id, test/helpers/signxml-verify.py), pyHanko (intact, valid, trusted, whole file)
 * and pdfsig (always exits 0: its output is read). Ask `integration(...)` before calling.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { integration } from './integrations';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const NS = 'urn:hocbaso:v1';
/** The elements that carry an Id a signature may reference, as xmlsec1 must be told them. */
const ID_ATTRS = [
  ...['hocsinh', 'namhoc', 'bangdiem', 'tonghop'].map((n) => `${NS}:${n}`),
  'http://uri.etsi.org/01903/v1.3.2#:SignedProperties',
  'http://www.w3.org/2000/09/xmldsig#:Signature',
].flatMap((n) => ['--id-attr:Id', n]);

export function xmlsec1Verifies(file: string, signatureId: string, rootPemFile: string): boolean {
  const r = spawnSync(integration('xmlsec1')!, ['--verify', '--trusted-pem', rootPemFile, ...ID_ATTRS, '--node-id', signatureId, file], { encoding: 'utf8' });
  return r.status === 0 && /^OK$/m.test(r.stderr + r.stdout);
}

export function signxmlVerifies(file: string, signatureId: string, rootPemFile: string): boolean {
  const r = spawnSync(integration('signxml')!, [path.join(HERE, 'signxml-verify.py'), file, rootPemFile, signatureId], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim().split('\n').pop() === 'OK';
}

export interface PdfVerdict {
  valid: boolean;
  trusted: boolean;
  intact: boolean;
  wholeFile: boolean;
  output: string;
}

export function pyhankoVerdict(file: string, rootPemFile: string): PdfVerdict {
  const r = spawnSync(integration('pyhanko')!, ['sign', 'validate', '--trust', rootPemFile, '--trust-replace', '--pretty-print', file], { encoding: 'utf8' });
  const out = r.stdout + r.stderr;
  return {
    valid: r.status === 0 && out.includes('The signature is judged VALID.'),
    trusted: out.includes("The signer's certificate is trusted."),
    intact: out.includes('The signature is cryptographically sound.'),
    wholeFile: out.includes('The signature covers the entire file.'),
    output: out,
  };
}

export function pdfsigVerdict(file: string): PdfVerdict {
  const out = spawnSync(integration('pdfsig')!, [file], { encoding: 'utf8' }).stdout;
  const valid = out.includes('Signature Validation: Signature is Valid');
  return { valid, trusted: valid, intact: valid, wholeFile: out.includes('Total document signed'), output: out };
}
