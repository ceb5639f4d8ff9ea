import { spawn } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { portalRouter } from '../../server/http/portal';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

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
