#!/usr/bin/env node
// The pool of RSA-2048 keys the test suite's demo PKIs take their keys from (DEMO_KEY_POOL, set by vitest.config.ts;
// demoKeys in server/signing/pki.ts): rsa-0.pem … rsa-<n-1>.pem in the directory given, the missing ones only.
// scripts/provision.sh runs it in the background while packages install, so that a fresh machine's first test run
// does not spend ≈ 40 s of CPU generating them (≈ 0.2 s a key, ≈ 200 keys a run); the tests still generate any
// key they find missing. Test-only keys: never used outside the test suite.
//   node scripts/make-test-keys.mjs <dir> [count]
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const generateKeyPair = promisify(crypto.generateKeyPair);
const [dir, countArg] = process.argv.slice(2);
if (!dir) {
  console.error('usage: node scripts/make-test-keys.mjs <dir> [count]');
  process.exit(2);
}
const count = Number(countArg ?? 256);
fs.mkdirSync(dir, { recursive: true });
const missing = Array.from({ length: count }, (_, i) => path.join(dir, `rsa-${i}.pem`)).filter((f) => !fs.existsSync(f));
const started = Date.now();
// generateKeyPair runs on libuv's thread pool: as many at once as there are cores.
let next = 0;
async function worker() {
  while (next < missing.length) {
    const file = missing[next++];
    const { privateKey } = await generateKeyPair('rsa', { modulusLength: 2048 });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    fs.renameSync(tmp, file); // whole or not at all, for a test reading it at the same moment
  }
}
await Promise.all(Array.from({ length: os.availableParallelism() }, worker));
console.log(`test keys: ${missing.length} generated, ${count - missing.length} already there (${((Date.now() - started) / 1000).toFixed(1)} s) in ${dir}`);
