import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Validation of a transcript document against schemas/hocba-v1.xsd, in process (the export checks every document
 * before it leaves, the verification screen checks what it is handed).
 *
 * For now libxml2's own `xmllint --schema` (Debian libxml2-utils; XMLLINT_PATH or `xmllint` on PATH) does the
 * work: no npm XSD validator is installed. The candidate to replace it is the npm package xmllint-wasm (libxml2
 * compiled to WebAssembly, MIT, no dependencies); its API is asynchronous, so the switch makes this function
 * return a Promise.
 */

export const SCHEMA_PATH = fileURLToPath(new URL('../../schemas/hocba-v1.xsd', import.meta.url));

export type ValidationResult = { ok: true } | { ok: false; errors: string[] };

export function validateTranscriptXml(xml: string): ValidationResult {
  const exe = process.env.XMLLINT_PATH || 'xmllint';
  // --nonet: the schema imports nothing from the network and the document must not make us fetch anything.
  const run = spawnSync(exe, ['--noout', '--nonet', '--schema', SCHEMA_PATH, '-'], { input: xml, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (run.error) throw new Error(`XSD validation unavailable (${exe}): ${run.error.message}`);
  if (run.status === 0) return { ok: true };
  const errors = run.stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^- (fails to validate|validates)$/.test(l))
    .map((l) => l.replace(/^-:(\d+):/, 'line $1:').replaceAll('{urn:hocbaso:v1}', ''));
  // Status 3/4 without a message would be a broken schema or tool: still a refusal, with a reason.
  return { ok: false, errors: errors.length > 0 ? errors : [`xmllint exited with status ${run.status}`] };
}
