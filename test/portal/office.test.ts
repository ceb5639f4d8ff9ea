/**
 * The education office's home page end to end (issue 13, S1): a portal built from the current sources, the real API
 * on a fresh SQLite database with the demo school and one more under the demo office, headless Chromium at a phone's
 * width (390 px). `phonggd` signs in and lands on its schools (furthest behind first), with a milestone bar per
 * school; a click on a school shows its classes; nothing spills out of the page sideways. Screenshots go to
 * $PORTAL_SCREENSHOTS when it is set.
 */
import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { createSecretBox } from '../../server/auth/secret-box';
import { seedOfficeSchools } from '../../server/demo/office';
import { seedDemoScores } from '../../server/demo/scores';
import { seedDemo, type DemoAccount } from '../../server/demo/seed';
import { seedDemoTimeline } from '../../server/demo/timeline';
import { freshDatabase, type FreshDb } from '../helpers/databases';
import { integration } from '../helpers/integrations';
import { sharedPortal, launchChromium, servePortal, signInAs } from '../helpers/portal-build';
import { testConfig } from '../helpers/server';

const CHROMIUM = integration('chromium');
const SHOTS = process.env.PORTAL_SCREENSHOTS;

describe.skipIf(!CHROMIUM)('the education office’s page end to end', () => {
  let fresh: FreshDb;
  let server: Server;
  let browser: Browser;
  let base: string;
  let accounts: DemoAccount[];
  let distDir: string;

  beforeAll(async () => {
    const [db, dist] = await Promise.all([freshDatabase('sqlite'), sharedPortal()]);
    distDir = dist;
    fresh = db;
    const config = testConfig({ databaseUrl: fresh.url });
    const secretBox = createSecretBox(config.sessionSecret);
    accounts = await seedDemo(fresh.db, { secretBox, students: 40 });
    await seedDemoScores(fresh.db);
    await seedDemoTimeline(fresh.db);
    await seedOfficeSchools(fresh.db, { schools: 1, students: 40, secretBox, timeline: true });
    ({ server, base } = await servePortal(distDir, createApp({ db: fresh.db, config })));
    config.corsOrigin = base;
    browser = await launchChromium(CHROMIUM);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await fresh?.drop();
  });

  it('lands phonggd on its schools, furthest behind first, and opens a school’s classes, at 390 px', async () => {
    const office = accounts.find((a) => a.role === 'education_office')!;
    const page = await browser.newPage({ locale: 'vi-VN', viewport: { width: 390, height: 844 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signInAs(page, base, office.username);
    const rows = page.locator('[data-testid=office-schools-row]');
    await rows.first().waitFor({ timeout: 20_000 });
    expect(await rows.count()).toBe(2);
    // The demo school has scores entered, the other none: the other is furthest behind and comes first.
    const first = (await rows.nth(0).textContent()) ?? '';
    const second = (await rows.nth(1).textContent()) ?? '';
    expect(first).toContain('Trường THCS Khánh An');
    expect(second).toContain('Trường THCS Khánh Phú');
    expect(second).toMatch(/\d+(,\d)? %/);
    expect(await page.getByText('Học bạ đã đóng dấu').count()).toBeGreaterThan(0);
    await rows.nth(1).locator('td').first().click();
    const classes = page.locator('[data-testid=office-classes-row]');
    await classes.first().waitFor({ timeout: 20_000 });
    expect(await classes.count()).toBeGreaterThan(0);
    expect((await page.locator('[data-testid=office-classes-card]').textContent()) ?? '').toContain('Các lớp — Trường THCS Khánh Phú');
    // The tables scroll inside their own boxes: the page itself is no wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    if (SHOTS) {
      fs.mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SHOTS, 'office-390.png'), fullPage: true });
    }
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
