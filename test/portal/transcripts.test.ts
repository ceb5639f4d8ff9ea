/**
 * The transcript pages end to end: the real API on a random port against a fresh SQLite database with the demo
 * school, its demo PKI and last school year's transcripts (server/transcripts/seed.ts, signed with the demo PIN),
 * a portal built from the current sources, headless Chromium.
 *
 * One class of last year is taken through the whole chain before the browser starts (its transcripts are sealed);
 * in the browser a subject teacher of another class signs their class × subject with the PIN and watches the bar
 * reach 100 %, a member of the school office reads a sealed transcript and verifies its XML and PDF, and a visitor
 * without an account opens the QR code's page. Screenshots (1280 px and a 390 px phone) go to
 * $PORTAL_SCREENSHOTS when it is set.
 */
import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { actorOfUser } from '../../server/auth/principal';
import { createSecretBox } from '../../server/auth/secret-box';
import { seedDemo, DEMO_PASSWORD, type DemoAccount } from '../../server/demo/seed';
import { signBatch, whenBatchesSettled } from '../../server/transcripts/batches';
import { openYearTranscripts } from '../../server/transcripts/operations';
import { DEMO_PIN, seedDemoSigning } from '../../server/transcripts/seed';
import { freshDatabase, type FreshDb } from '../helpers/databases';
import { integration } from '../helpers/integrations';
import { freshTotp } from '../helpers/client';
import { testConfig } from '../helpers/server';
import { sharedPortal, servePortal } from '../helpers/portal-build';

const CHROMIUM = integration('chromium');
const SHOTS = process.env.PORTAL_SCREENSHOTS;

/** Desktop and phone screenshots of the page as it is now (only when $PORTAL_SCREENSHOTS names a directory). */
async function shoot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  const size = page.viewportSize();
  for (const [label, width] of [
    ['desktop', 1280],
    ['phone', 390],
  ] as const) {
    await page.setViewportSize({ width, height: label === 'phone' ? 844 : 900 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SHOTS, `${name}-${label}.png`), fullPage: true });
  }
  if (size) await page.setViewportSize(size);
}

