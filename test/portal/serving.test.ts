/**
 * How the built portal is served (server/http/portal.ts, issue 11): the Brotli or gzip copy the build prepared
 * when the browser accepts it, the file itself otherwise; hashed assets cached for a year, index.html revalidated;
 * the SPA fallback for client-side routes; nothing outside the build directory. A small build directory made here
 * stands in for Vite's (the real build's copies are checked in e2e.test.ts). It sits under a dot-directory, as an
 * install under ~/.local would (send refuses dot-directories in an absolute path: the page was a 404 there).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalRouter } from '../../server/http/portal';

const SCRIPT = `console.log(${JSON.stringify('Sổ điểm điện tử – '.repeat(200))});\n`;
const INDEX = `<!doctype html><html lang="vi"><head><title>Sổ điểm</title></head><body><div id="root"></div>${'<!-- padding -->'.repeat(80)}<script type="module" src="/assets/app-abc123.js"></script></body></html>`;

describe('serving the built portal', () => {
  let top: string;
  let dir: string;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    top = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-serve-'));
    dir = path.join(top, '.local', 'dist');
    fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
    const write = (rel: string, text: string, compressed: boolean) => {
      fs.writeFileSync(path.join(dir, rel), text);
      if (!compressed) return;
      fs.writeFileSync(path.join(dir, `${rel}.br`), zlib.brotliCompressSync(text));
      fs.writeFileSync(path.join(dir, `${rel}.gz`), zlib.gzipSync(text));
    };
    write('index.html', INDEX, true);
    write('assets/app-abc123.js', SCRIPT, true);
    write('assets/small-def456.css', 'body{margin:0}', false);
    fs.writeFileSync(path.join(os.tmpdir(), 'outside-portal.txt'), 'secret');
    const app = express();
    app.use(portalRouter(dir));
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(top, { recursive: true, force: true });
  });

  // fetch() would decode the body itself; node's http keeps the bytes as sent.
  async function get(p: string, acceptEncoding?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
    const http = await import('node:http');
    return new Promise((resolve, reject) => {
      const req = http.get(`${base}${p}`, { headers: acceptEncoding === undefined ? {} : { 'Accept-Encoding': acceptEncoding } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
    });
  }

  it('sends the prepared Brotli copy to a browser that accepts it, with the script type and a year of caching', async () => {
    const r = await get('/assets/app-abc123.js', 'gzip, deflate, br, zstd');
    expect(r.status).toBe(200);
    expect(r.headers['content-encoding']).toBe('br');
    expect(r.headers['content-type']).toMatch(/javascript/);
    expect(r.headers.vary).toMatch(/Accept-Encoding/i);
    expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(zlib.brotliDecompressSync(r.body).toString('utf8')).toBe(SCRIPT);
    expect(r.body.length).toBeLessThan(Buffer.byteLength(SCRIPT) / 5);
  });

  it('sends gzip when Brotli is not accepted (or refused with q=0), and the file itself when nothing is', async () => {
    const gz = await get('/assets/app-abc123.js', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.body).toString('utf8')).toBe(SCRIPT);
    const refused = await get('/assets/app-abc123.js', 'br;q=0, gzip;q=0.8');
    expect(refused.headers['content-encoding']).toBe('gzip');
    const plain = await get('/assets/app-abc123.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/Accept-Encoding/i);
    expect(plain.body.toString('utf8')).toBe(SCRIPT);
  });

  it('serves a file the build did not compress as it is', async () => {
    const r = await get('/assets/small-def456.css', 'br, gzip');
    expect(r.status).toBe(200);
    expect(r.headers['content-encoding']).toBeUndefined();
    expect(r.body.toString()).toBe('body{margin:0}');
  });

  it('answers client-side routes with index.html, compressed and always revalidated', async () => {
    for (const p of ['/', '/students/12/show', '/tra-cuu']) {
      const r = await get(p, 'br');
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toMatch(/text\/html/);
      expect(r.headers['content-encoding']).toBe('br');
      expect(r.headers['cache-control']).toBe('no-cache');
      expect(zlib.brotliDecompressSync(r.body).toString('utf8')).toBe(INDEX);
    }
    const plain = await get('/students');
    expect(plain.body.toString('utf8')).toBe(INDEX);
  });

  it('answers a missing asset (a chunk of an older build) with 404, not with the app page', async () => {
    const r = await get('/assets/App-old999.js', 'br');
    expect(r.status).toBe(404);
    expect(r.headers['content-type']).toMatch(/text\/plain/);
    expect(r.body.toString()).toMatch(/reload/);
  });

  it('never serves a file outside the build directory, nor a prepared copy of one', async () => {
    for (const p of ['/../outside-portal.txt', '/%2e%2e/outside-portal.txt', '/assets/..%2f..%2foutside-portal.txt']) {
      const r = await get(p, 'br, gzip');
      expect(r.body.toString('utf8')).not.toContain('secret');
    }
  });

  it("lets the page's own inline script run and no other: its hash joins the Content-Security-Policy's script-src", async () => {
    // The test build has no inline script: no policy of its own.
    expect((await get('/', 'br')).headers['content-security-policy']).toBeUndefined();
    const inline = "document.documentElement.className += ' hb-boot-app';";
    const other = path.join(top, 'with-inline');
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, 'index.html'), `<!doctype html><html><head><script>${inline}</script></head><body><script type="module" src="/assets/a.js"></script></body></html>`);
    const app = express();
    // As createApp does: helmet's policy first, then the portal adds to it.
    app.use((_req, res, next) => {
      res.setHeader('Content-Security-Policy', "default-src 'self';script-src 'self';object-src 'none'");
      next();
    });
    app.use(portalRouter(other));
    const s = await new Promise<Server>((resolve) => {
      const x = app.listen(0, '127.0.0.1', () => resolve(x));
    });
    try {
      const r = await fetch(`http://127.0.0.1:${(s.address() as AddressInfo).port}/some/route`);
      const hash = crypto.createHash('sha256').update(inline, 'utf8').digest('base64');
      expect(r.headers.get('content-security-policy')).toBe(`default-src 'self';script-src 'self' 'sha256-${hash}';object-src 'none'`);
    } finally {
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  });
});
