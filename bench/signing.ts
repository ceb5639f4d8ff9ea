/**
 * Signing throughput (issue 10): XAdES signatures per second per core beside OpenSSL's own RSA-2048 sign rate on
 * the same machine in the same run, the verify rate, and a whole school's chain on two processes.
 *
 *   npx tsx bench/signing.ts            (SCHOOL=2000 transcripts by default; SCHOOL=0 skips that part)
 *
 * Target: XML signatures/s per core ≥ 25 % of `openssl speed rsa2048` sign/s; 2,000 transcripts × 15–16
 * signatures sealed in < 60 s on 2 cores.
 */
import { execFileSync, fork } from 'node:child_process';
import crypto from 'node:crypto';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { signToBeSigned } from '../server/signing/key-holder';
import type { DemoPki } from '../server/signing/pki';
import type { XmlSignatureRequest } from '../server/signing/types';
import { verifyXmlSignatures } from '../server/signing/verify-xml';
import { assembleXmlSignatures, prepareXmlSignatures } from '../server/signing/xades';
import { sampleSubjects, sampleTranscript, samplePki } from '../test/helpers/signing-sample';

const SUBJECTS = 12;
const ROWS = 75;

function opensslRsa2048(): { sign: number; verify: number } {
  const out = execFileSync('openssl', ['speed', '-seconds', '3', 'rsa2048'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const m = /rsa\s+2048 bits\s+[\d.]+s\s+[\d.]+s\s+([\d.]+)\s+([\d.]+)/.exec(out);
  if (!m) throw new Error(`cannot read openssl speed output:\n${out}`);
  return { sign: Number(m[1]), verify: Number(m[2]) };
}

/** Signs, for one transcript, the full chain the way batches do it: 12 subjects in one call, then homeroom, principal, seal. */
function chain(xml: string, pki: DemoPki, keys: Record<string, crypto.KeyObject>): { xml: string; signatures: number } {
  const time = new Date().toISOString();
  const call = (doc: string, reqs: XmlSignatureRequest[], who: string[]) => {
    const { preparedXml, items } = prepareXmlSignatures(doc, reqs);
    return assembleXmlSignatures(
      preparedXml,
      items.map((it, i) => ({ signatureId: it.signatureId, signatureValue: signToBeSigned(keys[who[i]], it.toBeSigned) })),
    );
  };
  const req = (signatureId: string, references: string[], who: string): XmlSignatureRequest => ({
    signatureId,
    references,
    certificatePem: who === 'seal' ? pki.seal.certPem : pki.people[who].certPem,
    signingTime: time,
    containerLocalName: 'chuky',
  });
  const subjects = sampleSubjects.slice(0, SUBJECTS);
  let doc = call(xml, subjects.map((s) => req(`sig-gvbm-2025-2026-${s}`, [`bd-2025-2026-${s}`], 'toan')), subjects.map(() => 'toan'));
  doc = call(doc, [req('sig-gvcn-2025-2026', ['hocsinh', 'th-2025-2026'], 'gvcn')], ['gvcn']);
  doc = call(doc, [req('sig-duyet-2025-2026', ['hocsinh', 'nh-2025-2026'], 'ht')], ['ht']);
  doc = call(doc, [req('sig-condau', [''], 'seal')], ['seal']);
  return { xml: doc, signatures: SUBJECTS + 3 };
}

function keysOf(pki: DemoPki): Record<string, crypto.KeyObject> {
  const keys: Record<string, crypto.KeyObject> = { seal: crypto.createPrivateKey(pki.seal.keyPem) };
  for (const [k, v] of Object.entries(pki.people)) keys[k] = crypto.createPrivateKey(v.keyPem);
  return keys;
}

/**
 * Operations per CPU-second of this process (user + system, all threads, so garbage collection counts): the
 * machine is shared, and `openssl speed` divides by CPU time too (unless -elapsed), so the two compare per core.
 */
function rate(seconds: number, fn: () => number): number {
  const end = performance.now() + seconds * 1000;
  const cpu = process.cpuUsage();
  let n = 0;
  while (performance.now() < end) n += fn();
  const used = process.cpuUsage(cpu);
  return n / ((used.user + used.system) / 1e6);
}

/** A child process signing `count` transcripts' chains; reports signatures done. */
async function worker(count: number): Promise<void> {
  const pki = samplePki();
  const keys = keysOf(pki);
  const xml = sampleTranscript({ subjectCount: SUBJECTS, rows: ROWS });
  let signatures = 0;
  for (let i = 0; i < count; i++) signatures += chain(xml.replace('Nguyễn Thị Ánh Dương', `Học sinh ${i}`), pki, keys).signatures;
  process.send!({ signatures });
}

async function school(transcripts: number, processes: number): Promise<{ seconds: number; signatures: number }> {
  const start = performance.now();
  const per = Math.ceil(transcripts / processes);
  const results = await Promise.all(
    Array.from({ length: processes }, () => {
      const child = fork(fileURLToPath(import.meta.url), [], { env: { ...process.env, BENCH_SIGNING_WORKER: String(per) }, execArgv: process.execArgv });
      return new Promise<number>((resolve, reject) => {
        child.on('message', (m: { signatures: number }) => resolve(m.signatures));
        child.on('error', reject);
      });
    }),
  );
  return { seconds: (performance.now() - start) / 1000, signatures: results.reduce((a, b) => a + b, 0) };
}

async function main() {
  if (process.env.BENCH_SIGNING_WORKER) return worker(Number(process.env.BENCH_SIGNING_WORKER));
  const pki = samplePki();
  const keys = keysOf(pki);
  const xml = sampleTranscript({ subjectCount: SUBJECTS, rows: ROWS });
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0].model}, Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`document: ${(Buffer.byteLength(xml) / 1024).toFixed(1)} KB unsigned, ${SUBJECTS} subject tables`);

  const openssl = opensslRsa2048();
  const tbs = crypto.randomBytes(600);
  const nodeSign = rate(3, () => (crypto.sign('sha256', tbs, keys.toan), 1));

  // One signature per call: a subject teacher's batch signs one part of each of many transcripts.
  const one = rate(5, () => {
    const req: XmlSignatureRequest = { signatureId: 'sig-gvbm-2025-2026-TOAN', references: ['bd-2025-2026-TOAN'], certificatePem: pki.people.toan.certPem, signingTime: new Date().toISOString(), containerLocalName: 'chuky' };
    const { preparedXml, items } = prepareXmlSignatures(xml, [req]);
    assembleXmlSignatures(preparedXml, [{ signatureId: req.signatureId, signatureValue: signToBeSigned(keys.toan, items[0].toBeSigned) }]);
    return 1;
  });
  // The whole chain of one transcript (15 signatures in 4 calls).
  let signedDoc = '';
  const whole = rate(5, () => {
    const r = chain(xml, pki, keys);
    signedDoc = r.xml;
    return r.signatures;
  });
  const verify = rate(5, () => verifyXmlSignatures(signedDoc, [pki.root.certPem]).length);

  const pct = (v: number) => `${((100 * v) / openssl.sign).toFixed(0)} %`;
  console.log(`\nopenssl speed -seconds 3 rsa2048: ${openssl.sign.toFixed(0)} sign/s, ${openssl.verify.toFixed(0)} verify/s (one core, per CPU-second)`);
  console.log(`node crypto.sign RSA-2048 alone:  ${nodeSign.toFixed(0)} /s (${pct(nodeSign)} of openssl)`);
  console.log(`XAdES, one signature per call (prepare+sign+assemble, ~${(Buffer.byteLength(xml) / 1024).toFixed(0)} KB): ${one.toFixed(0)} /s per core (${pct(one)} of openssl)`);
  console.log(`XAdES, whole chain of a transcript (15 signatures, 4 calls):    ${whole.toFixed(0)} /s per core (${pct(whole)} of openssl)`);
  console.log(`verifyXmlSignatures on the sealed document (${(Buffer.byteLength(signedDoc) / 1024).toFixed(0)} KB, 15 signatures): ${verify.toFixed(0)} signatures/s per core`);

  const n = Number(process.env.SCHOOL ?? 2000);
  if (n > 0) {
    const s = await school(n, 2);
    console.log(`\nwhole school: ${n} transcripts, ${s.signatures} signatures on 2 processes: ${s.seconds.toFixed(1)} s (${(s.signatures / s.seconds).toFixed(0)} /s) — target < 60 s ${s.seconds < 60 ? '✔' : '✘'}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
