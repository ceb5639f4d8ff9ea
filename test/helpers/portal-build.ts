import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/demo/seed';
import { portalRouter } from '../../server/http/portal';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where the browser tests' portal is built: outside portal/dist, kept between runs (the build's stamp says when it is stale). */
const SHARED_DIST = path.join(repoRoot, 'node_modules/.cache/hocba-portal-test');
const LOCK = `${SHARED_DIST}.lock`;
/** A lock older than this was left by a killed run (a build takes well under a minute). */
const STALE_LOCK_MS = 10 * 60_000;

/**
 * The portal as the current sources build it, for the browser tests: one build for every test file of a run (each
 * file built its own before, ≈ 30 s of two busy cores apiece), made by whichever file asks first while the others wait
 * on a lock directory, and none when the last run's build is still up to date. Tests must not write into it.
 */
export async function sharedPortal(): Promise<string> {
  fs.mkdirSync(path.dirname(SHARED_DIST), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const age = Date.now() - (fs.statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MS) fs.rmSync(LOCK, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    await buildPortal(SHARED_DIST);
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
  return SHARED_DIST;
}

/**
 * Builds the portal from the current sources into `outDir` (a temporary directory: never portal/dist) with the
 * script `npm start` runs (scripts/build-portal.mjs: Vite, the precompressed copies, the inputs' stamp). Resolves
 * with what the script printed.
 */
export function buildPortal(outDir: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'scripts/build-portal.mjs'), '--out', outDir, '--quiet'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`portal build failed (${code}): ${out}`))));
  });
}

/**
 * The API as createApp builds it, behind a built portal (static files first, SPA fallback to index.html), on a
 * random loopback port. Returns the server and its base URL.
 */
export async function servePortal(distDir: string, api: express.Express): Promise<{ server: Server; base: string }> {
  const outer = express();
  outer.use(portalRouter(distDir));
  outer.use(api);
  const server = await new Promise<Server>((resolve) => {
    const s = outer.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Headless Chromium (the system's, never a downloaded one) with what a test does not need switched off. */
export function launchChromium(executablePath: string | undefined): Promise<Browser> {
  return chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
}

/** Opens the portal's sign-in form and signs in with the demo password (accounts without a second factor). */
export async function signInAs(page: Page, base: string, username: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.fill('input[name=username]', username, { timeout: 20_000 });
  await page.fill('input[name=password]', DEMO_PASSWORD);
  await page.click('button[type=submit]');
}
