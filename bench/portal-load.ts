/**
 * The portal's first load (issue 11: the login form visible within 300 ms from an empty cache on loopback; the
 * login page's script under 250 KB gzipped).
 *
 *   npx tsx bench/portal-load.ts          # builds portal/dist if its sources changed, then measures
 *   BENCH_RUNS=40 npx tsx bench/portal-load.ts
 *   BENCH_BEFORE_DIST=/tmp/old-dist npx tsx bench/portal-load.ts   # also an earlier build (e.g. of the commit
 *                                                                   # before issue 11), served the way it was
 *
 * The API (createApp) on a fresh SQLite database with a small demo school, on loopback, behind the built portal,
 * served two ways in the same run: as the server serves it (server/http/portal.ts: the Brotli copies made at build
 * time) and, as the baseline, by plain express.static (uncompressed, what the server did before). Headless
 * Chromium (CHROMIUM_PATH or /usr/bin/chromium): each run a new browser context — an empty cache —, from
 * navigation to the username field being visible (index.html draws the form before any script runs), and on to
 * the form being usable (the script has taken over: the sign-in button is enabled); then, once, signing in until
 * the dashboard shows. Prints medians, the p95 and the bytes of script the login page downloads.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { chromium, type Browser } from 'playwright-core';
import { createApp, PORTAL_DIST } from '../server/app';
import { createSecretBox } from '../server/auth/secret-box';
import { DEMO_PASSWORD, seedDemo } from '../server/demo/seed';
import { portalRouter } from '../server/http/portal';
import { freshBenchDb, percentile, testLikeConfig } from './common';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function listen(app: express.Express): Promise<{ server: Server; base: string }> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });
}

/** The least a login page can be: the two fields and an enabled button, unstyled. */
const FLOOR_PAGE = '<!doctype html><html lang="vi"><meta charset="utf-8"><title>Đăng nhập</title><input name="username"><input name="password" type="password"><button type="submit">Đăng nhập</button></html>';

async function loginVisible(browser: Browser, base: string): Promise<{ ms: number; paintMs: number; usableMs: number; scriptBytes: number }> {
  const context = await browser.newContext({ locale: 'vi-VN' });
  const page = await context.newPage();
  let scriptBytes = 0;
  page.on('response', async (r) => {
    if (!r.url().endsWith('.js')) return;
    const size = Number((await r.allHeaders())['content-length'] ?? 0);
    scriptBytes += size;
  });
  const t0 = performance.now();
  // From the navigation's start to the field being drawn, whatever is still loading then ('commit': goto returns
  // once the page answers, rather than waiting for the load event, which comes later than the form now).
  await page.goto(`${base}/`, { waitUntil: 'commit' });
  await page.waitForSelector('input[name=username]', { state: 'visible' });
  const ms = performance.now() - t0;
  // The browser's own clock: its first contentful paint after the navigation started. index.html has no content but
  // the form (the "Đang tải…" line is hidden for a signed-out visitor), so this is when the form was on screen; the
  // check above can answer later, since it waits its turn on the page's main thread behind the script's compile.
  const paintMs = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN);
  // Usable: the script has taken over and the button signs in (index.html's own form keeps it disabled till then).
  await page.waitForSelector('button[type=submit]:enabled');
  const usableMs = performance.now() - t0;
  await context.close();
  return { ms, paintMs, usableMs, scriptBytes };
}

