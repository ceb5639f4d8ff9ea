/**
 * `npm start` runs the server bundled (scripts/build-server.mjs, issue 11's warm start): the bundle must be rebuilt
 * whenever a file that went into it changes, and never be half written. The bundle here goes to a temporary
 * directory; test/startup.test.ts starts the server from it as `npm start` does.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const root = path.resolve(__dirname, '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'server-bundle-'));
const current = () => JSON.parse(fs.readFileSync(path.join(dir, 'current.json'), 'utf8')) as { sha256: string; dir: string; files: string[] };

describe('the server bundle npm start runs', () => {
  afterAll(() => {
    vi.unstubAllEnvs();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is built once, reused while its inputs are unchanged, and rebuilt when one of them changes', async () => {
    vi.stubEnv('HOCBA_SERVER_BUNDLE_DIR', dir);
    vi.resetModules();
    const { ensureServerBundle, hashOf } = await import('../scripts/build-server.mjs');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const main = await ensureServerBundle();
      expect(log.mock.lastCall?.[0]).toMatch(/^server: bundled \d+ files/);
      expect(fs.existsSync(main)).toBe(true);
      // The stamp lists what went in: the entry, the server's modules, the shared domain rules, the migrations.
      const { files, dir: bundleDir } = current();
      for (const f of ['server/main.ts', 'server/app.ts', 'domain/scoring.ts', 'migrations/index.ts']) expect(files).toContain(f);
      expect(files.some((f) => f.startsWith('node_modules/'))).toBe(false);

      expect(await ensureServerBundle()).toBe(main);
      expect(log.mock.lastCall?.[0]).toMatch(/^server: up to date/);

      // One input changes (a file written here stands in for a source edited between two starts): rebuilt.
      const input = path.join(dir, 'input.ts');
      fs.writeFileSync(input, 'export const a = 1;\n');
      const rel = path.relative(root, input);
      const withInput = [...files, rel];
      fs.writeFileSync(path.join(dir, 'current.json'), JSON.stringify({ sha256: hashOf(withInput), dir: bundleDir, files: withInput }));
      await ensureServerBundle();
      expect(log.mock.lastCall?.[0]).toMatch(/^server: up to date/);
      fs.writeFileSync(input, 'export const a = 2;\n');
      await ensureServerBundle();
      expect(log.mock.lastCall?.[0]).toMatch(/^server: bundled/);
      expect(current().files).not.toContain(rel);
    } finally {
      log.mockRestore();
    }
  }, 60_000);
});
