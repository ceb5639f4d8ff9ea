#!/usr/bin/env node
// `npm start`'s server step (issue 11): the server as one ES module bundle (esbuild; dependencies stay in
// node_modules), so a start does not compile and resolve ~250 TypeScript files through tsx's loader (2.6 s of a
// 3.3 s warm start on this machine; the bundle loads in ≈ 1.3 s). Rebuilt only when one of the files that went into
// the last bundle changed: esbuild's metafile lists them, and their SHA-256 (with the lockfile and this script) is
// kept beside the bundle. A changed file that imports a new one changes the hash, so the new one is picked up.
//   node scripts/build-server.mjs [--force]      (HOCBA_SERVER_BUNDLE_DIR: elsewhere than node_modules/.cache)
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SERVER_BUNDLE_DIR = process.env.HOCBA_SERVER_BUNDLE_DIR ? path.resolve(process.env.HOCBA_SERVER_BUNDLE_DIR) : path.join(root, 'node_modules/.cache/hocba-server');
const ENTRY = 'server/main.ts';
const ALWAYS = ['package-lock.json', 'scripts/build-server.mjs', 'tsconfig.json'];

export function hashOf(files) {
  const hash = crypto.createHash('sha256');
  for (const rel of [...ALWAYS, ...files]) {
    hash.update(`${rel}\0`);
    const abs = path.join(root, rel);
    hash.update(fs.existsSync(abs) ? fs.readFileSync(abs) : '(missing)');
    hash.update('\0');
  }
  return hash.digest('hex');
}

function current() {
  try {
    return JSON.parse(fs.readFileSync(path.join(SERVER_BUNDLE_DIR, 'current.json'), 'utf8'));
  } catch {
    return null;
  }
}

/**
 * The bundle's entry file, built first if missing or stale. Each bundle has a directory named by its inputs' hash,
 * and `current.json` names the newest (its directory, its inputs and their hash): a server already running keeps
 * loading its own chunks on first use (pdfkit's users, Temporal's client) from its directory while a newer start
 * builds another.
 */
export async function ensureServerBundle({ force = false } = {}) {
  const started = Date.now();
  const stamp = current();
  // A stamp from another layout, or unreadable: built anew.
  const stampMain = typeof stamp?.dir === 'string' && Array.isArray(stamp.files) ? path.join(SERVER_BUNDLE_DIR, stamp.dir, 'main.js') : null;
  if (!force && stampMain && hashOf(stamp.files) === stamp.sha256 && fs.existsSync(stampMain)) {
    console.log(`server: up to date (checked ${stamp.files.length} files in ${Date.now() - started} ms)`);
    return stampMain;
  }
  const { build } = await import('esbuild');
  // Built aside and renamed into place whole: a start at the same moment never loads half of one.
  const tmp = path.join(SERVER_BUNDLE_DIR, `.tmp-${process.pid}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: [ENTRY],
    bundle: true,
    splitting: true, // the modules loaded on first use (Temporal's client, pdfkit's users) stay separate chunks
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outdir: tmp,
    keepNames: true, // stack traces keep the functions' names
    metafile: true,
    logLevel: 'warning',
  });
  const files = Object.keys(result.metafile.inputs)
    .filter((f) => !f.startsWith('node_modules/'))
    .sort();
  const sha256 = hashOf(files);
  const dir = path.join(SERVER_BUNDLE_DIR, sha256);
  if (fs.existsSync(path.join(dir, 'main.js'))) fs.rmSync(tmp, { recursive: true, force: true });
  else fs.renameSync(tmp, dir);
  const next = path.join(SERVER_BUNDLE_DIR, `.current-${process.pid}.json`);
  fs.writeFileSync(next, JSON.stringify({ sha256, dir: sha256, files }, null, 1));
  fs.renameSync(next, path.join(SERVER_BUNDLE_DIR, 'current.json'));
  prune(sha256);
  console.log(`server: bundled ${files.length} files in ${Date.now() - started} ms`);
  return path.join(dir, 'main.js');
}

/** Keeps the newest few bundles (a server started from an older one may still load its chunks). */
function prune(keep) {
  const dirs = fs
    .readdirSync(SERVER_BUNDLE_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory() && /^[0-9a-f]{64}$/.test(e.name) && e.name !== keep)
    .map((e) => ({ name: e.name, at: fs.statSync(path.join(SERVER_BUNDLE_DIR, e.name)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const d of dirs.slice(2)) fs.rmSync(path.join(SERVER_BUNDLE_DIR, d.name), { recursive: true, force: true });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await ensureServerBundle({ force: process.argv.includes('--force') });
}
