/**
 * The EU DSS validator (tools/dss-validator, built by `npm run provision`) for tests: validates signed XML (XAdES) and
 * PDF (PAdES) files offline against one trust anchor with the checked-in policy (tools/dss-validator/policy.xml: the
 * DSS default with the signer's revocation constraints relaxed, because the test PKI has no CRL/OCSP).
 * One JVM validates every file of a call, and its start-up (about a second) is most of the cost: pass many files at once.
 * Ask `integration('dss')` first and skip when it is missing.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { integration } from './integrations';

export const DSS_POLICY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../tools/dss-validator/policy.xml');

/** ETSI EN 319 102-1 main indication. */
export type DssIndication = 'TOTAL_PASSED' | 'INDETERMINATE' | 'TOTAL_FAILED';

export interface DssSignatureReport {
  /** The ds:Signature Id (XAdES), else the PDF signature field name (PAdES), else DSS's own id. */
  id: string;
  /** DSS's id ("S-…", a hash of the signature). */
  dssId: string;
  /** e.g. "XAdES-BASELINE-B", "PAdES-BASELINE-B". */
  format: string;
  indication: DssIndication;
  /** e.g. "HASH_FAILURE", "NO_CERTIFICATE_CHAIN_FOUND"; null when TOTAL_PASSED. */
  subIndication: string | null;
  /** The signing certificate's common name. */
  signedBy: string | null;
  /** The claimed signing time (ISO 8601, UTC). */
  signingTime: string | null;
  /** PDF signature field names. */
  fields: string[];
  /** What the signature covers: referenced Ids for XAdES ("bd-2026-2027-TOAN"), "Full PDF" for PAdES. */
  scopes: string[];
  errors: string[];
  warnings: string[];
  infos: string[];
}

export interface DssFileReport {
  file: string;
  /** Set when DSS could not read the file as a signed document (then `signatures` is empty). */
  error?: string;
  signatures: DssSignatureReport[];
}

export interface DssOptions {
  /** A validation policy file; `null` for DSS's built-in default policy. Default: the checked-in policy. */
  policy?: string | null;
}

const isPem = (s: string) => s.includes('-----BEGIN CERTIFICATE-----');

/**
 * Validates `files` (paths) in one DSS run. `trustPem` is the trust anchor: a PEM file's path or PEM text (one or
 * more certificates). Throws when the tool is not provisioned or fails to run (unreadable file, bad anchor).
 */
export function runDss(files: string[], trustPem: string, options: DssOptions = {}): DssFileReport[] {
  const launcher = integration('dss');
  if (!launcher) throw new Error('EU DSS validator not provisioned (DSS_VALIDATOR_PATH); run npm run provision');
  if (files.length === 0) return [];
  const tmp = isPem(trustPem) ? fs.mkdtempSync(path.join(os.tmpdir(), 'dss-trust-')) : undefined;
  try {
    const trustFile = tmp ? path.join(tmp, 'trust.pem') : trustPem;
    if (tmp) fs.writeFileSync(trustFile, trustPem);
    const policy = options.policy === undefined ? DSS_POLICY : options.policy;
    const args = ['--trust', trustFile, ...(policy ? ['--policy', policy] : []), ...files];
    const run = spawnSync(launcher, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 180_000 });
    const reports = run.stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as DssFileReport);
    if (run.status !== 0) {
      const unread = reports.filter((r) => r.error).map((r) => `${r.file}: ${r.error}`);
      throw new Error(`dss-validate exited ${run.status ?? run.signal}: ${[run.stderr.trim(), ...unread].filter(Boolean).join('; ')}`);
    }
    return reports;
  } finally {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The same for documents in memory (a signed XML string or PDF bytes): written to a temporary directory first. */
export function runDssOnDocuments(
  documents: { name: string; content: string | Uint8Array }[],
  trustPem: string,
  options: DssOptions = {},
): DssFileReport[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dss-docs-'));
  try {
    const files = documents.map((d, i) => {
      const file = path.join(dir, `doc-${i}${path.extname(d.name)}`);
      fs.writeFileSync(file, d.content);
      return file;
    });
    return runDss(files, trustPem, options).map((report, i) => ({ ...report, file: documents[i].name }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
