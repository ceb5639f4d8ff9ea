import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';

/**
 * The built portal at `/` (issue 11): files as Vite wrote them, each with the Brotli and gzip copies the build
 * prepared beside it (portal/vite.config.ts `precompress`), so a browser that accepts them gets them without any
 * compression at request time; every non-API path falls back to index.html (client-side routing).
 *
 * Vite's file names under /assets carry a hash of their content: those are cached for a year and never revalidated.
 * index.html is always revalidated, so a new build reaches every browser at its next load.
 */
const ENCODINGS = [
  { token: 'br', suffix: '.br' },
  { token: 'gzip', suffix: '.gz' },
] as const;

export function portalRouter(distDir: string): Router {
  const router = Router();
  const index = path.join(distDir, 'index.html');
  router.use(allowInlineScripts(index));
  router.use(precompressed(distDir));
  router.use(express.static(distDir, { index: false, setHeaders: cacheHeaders }));
  // A missing asset is a 404, not the app's page: a tab opened before a new build asks for chunks that are gone,
  // and a script answered with HTML fails with a MIME error nobody can read.
  router.get(/^\/assets\//, (_req, res) => {
    res.status(404).type('text/plain').send('Not found: the portal was updated, reload the page.');
  });
  router.get(/^(?!\/api\/).*/, (req, res) => {
    if (!fs.existsSync(index)) {
      res.status(503).type('text/plain').send('Portal not built yet: run `npm run build:portal` (npm start does it).');
      return;
    }
    if (sendPrecompressed(req, res, index)) return;
    cacheHeaders(res, index);
    sendFrom(res, index);
  });
  return router;
}

/**
 * index.html carries one small inline script (portal/src/boot.js, inlined at build time so the sign-in form is drawn
 * at the first paint). The Content-Security-Policy allows scripts from this origin only, so the pages get that
 * script's hash added to `script-src` — to the policy helmet set, or a policy of just that when there is none.
 * Nothing else inline runs. The hashes are read from the built file (again when it changes).
 */
function allowInlineScripts(index: string): express.RequestHandler {
  let cached: { mtimeMs: number; sources: string[] } | null = null;
  const hashes = (): string[] => {
    let mtimeMs: number;
    try {
      mtimeMs = fs.statSync(index).mtimeMs;
    } catch {
      return [];
    }
    if (cached?.mtimeMs !== mtimeMs) cached = { mtimeMs, sources: inlineScriptHashes(fs.readFileSync(index, 'utf8')) };
    return cached.sources;
  };
  return (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.path.startsWith('/api/') || req.path.startsWith('/assets/')) return next();
    const sources = hashes();
    if (sources.length === 0) return next();
    const current = res.getHeader('Content-Security-Policy');
    const policy = typeof current === 'string' ? current : '';
    res.setHeader('Content-Security-Policy', /(^|;)\s*script-src /.test(policy) ? policy.replace(/((?:^|;)\s*script-src [^;]*)/, `$1 ${sources.join(' ')}`) : [policy, `script-src 'self' ${sources.join(' ')}`].filter(Boolean).join(';'));
    next();
  };
}

/** CSP sources ('sha256-…') for the inline scripts of an HTML page (those without a src). */
export function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => `'sha256-${crypto.createHash('sha256').update(m[1], 'utf8').digest('base64')}'`);
}

function cacheHeaders(res: express.Response, file: string): void {
  const immutable = file.includes(`${path.sep}assets${path.sep}`);
  res.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
}

/**
 * Sends a file of the build by its name inside the build's directory: send refuses any path with a dot-directory in
 * it, so an absolute path would make the portal unreachable when it is installed under one (~/.local/…, a cache).
 */
function sendFrom(res: express.Response, file: string): void {
  res.sendFile(path.basename(file), { root: path.dirname(file) });
}

/** Serves `<file>.br` or `<file>.gz` for `<file>` when the request accepts it and the build made it. */
function precompressed(distDir: string): express.RequestHandler {
  const root = path.resolve(distDir);
  return (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.path.startsWith('/api/')) return next();
    let file: string;
    try {
      file = path.resolve(root, `.${decodeURIComponent(req.path)}`);
    } catch {
      return next();
    }
    if (!file.startsWith(root + path.sep) || !sendPrecompressed(req, res, file)) return next();
  };
}

/** Sends the best prepared copy of `file` the request accepts; false when there is none (send the file itself). */
function sendPrecompressed(req: express.Request, res: express.Response, file: string): boolean {
  const accepted = acceptedEncodings(req.headers['accept-encoding']);
  const prepared = ENCODINGS.filter((e) => fs.existsSync(`${file}${e.suffix}`));
  if (prepared.length > 0) res.setHeader('Vary', 'Accept-Encoding');
  const encoding = prepared.find((e) => accepted.has(e.token));
  if (!encoding) return false;
  res.setHeader('Content-Encoding', encoding.token);
  res.type(path.extname(file));
  cacheHeaders(res, file);
  sendFrom(res, `${file}${encoding.suffix}`); // send keeps the Content-Type set here
  return true;
}

/** The codings a request accepts, without those it refuses (`;q=0`). */
function acceptedEncodings(header: string | string[] | undefined): Set<string> {
  const out = new Set<string>();
  for (const part of (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',')) {
    const [token, ...params] = part.trim().toLowerCase().split(';');
    if (!token) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q && Number(q.slice(2)) === 0) continue;
    out.add(token);
  }
  return out;
}