describe.skipIf(!CHROMIUM)('transcript pages end to end', () => {
  let fresh: FreshDb;
  let server: Server;
  let browser: Browser;
  let base: string;
  let accounts: DemoAccount[];
  let distDir: string;
  let workDir: string;
  /** Last year's class signed in the browser, and one of its subject teachers. */
  let target: { classId: number; className: string; subjectId: number; subjectName: string; username: string; students: number };
  /** A sealed version of the class signed before the browser starts. */
  let sealed: { id: number; code: string; studentName: string; xmlPath: string; pdfPath: string | null };
  let previousYearName: string;

  beforeAll(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'transcripts-e2e-'));
    const [db, dist] = await Promise.all([freshDatabase('sqlite'), sharedPortal()]);
    distDir = dist;
    fresh = db;
    const config = testConfig({ databaseUrl: fresh.url });
    const secretBox = createSecretBox(config.sessionSecret);
    accounts = await seedDemo(fresh.db, { secretBox, students: 60 });

    const api = createApp({ db: fresh.db, config });
    ({ server, base } = await servePortal(distDir, api));
    config.corsOrigin = base;

    // The demo PKI and last year, complete; its transcripts opened by the admin.
    const seeded = await seedDemoSigning(fresh.db, { secretBox, sign: false, publicUrl: base });
    const yearId = seeded.previousYear!.schoolYearId;
    previousYearName = seeded.previousYear!.name;
    const adminRow = (await fresh.db('user_roles').where({ role: 'admin' }).first('user_id')) as { user_id: number };
    await openYearTranscripts(fresh.db, await actorOfUser(fresh.db, Number(adminRow.user_id)), { schoolYearId: yearId });

    const classes = (await fresh.db('classes').where({ school_year_id: yearId }).orderBy('id').select('id', 'name', 'grade')) as Array<{ id: number; name: string; grade: number }>;
    const [first, second] = classes;
    await signWholeClass(first.id, yearId, secretBox, Number(adminRow.user_id));

    const row = (await fresh.db('teaching_assignments as a')
      .join('users as u', 'u.staff_id', 'a.staff_id')
      .join('subjects as s', 's.id', 'a.subject_id')
      .where({ 'a.class_id': second.id })
      .orderBy('s.id')
      .first('a.subject_id', 's.name', 'u.username')) as { subject_id: number; name: string; username: string };
    const count = (await fresh.db('transcript_versions').where({ class_id: second.id }).count({ n: '*' }).first()) as { n: number | string };
    target = { classId: second.id, className: second.name, subjectId: Number(row.subject_id), subjectName: row.name, username: row.username, students: Number(count.n) };

    const v = (await fresh.db('transcript_versions as v')
      .join('transcripts as t', 't.id', 'v.transcript_id')
      .join('students as s', 's.id', 't.student_id')
      .where({ 'v.class_id': first.id, 'v.status': 'sealed' })
      .orderBy('v.id')
      .first('v.id', 'v.verification_code', 'v.xml', 'v.pdf', 's.full_name')) as { id: number; verification_code: string; xml: string; pdf: Buffer | null; full_name: string };
    expect(v, 'the first class is sealed before the browser starts').toBeDefined();
    const xmlPath = path.join(workDir, 'hocba.xml');
    fs.writeFileSync(xmlPath, v.xml);
    const pdfPath = v.pdf && v.pdf.length > 0 ? path.join(workDir, 'hocba.pdf') : null;
    if (pdfPath) fs.writeFileSync(pdfPath, v.pdf!);
    sealed = { id: Number(v.id), code: v.verification_code, studentName: v.full_name, xmlPath, pdfPath };

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });

    /** Steps 1–4 for one class, each by the person it belongs to (as the demo seed does for a whole year). */
    async function signWholeClass(classId: number, schoolYearId: number, box: typeof secretBox, adminId: number) {
      const deps = { box, publicUrl: base };
      const sign = async (userId: number, task: Record<string, unknown>) => {
        try {
          await signBatch(fresh.db, await actorOfUser(fresh.db, userId), { task: { ...task, classId, schoolYearId }, pin: DEMO_PIN }, deps, { wait: true, skipSecondFactor: true });
        } catch (err) {
          if (!(err instanceof Error && /signingNothingToSign|signingNotYourSlot/.test(err.message + String((err as { key?: string }).key)))) throw err;
        }
      };
      const teachers = (await fresh.db('teaching_assignments as a').join('users as u', 'u.staff_id', 'a.staff_id').where('a.class_id', classId).distinct('u.id')) as Array<{ id: number }>;
      for (const t of teachers) await sign(Number(t.id), { step: 'subject' });
      const homeroom = (await fresh.db('classes as c').join('users as u', 'u.staff_id', 'c.homeroom_staff_id').where('c.id', classId).first('u.id')) as { id: number };
      await sign(Number(homeroom.id), { step: 'homeroom' });
      const approvers = (await fresh.db('user_roles').whereIn('role', ['principal', 'vice_principal']).distinct('user_id')) as Array<{ user_id: number }>;
      for (const a of approvers) await sign(Number(a.user_id), { step: 'approver' });
      await sign(adminId, { step: 'seal' });
    }
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await whenBatchesSettled();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await fresh?.drop();
    for (const d of [workDir]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  async function signIn(username: string, totpSecret?: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ locale: 'vi-VN', viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/`);
    await page.fill('input[name=username]', username, { timeout: 20_000 });
    await page.fill('input[name=password]', DEMO_PASSWORD);
    await page.click('button[type=submit]');
    if (totpSecret) {
      await page.fill('input[name=code]', await freshTotp(totpSecret, base), { timeout: 20_000 });
      await page.click('button[type=submit]');
    }
    await page.locator('[data-testid=dashboard-identity]').waitFor({ timeout: 20_000 });
    return { page, errors };
  }

  it('lets a subject teacher sign a class × subject with the PIN and follows the batch to 100 %', async () => {
    const { page, errors } = await signIn(target.username);
    await page.getByRole('menuitem', { name: 'Ký học bạ', exact: true }).click({ timeout: 20_000 });
    const row = page.locator('[data-testid=signing-task]').filter({ hasText: target.className }).filter({ hasText: target.subjectName });
    await row.first().waitFor({ timeout: 20_000 });
    await expect(row.first().textContent()).resolves.toContain(`Sẵn sàng: ${target.students}`);
    await shoot(page, 'signing');

    // A wrong PIN is refused in Vietnamese, the dialog stays, and the field is empty again.
    await row.first().locator('[data-testid=sign-task]').click();
    await page.fill('[data-testid=pin-input]', '000000');
    await page.click('[data-testid=pin-submit]');
    await expect(page.locator('[data-testid=pin-error]').textContent({ timeout: 20_000 })).resolves.toMatch(/PIN/);
    await expect(page.inputValue('[data-testid=pin-input]')).resolves.toBe('');

    await page.fill('[data-testid=pin-input]', DEMO_PIN);
    await page.click('[data-testid=pin-submit]');
    const summary = page.locator('[data-testid=batch-summary]');
    await summary.waitFor({ timeout: 120_000 });
    await expect(summary.locator('[role=progressbar]').getAttribute('aria-valuenow')).resolves.toBe('100');
    await expect(summary.textContent()).resolves.toContain(`Đã ký ${target.students} học bạ.`);
    await shoot(page, 'signing-done');

    // "Ký tất cả": every group still ready, one batch after the other under one PIN, then nothing is left.
    const signAll = page.locator('[data-testid=sign-all]');
    await page.waitForFunction(() => /\(\d+\)/.test(document.querySelector('[data-testid=sign-all]')?.textContent ?? ''));
    const remaining = Number(/\((\d+)\)/.exec((await signAll.textContent()) ?? '')![1]);
    if (remaining > 0) {
      await summary.getByRole('button', { name: 'Đóng' }).click();
      await signAll.click();
      await page.fill('[data-testid=pin-input]', DEMO_PIN);
      await page.click('[data-testid=pin-submit]');
      await expect(summary.textContent({ timeout: 180_000 })).resolves.toContain(`Đã ký ${remaining} học bạ.`);
      await expect(summary.locator('[role=progressbar]').getAttribute('aria-valuenow')).resolves.toBe('100');
      await page.waitForFunction(() => (document.querySelector('[data-testid=sign-all]') as HTMLButtonElement | null)?.disabled === true, undefined, { timeout: 20_000 });
    }

    // The transcripts list now counts that subject as signed for the class.
    await page.goto(`${base}/#/transcripts?filter=${encodeURIComponent(JSON.stringify({ classId: target.classId }))}`);
    await page.locator('[data-testid=signed-progress]').first().waitFor({ timeout: 20_000 });
    await expect(page.locator('[data-testid=signed-progress]').first().textContent()).resolves.toMatch(/^Chữ ký GVBM [1-9]\d*\/\d+ · GVCN — · Duyệt — · Con dấu —$/);
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);

  it('shows a sealed transcript with its signatures, and verifies its XML and PDF as valid', async () => {
    const office = accounts.find((a) => a.role === 'academic_staff') ?? accounts.find((a) => a.role === 'records_clerk')!;
    const { page, errors } = await signIn(office.username);
    await page.goto(`${base}/#/transcripts/${sealed.id}/show`);
    await page.locator('[data-testid=signature-table]').waitFor({ timeout: 20_000 });
    await expect(page.locator('[data-testid=transcript-title]').textContent()).resolves.toContain(sealed.studentName);
    await expect(page.locator('[data-testid=transcript-status]').first().textContent()).resolves.toBe('Đã niêm phong');
    const table = (await page.locator('[data-testid=signature-table]').textContent()) ?? '';
    expect(table).toMatch(/Môn .+ năm học \d{4}-\d{4}/);
    expect(table).toContain('Toàn bộ học bạ (con dấu)');
    expect(table).not.toContain('Chưa ký');
    expect(table).toMatch(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
    await shoot(page, 'transcript-show');

    await page.getByRole('menuitem', { name: 'Kiểm tra chữ ký', exact: true }).click({ timeout: 20_000 });
    await page.setInputFiles('[data-testid=verify-input]', sealed.xmlPath);
    await expect(page.locator('[data-testid=verify-verdict]').textContent({ timeout: 60_000 })).resolves.toContain('Hợp lệ');
    const reports = page.locator('[data-testid=signature-report]');
    expect(await reports.count()).toBeGreaterThanOrEqual(4);
    const all = (await page.locator('[data-testid=verify-result]').textContent()) ?? '';
    expect(all).toContain('Con dấu nhà trường');
    expect(all).toContain('Giáo viên bộ môn');
    expect(all).not.toContain('Không hợp lệ');
    await shoot(page, 'verify-xml');

    if (sealed.pdfPath) {
      await page.setInputFiles('[data-testid=verify-input]', sealed.pdfPath);
      await page.locator('[data-testid=pdf-whole]').waitFor({ timeout: 60_000 });
      await expect(page.locator('[data-testid=verify-verdict]').textContent()).resolves.toContain('Hợp lệ');
      await expect(page.locator('[data-testid=pdf-whole]').textContent()).resolves.toContain('bao phủ toàn bộ tệp PDF');
      await expect(page.locator('[data-testid=pdf-xml]').textContent()).resolves.toContain('chữ ký hợp lệ');
      await shoot(page, 'verify-pdf');
    }

    // A file that is no transcript is refused with the server's message.
    const junk = path.join(workDir, 'notes.xml');
    fs.writeFileSync(junk, '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>');
    await page.setInputFiles('[data-testid=verify-input]', junk);
    await expect(page.locator('[data-testid=verify-error]').textContent({ timeout: 20_000 })).resolves.toMatch(/XML/);
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it('opens the QR code page without signing in and shows only the public facts', async () => {
    const context = await browser.newContext({ locale: 'vi-VN', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/#/tra-cuu/${sealed.code}`);
    await page.locator('[data-testid=public-result]').waitFor({ timeout: 20_000 });
    expect(page.url()).toContain('/tra-cuu/');
    await expect(page.locator('[data-testid=public-status]').textContent()).resolves.toBe('Còn hiệu lực');
    const text = (await page.locator('[data-testid=public-result]').textContent()) ?? '';
    expect(text).toMatch(/[0-9a-f]{64}/);
    expect(text).not.toContain(sealed.studentName);
    await expect(page.locator('input[name=username]').count()).resolves.toBe(0);
    await shoot(page, 'public');

    // An unknown code says so.
    await page.fill('[data-testid=public-code]', 'ZZZZZZZZZZ');
    await page.keyboard.press('Enter');
    await expect(page.locator('[data-testid=public-error]').textContent({ timeout: 20_000 })).resolves.toContain('Không tìm thấy');
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('lets the principal approve printing a grade, then print, and open a new version to correct', async () => {
    const principal = accounts.find((a) => a.role === 'principal')!;
    const { page, errors } = await signIn(principal.username, principal.totpSecret);
    const show = () => page.goto(`${base}/#/transcripts/${sealed.id}/show`);
    await show();
    // Grade 6 is printed only once the principal approves (the demo's first class of last year is a grade-6 class).
    await expect(page.locator('[data-testid=print-reason]').textContent({ timeout: 20_000 })).resolves.toContain('Hiệu trưởng chưa duyệt in');
    await expect(page.locator('[data-testid=print]').isDisabled()).resolves.toBe(true);

    await page.goto(`${base}/#/certificates`);
    await page.getByRole('tab', { name: 'Duyệt in học bạ' }).click({ timeout: 20_000 });
    await page.getByRole('combobox', { name: 'Chọn năm học' }).click();
    await page.getByRole('option', { name: previousYearName }).click();
    await page.getByRole('button', { name: 'Duyệt in cả khối' }).click();
    await page.getByText('Đã duyệt in.').waitFor({ timeout: 20_000 });
    await page.getByRole('cell', { name: 'Khối 6' }).waitFor({ timeout: 20_000 });

    await show();
    await page.locator('[data-testid=signature-table]').waitFor({ timeout: 20_000 });
    await page.waitForFunction(() => !(document.querySelector('[data-testid=print]') as HTMLButtonElement | null)?.disabled, undefined, { timeout: 20_000 });
    await expect(page.locator('[data-testid=print-reason]').count()).resolves.toBe(0);

    // A correction: version 2 is opened from the grade book, with the reason, and the page moves to it.
    await page.click('[data-testid=new-version]');
    await page.getByRole('dialog').locator('textarea').first().fill('Sửa sai sót điểm môn Toán theo biên bản số 12');
    await page.getByRole('dialog').getByRole('button', { name: 'Mở phiên bản mới để đính chính' }).click();
    await page.waitForURL((u) => !u.hash.includes(`/transcripts/${sealed.id}/`), { timeout: 30_000 });
    await page.locator('[data-testid=transcript-versions]').waitFor({ timeout: 20_000 });
    const versions = (await page.locator('[data-testid=transcript-versions]').textContent()) ?? '';
    expect(versions).toContain('Phiên bản 2');
    expect(versions).toContain('Phiên bản 1');
    await shoot(page, 'transcript-v2');
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);
});