async function main() {
  execFileSync(process.execPath, ['scripts/build-portal.mjs'], { stdio: 'inherit' });
  const { db, url, drop } = await freshBenchDb();
  const config = testLikeConfig(url);
  const accounts = await seedDemo(db, { secretBox: createSecretBox(config.sessionSecret), students: 40 });
  const api = createApp({ db, config });
  const served = express().use(portalRouter(PORTAL_DIST)).use(api);
  const plain = express()
    .use(express.static(PORTAL_DIST, { index: false }))
    .get(/^(?!\/api\/).*/, (_req, res) => res.sendFile(path.join(PORTAL_DIST, 'index.html')))
    .use(api);
  // The floor: what this browser and this harness take for a page that is nothing but the form (no CSS, no script).
  const floor = express().get('/', (_req, res) => res.type('html').send(FLOOR_PAGE));
  const a = await listen(served);
  const b = await listen(plain);
  const f = await listen(floor);
  const beforeDist = process.env.BENCH_BEFORE_DIST;
  const c = beforeDist
    ? await listen(
        express()
          .use(express.static(beforeDist, { index: false }))
          .get(/^(?!\/api\/).*/, (_req, res) => res.sendFile(path.join(beforeDist, 'index.html')))
          .use(api),
      )
    : null;
  config.corsOrigin = a.base; // sign-in accepts the configured origin only
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    console.log(`machine: ${os.cpus().length} × ${os.cpus()[0].model}, Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    for (const w of [a, b, c]) if (w) await loginVisible(browser, w.base); // the server's first answers (route compile, file cache)
    const results = { served: [] as number[], plain: [] as number[], before: [] as number[], floor: [] as number[] };
    const painted = { served: [] as number[], plain: [] as number[], before: [] as number[], floor: [] as number[] };
    const usable = { served: [] as number[], plain: [] as number[], before: [] as number[] };
    let bytes = { served: 0, plain: 0, before: 0 };
    for (let i = 0; i < RUNS; i++) {
      // Interleaved, so both see the same machine.
      const s = await loginVisible(browser, a.base);
      const p = await loginVisible(browser, b.base);
      const o = c ? await loginVisible(browser, c.base) : null;
      const fl = await loginVisible(browser, f.base);
      results.floor.push(fl.ms);
      painted.floor.push(fl.paintMs);
      painted.served.push(s.paintMs);
      painted.plain.push(p.paintMs);
      if (o) painted.before.push(o.paintMs);
      results.served.push(s.ms);
      results.plain.push(p.ms);
      if (o) results.before.push(o.ms);
      usable.served.push(s.usableMs);
      usable.plain.push(p.usableMs);
      if (o) usable.before.push(o.usableMs);
      bytes = { served: s.scriptBytes, plain: p.scriptBytes, before: o?.scriptBytes ?? 0 };
    }
    const ms = (xs: number[], p: number) => percentile(xs, p).toFixed(0).padStart(4);
    const line = (label: string, xs: number[], ps: number[], ys: number[], kb: number) =>
      console.log(`${label.padEnd(44)} visible median ${ms(xs, 50)} ms, p95 ${ms(xs, 95)} ms   painted median ${ms(ps, 50)} ms, p95 ${ms(ps, 95)} ms   usable median ${ms(ys, 50)} ms   scripts ${(kb / 1024).toFixed(0)} KiB on the wire`);
    line('login form, as served (Brotli copies)', results.served, painted.served, usable.served, bytes.served);
    line('baseline: same build, plain express.static', results.plain, painted.plain, usable.plain, bytes.plain);
    if (c) line(`baseline: ${beforeDist}, as served before`, results.before, painted.before, usable.before, bytes.before);
    line('floor: a bare HTML form, nothing else', results.floor, painted.floor, results.floor, 0);
    const gz = fs
      .readdirSync(path.join(PORTAL_DIST, 'assets'))
      .filter((f) => f.endsWith('.js.gz'))
      .map((f) => `${f.replace(/-[\w-]+\.js\.gz$/, '')} ${(fs.statSync(path.join(PORTAL_DIST, 'assets', f)).size / 1024).toFixed(0)} KiB`);
    console.log(`gzipped chunks: ${gz.join(', ')}`);

    const context = await browser.newContext({ locale: 'vi-VN' });
    const page = await context.newPage();
    await page.goto(`${a.base}/`);
    await page.waitForSelector('input[name=username]');
    await page.fill('input[name=username]', accounts.find((x) => x.role === 'subject_teacher')!.username);
    await page.fill('input[name=password]', DEMO_PASSWORD);
    const t0 = performance.now();
    await page.click('button[type=submit]');
    await page.waitForSelector('text=Giáo viên bộ môn', { timeout: 20_000 });
    console.log(`sign in → dashboard (the app's script loaded then): ${(performance.now() - t0).toFixed(0)} ms`);
    await context.close();
  } finally {
    await browser.close();
    a.server.close();
    b.server.close();
    c?.server.close();
    f.server.close();
    await drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
