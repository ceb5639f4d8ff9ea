#!/usr/bin/env node
// `npm start`'s portal step (issue 11): builds portal/dist only when its inputs changed since the last build, so a
// warm restart does not spend ~10 s rebuilding the same files. The inputs are the portal's sources, the shared
// domain rules it imports, its Vite config and the locked dependency versions; their SHA-256 is kept in
// <out>/.inputs-sha256 after a successful build. `--force` builds regardless; `--out DIR` builds into DIR instead of
// portal/dist (the portal's browser tests build into a temporary directory).
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const INPUTS = ['portal/src', 'portal/index.html', 'portal/vite.config.ts', 'domain', 'package-lock.json', 'scripts/build-portal.mjs'];

function filesOf(rel) {
  const abs = path.join(root, rel);
  if (!fs.existsSync(abs)) return [];
  if (!fs.statSync(abs).isDirectory()) return [rel];
  return fs
    .readdirSync(abs, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => filesOf(path.join(rel, e.name)));
}

function inputsHash() {
  const hash = crypto.createHash('sha256');
  for (const rel of INPUTS.flatMap(filesOf)) {
    hash.update(`${rel.split(path.sep).join('/')}\0`);
    hash.update(fs.readFileSync(path.join(root, rel)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** Builds the portal into `out` (portal/dist) unless its stamp says the inputs are unchanged. Returns false if Vite failed. */
export function ensurePortal({ out, force = false, quiet = false } = {}) {
  const dist = out ? path.resolve(out) : path.join(root, 'portal/dist');
  const stamp = path.join(dist, '.inputs-sha256');
  const started = Date.now();
  const wanted = inputsHash();
  const built = fs.existsSync(path.join(dist, 'index.html')) && fs.existsSync(stamp) ? fs.readFileSync(stamp, 'utf8').trim() : null;
  if (built === wanted && !force) {
    console.log(`portal: up to date (${path.relative(root, dist) || dist}, checked in ${Date.now() - started} ms)`);
    return true;
  }
  console.log(built ? 'portal: sources changed, building…' : 'portal: building…');
  const vite = path.join(root, 'node_modules/vite/bin/vite.js');
  const args = [vite, 'build', '--config', 'portal/vite.config.ts', '--outDir', dist, '--emptyOutDir', ...(quiet ? ['--logLevel', 'error'] : [])];
  // Always a production build: a NODE_ENV inherited from the caller (vitest sets `test`) would make Vite bundle
  // React's development build, several times larger.
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0) return false;
  fs.writeFileSync(stamp, `${wanted}\n`);
  console.log(`portal: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outAt = process.argv.indexOf('--out');
  const ok = ensurePortal({ out: outAt > 0 ? process.argv[outAt + 1] : undefined, force: process.argv.includes('--force'), quiet: process.argv.includes('--quiet') });
  process.exit(ok ? 0 : 1);
}
