import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PRINT_KINDS } from '../domain/printing';
import { CURRENT_RENDERER, RENDERERS, renderWith } from '../server/printing/renderers';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/printing');
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

/**
 * Every approved print run is redrawn with the renderer version it was approved with, and must give the approved
 * bytes again. Each registered version renders its fixed snapshot (fixtures/printing/<version>.json) and must give
 * the SHA-256 stored beside it: a change to a renderer, the shared drawing code, the font or pdfkit shows up here.
 */
describe('printed book renderer versions', () => {
  it('has a current version for every book, each registered', () => {
    for (const kind of PRINT_KINDS) expect(Object.keys(RENDERERS)).toContain(CURRENT_RENDERER[kind]);
  });

  it.each(Object.keys(RENDERERS))('%s draws its fixture byte for byte as when it was registered', async (version) => {
    const fixture = path.join(dir, `${version}.json`);
    const stored = path.join(dir, `${version}.sha256`);
    expect(fs.existsSync(fixture), `renderer ${version} has no fixture snapshot ${fixture}`).toBe(true);
    const { pdf, pages } = await renderWith(version, JSON.parse(fs.readFileSync(fixture, 'utf8')));
    const actual = sha(pdf);
    expect(fs.existsSync(stored), `renderer ${version} has no stored SHA-256: write ${actual} to ${stored}`).toBe(true);
    expect(
      actual,
      `renderer ${version} no longer draws the bytes it was registered with, so every print run approved with it would be refused on download. ` +
        `Do not edit a registered renderer version (nor the shared code, font or pdfkit it draws with): add a new version (e.g. ${version.replace(/@\d+$/, '@<n+1>')}) in server/printing/renderers.ts, ` +
        'point CURRENT_RENDERER at it, and record its own fixture and SHA-256 with: npx tsx test/fixtures/printing/record.ts',
    ).toBe(fs.readFileSync(stored, 'utf8').trim());
    expect(pages).toBeGreaterThan(1);
  });
});
