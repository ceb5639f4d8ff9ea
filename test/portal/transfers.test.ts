/**
 * The "Chuyển trường (học bạ)" page end to end (issue 13): a portal built from the current sources, the real API on a
 * fresh SQLite database holding two schools (the demo school with last year sealed, and a second one), headless
 * Chromium. The old school's vice principal issues a package with the seal's PIN and downloads it; the new school's
 * vice principal uploads it, reads the dry run (every signature checked), sees a tampered copy refused with the
 * broken signature named, imports the good one, and finds the earlier year read-only on the student's page.
 */
import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { createSecretBox } from '../../server/auth/secret-box';
import { seedDemo, type DemoAccount } from '../../server/demo/seed';
import { DEMO_PIN, seedDemoSigning } from '../../server/transcripts/seed';
import { freshDatabase, type FreshDb } from '../helpers/databases';
import { integration } from '../helpers/integrations';
import { sharedPortal, launchChromium, servePortal, signInAs } from '../helpers/portal-build';
import { testConfig } from '../helpers/server';
import { addSecondSchool, editInZip, filesOf } from '../helpers/transfer';

const CHROMIUM = integration('chromium');
const SHOTS = process.env.PORTAL_SCREENSHOTS;

describe.skipIf(!CHROMIUM)('the transfers page end to end', () => {
  let fresh: FreshDb;
  let server: Server;
  let browser: Browser;
  let base: string;
  let accounts: DemoAccount[];
  let distDir: string;
  let dataDir: string;
  let yearName: string;
  let student: { id: number; code: string; name: string };
  let newSchool: { schoolId: number; classId: number; className: string; username: string };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'transfer-e2e-'));
    const [db, dist] = await Promise.all([freshDatabase('sqlite'), sharedPortal()]);
    distDir = dist;
    fresh = db;
    const config = testConfig({ databaseUrl: fresh.url });
    const secretBox = createSecretBox(config.sessionSecret);
    accounts = await seedDemo(fresh.db, { secretBox, students: 40 });
    ({ server, base } = await servePortal(distDir, createApp({ db: fresh.db, config })));
    config.corsOrigin = base;
    const seeded = await seedDemoSigning(fresh.db, { secretBox, publicUrl: base });
    yearName = seeded.previousYear!.name;
    const row = (await fresh.db('transcript_versions as v')
      .join('transcripts as t', 't.id', 'v.transcript_id')
      .join('students as s', 's.id', 't.student_id')
      .join('enrolments as e', 'e.student_id', 's.id')
      .join('classes as c', 'c.id', 'e.class_id')
      .join('school_years as y', 'y.id', 'c.school_year_id')
      .where({ 'v.status': 'sealed', 'e.status': 'active', 'y.is_current': true })
      .orderBy('s.id')
      .first('s.id', 's.student_code', 's.full_name', 'c.grade')) as Record<string, unknown>;
    student = { id: Number(row.id), code: String(row.student_code), name: String(row.full_name) };
    newSchool = await addSecondSchool(fresh.db, { code: 'THCS-NT', name: 'Trường THCS Nguyễn Trãi', grade: Number(row.grade), username: 'phohieutruong.nt' });
    browser = await launchChromium(CHROMIUM);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await fresh?.drop();
    for (const d of [dataDir]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  async function signIn(username: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ locale: 'vi-VN', viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signInAs(page, base, username);
    await page.locator('[data-testid=dashboard-identity]').waitFor({ timeout: 20_000 });
    await page.getByRole('menuitem', { name: 'Chuyển trường (học bạ)', exact: true }).click({ timeout: 20_000 });
    return { page, errors };
  }

  it('issues a package at the old school and imports it at the new one after a dry run', async () => {
    const vp = accounts.find((a) => a.role === 'vice_principal')!;
    const out = await signIn(vp.username);
    await out.page.getByLabel('Mã hoặc tên học sinh').fill(student.code);
    await out.page.getByRole('button', { name: 'Tìm', exact: true }).click();
    await out.page.locator('[data-testid=transfer-student]').first().click({ timeout: 20_000 });
    await out.page.getByLabel('Trường chuyển đến', { exact: false }).first().fill('Trường THCS Nguyễn Trãi');
    await out.page.getByLabel('Mã trường chuyển đến (nếu biết)').fill('THCS-NT');
    await out.page.click('[data-testid=transfer-issue]');
    await out.page.fill('[data-testid=pin-input]', DEMO_PIN);
    await out.page.click('[data-testid=pin-submit]');
    const row = out.page.locator('[data-testid=transfer-package]').first();
    await row.waitFor({ timeout: 30_000 });
    expect(await row.textContent()).toContain(student.name);
    const [download] = await Promise.all([out.page.waitForEvent('download'), row.getByRole('button', { name: 'Tải ZIP' }).click()]);
    const good = path.join(dataDir, 'chuyentruong.zip');
    await download.saveAs(good);
    expect(out.errors).toEqual([]);
    await out.page.close();

    // A copy with one Toán score changed: refused, the broken signature named, nothing imported.
    const zip = fs.readFileSync(good);
    const doc = Object.entries(filesOf(zip)).find(([n, x]) => n !== 'manifest.xml' && x.includes(`Id="bd-${yearName}-TOAN"`))![0];
    const bad = path.join(dataDir, 'sua.zip');
    fs.writeFileSync(bad, editInZip(zip, (n) => n === doc, (x) => x.replace(/(Id="bd-[^"]*-TOAN"[\s\S]*?<diemcanam>)(\d+)/, (_m, head: string, i: string) => `${head}${i === '9' ? '8' : '9'}`)));
    const inn = await signIn(newSchool.username);
    await inn.page.setInputFiles('[data-testid=transfer-upload]', bad);
    const error = inn.page.locator('[data-testid=transfer-error]');
    await error.waitFor({ timeout: 30_000 });
    expect(await error.textContent()).toContain(`sig-gvbm-${yearName}-TOAN`);

    await inn.page.setInputFiles('[data-testid=transfer-upload]', good);
    const preview = inn.page.locator('[data-testid=transfer-preview]');
    await preview.waitFor({ timeout: 30_000 });
    const text = (await preview.textContent()) ?? '';
    expect(text).toContain('Đã kiểm tra');
    expect(text).toContain(student.name);
    expect(text).toContain(yearName);
    expect(text).toContain('con dấu của trường');
    if (SHOTS) {
      fs.mkdirSync(SHOTS, { recursive: true });
      await inn.page.screenshot({ path: path.join(SHOTS, 'transfers.png'), fullPage: true });
    }
    expect(Number(((await fresh.db('imported_transcripts').count({ n: '*' }).first()) as { n: number }).n)).toBe(0);
    // Placed in the new school's class (the vice principal's scope follows the student's class).
    await inn.page.getByLabel('Xếp vào lớp').click();
    await inn.page.getByRole('option', { name: `${newSchool.className}`, exact: true }).click();
    await inn.page.click('[data-testid=transfer-commit]');
    await inn.page.getByText('Đã nhập hồ sơ chuyển trường').waitFor({ timeout: 30_000 });
    const arrived = (await fresh.db('students').where({ school_id: newSchool.schoolId, student_code: student.code }).first('id')) as { id: number };
    expect(arrived).toBeTruthy();

    // The student's page at the new school: the earlier year, read-only.
    await inn.page.goto(`${base}/#/students/${arrived.id}/show/imported`);
    const years = inn.page.locator('[data-testid=imported-years]');
    await years.waitFor({ timeout: 20_000 });
    expect(await years.textContent()).toContain(yearName);
    expect(await years.textContent()).toContain('Chỉ xem');
    expect(inn.errors).toEqual([]);
    await inn.page.close();
  }, 300_000);
});
