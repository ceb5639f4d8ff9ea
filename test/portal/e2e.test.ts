/**
 * End to end: the real API server on a random port against a fresh SQLite database, serving a portal built from
 * the current sources, driven by headless Chromium. A teacher signs in through the login page and the dashboard
 * shows who they are and their roles in Vietnamese; a subject teacher enters scores in the grade book with the
 * keyboard, is stopped by an invalid one, fixes it, saves, and finds the score after a reload.
 *
 * Needs Chromium (Debian's, `npm run provision` installs it; or CHROMIUM_PATH): without it the run names it as not run,
 * and CI refuses to start.
 */
import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { createSecretBox } from '../../server/auth/secret-box';
import { seedDemo, type DemoAccount } from '../../server/demo/seed';
import { seedDemoTimeline } from '../../server/demo/timeline';
import { stepsOf } from '../../domain/timeline';
import { runDueSteps } from '../../server/timeline/engine';
import { loadTimeline, schoolCalendar } from '../../server/timeline/store';
import { freshDatabase, type FreshDb } from '../helpers/databases';
import { integration } from '../helpers/integrations';
import { Client, freshTotp } from '../helpers/client';
import { seedPreviousYear } from '../../server/transcripts/previous-year';
import { testConfig } from '../helpers/server';
import { buildPortal, sharedPortal, servePortal } from '../helpers/portal-build';

const CHROMIUM = integration('chromium');

describe.skipIf(!CHROMIUM)('portal end to end', () => {
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
    accounts = await seedDemo(fresh.db, { secretBox: createSecretBox(config.sessionSecret), students: 60 });

    // The API as createApp builds it, behind the freshly built portal (served first, SPA fallback to index.html).
    const api = createApp({ db: fresh.db, config });
    ({ server, base } = await servePortal(distDir, api));
    // Sign-in accepts the configured origin only (never one merely equal to Host): the portal is served from here.
    config.corsOrigin = base;

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await fresh?.drop();
  });

  it('builds Brotli and gzip copies of every script, and a second start finds the build up to date', async () => {
    const assets = fs.readdirSync(path.join(distDir, 'assets')).filter((f) => /\.(js|css)$/.test(f));
    expect(assets.length).toBeGreaterThan(0);
    for (const f of assets) {
      const file = path.join(distDir, 'assets', f);
      const raw = fs.readFileSync(file);
      if (raw.length < 1024) continue;
      expect(zlib.brotliDecompressSync(fs.readFileSync(`${file}.br`)).equals(raw), `${f}.br`).toBe(true);
      expect(zlib.gunzipSync(fs.readFileSync(`${file}.gz`)).equals(raw), `${f}.gz`).toBe(true);
    }
    const builtAt = fs.statSync(path.join(distDir, 'index.html')).mtimeMs;
    const again = await buildPortal(distDir);
    expect(again).toMatch(/up to date/);
    expect(fs.statSync(path.join(distDir, 'index.html')).mtimeMs).toBe(builtAt);
  });

  it('shows the login page with the sign-in scripts alone: under 250 KB gzipped, the app loaded only after signing in', async () => {
    const context = await browser.newContext({ locale: 'vi-VN' }); // an empty cache
    const page = await context.newPage();
    const scripts: string[] = [];
    page.on('request', (r) => {
      const m = /\/assets\/([^/?]+\.js)$/.exec(new URL(r.url()).pathname);
      if (m) scripts.push(m[1]);
    });
    await page.goto(`${base}/`);
    await page.waitForSelector('input[name=username]', { timeout: 20_000 });
    const beforeSignIn = [...new Set(scripts)]; // a module preloaded and then imported is one download
    const gzipped = beforeSignIn.reduce((sum, f) => sum + fs.statSync(path.join(distDir, 'assets', `${f}.gz`)).size, 0);
    expect(gzipped, `loaded before signing in: ${beforeSignIn.join(", ")}`).toBeLessThan(250 * 1024);
    expect(beforeSignIn.some((f) => f.startsWith('App-')), `loaded before signing in: ${beforeSignIn.join(', ')}`).toBe(false);
    // The language chosen here is the app's after signing in (one persisted store).
    await page.click('button:has-text("Tiếng Việt")');
    await page.click('li[role=menuitem]:has-text("English")');
    await page.waitForSelector('button[type=submit]:has-text("Sign in")', { timeout: 10_000 }); // English loads on demand
    const teacher = accounts.find((a) => a.role === 'subject_teacher')!;
    await page.fill('input[name=username]', teacher.username);
    await page.fill('input[name=password]', 'Demo-2026-hocba');
    await page.click('button[type=submit]');
    await page.waitForSelector('text=Subject teacher', { timeout: 20_000 });
    expect(scripts.some((f) => f.startsWith('App-'))).toBe(true);
    await context.close();
  });

  it('draws the sign-in form before any script runs, keeps what was typed when the script takes over, and skips it once signed in', async () => {
    const context = await browser.newContext({ locale: 'vi-VN' });
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    // The entry script is held back: what shows until it arrives is index.html's own form.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route(/\/assets\/index-[^/]+\.js$/, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${base}/`, { waitUntil: 'commit' });
    await page.waitForSelector('input[name=username]', { state: 'visible' });
    expect(await page.locator('.qs-title').textContent()).toBe('Sổ điểm điện tử và Học bạ số');
    expect(await page.locator('.qs-label').allTextContents()).toEqual(['Tên đăng nhập', 'Mật khẩu']);
    await expect(page.locator('button.qs-submit').isDisabled()).resolves.toBe(true); // nothing to sign in with yet
    const teacher = accounts.find((a) => a.role === 'subject_teacher')!;
    await page.fill('input[name=username]', teacher.username);
    await page.fill('input[name=password]', 'Demo-2026-hocba');
    await page.focus('input[name=password]');
    // Enter in the drawn form goes nowhere (no <form>: the password never reaches the address bar).
    await page.keyboard.press('Enter');
    expect(page.url()).toBe(`${base}/`);
    release();
    await page.waitForSelector('button[type=submit]:enabled', { timeout: 20_000 });
    // QuickSignIn took over with the same labels, what was typed, and the cursor where it was.
    expect(await page.locator('.qs-label').allTextContents()).toEqual(['Tên đăng nhập', 'Mật khẩu']);
    expect(await page.inputValue('input[name=username]')).toBe(teacher.username);
    expect(await page.inputValue('input[name=password]')).toBe('Demo-2026-hocba');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('password');
    await page.click('button[type=submit]');
    await page.waitForSelector('text=Giáo viên bộ môn', { timeout: 20_000 });
    // Signed in: a reload shows "Đang tải…" until the app is there, never the form.
    let releaseAgain!: () => void;
    const heldAgain = new Promise<void>((r) => (releaseAgain = r));
    await page.unroute(/\/assets\/index-[^/]+\.js$/);
    await page.route(/\/assets\/index-[^/]+\.js$/, async (route) => {
      await heldAgain;
      await route.continue();
    });
    await page.reload({ waitUntil: 'commit' });
    await page.waitForSelector('.boot', { state: 'visible' });
    expect(await page.locator('input[name=username]').isVisible()).toBe(false);
    releaseAgain();
    await page.waitForSelector('text=Giáo viên bộ môn', { timeout: 20_000 });
    expect(violations).toEqual([]);
    await context.close();
  });

  it('signs a teacher in through the login page and shows their roles on the dashboard', async () => {
    const teacher = accounts.find((a) => a.role === 'homeroom_teacher');
    expect(teacher, 'the demo seed has a homeroom teacher account').toBeDefined();
    const page = await browser.newPage({ locale: 'vi-VN', viewport: { width: 1280, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));

    await page.goto(`${base}/`);
    // Not signed in: the app sends us to the login page, in Vietnamese by default.
    await page.waitForSelector('input[name=username]', { timeout: 20_000 });
    await expect(page.locator('button[type=submit]').textContent()).resolves.toMatch(/Đăng nhập/i);

    // A wrong password is refused with the server's Vietnamese message, and we stay on the login page.
    await page.fill('input[name=username]', teacher!.username);
    await page.fill('input[name=password]', 'sai-mat-khau-1');
    await page.click('button[type=submit]');
    await expect(page.locator('[role=alert]').textContent({ timeout: 10_000 })).resolves.toMatch(/Sai tên đăng nhập hoặc mật khẩu/);

    await page.fill('input[name=password]', teacher!.password);
    await page.click('button[type=submit]');
    const card = page.locator('[data-testid=dashboard-identity]');
    await card.waitFor({ timeout: 20_000 });

    // The scope is spelled out with class names, not ids (the names arrive with the reference data: wait for them).
    await page.waitForFunction(() => /Chủ nhiệm lớp: \d{1,2}A\d/.test(document.querySelector('[data-testid=dashboard-identity]')?.textContent ?? ''), undefined, { timeout: 20_000 }).catch(() => undefined);
    const text = (await card.textContent()) ?? '';
    expect(text).toContain(teacher!.fullName);
    expect(text).toContain('Giáo viên chủ nhiệm');
    // The scope is spelled out with class names, not ids.
    expect(text).toMatch(/Chủ nhiệm lớp: \d{1,2}A\d/);

    // The menu offers what a teacher may list, and not the accounts or the audit log.
    const menu = (await page.locator('.RaMenu-open, .RaSidebar-fixed').first().textContent()) ?? '';
    expect(menu).toContain('Học sinh');
    expect(menu).not.toContain('Tài khoản');
    expect(menu).not.toContain('Nhật ký hệ thống');
    // Nor the school's setup, which a teacher cannot change.
    expect(menu).not.toContain('Tổ chức nhà trường');
    expect(menu).not.toContain('Phân công giảng dạy');
    // The home page shows the teacher's week, not a "coming soon" placeholder.
    await page.locator('[data-testid=my-week]').waitFor({ timeout: 20_000 });
    expect(await page.textContent('body')).not.toContain('Sắp ra mắt');

    expect(pageErrors).toEqual([]);
    await page.close();
  }, 90_000);

  it('lets a subject teacher type scores into the grade book, flags an invalid one, saves and keeps them', async () => {
    const teacher = accounts.find((a) => a.role === 'subject_teacher')!;
    const page = await browser.newPage({ locale: 'vi-VN', viewport: { width: 1366, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${base}/`);
    await page.fill('input[name=username]', teacher.username, { timeout: 20_000 });
    await page.fill('input[name=password]', teacher.password);
    await page.click('button[type=submit]');
    await page.getByRole('menuitem', { name: 'Sổ điểm', exact: true }).click({ timeout: 20_000 });
    // The teacher's first assignment opens by default, in the semester today falls in.
    const cell = (row: number, key: string) => page.locator(`[data-testid=gradebook-grid] td[data-row="${row}"][data-key="${key}"]`);
    await cell(0, 'regular:1').waitFor({ timeout: 20_000 });
    await expect(page.locator('[data-testid=gradebook-title]').textContent()).resolves.toMatch(/^\d{1,2}A\d · .+ · Học kỳ I{1,2}$/);

    // Spreadsheet keyboard: typing overwrites, Enter moves down.
    await cell(0, 'regular:1').click();
    await page.keyboard.type('8,5');
    await page.keyboard.press('Enter');
    await page.keyboard.type('11');
    await page.keyboard.press('Enter');
    await expect(cell(0, 'regular:1').textContent()).resolves.toBe('8,5');
    await expect(cell(1, 'regular:1').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(cell(1, 'regular:1').getAttribute('title')).resolves.toBe('Điểm phải từ 0 đến 10.');

    // Lưu is refused on the client and puts the keyboard back on the red cell, whose reason is spelled out.
    await page.click('[data-testid=gradebook-save]');
    await expect(page.locator('[data-testid=cell-message]').textContent()).resolves.toBe('Điểm phải từ 0 đến 10.');
    await page.keyboard.type('9');
    await page.keyboard.press('Enter');
    await expect(cell(1, 'regular:1').getAttribute('aria-invalid')).resolves.toBe('false');
    await page.click('[data-testid=gradebook-save]');
    await page.getByText('Đã lưu 2 thay đổi.').waitFor({ timeout: 10_000 });

    await page.reload();
    await cell(0, 'regular:1').waitFor({ timeout: 20_000 });
    await expect(cell(0, 'regular:1').textContent()).resolves.toBe('8,5');
    await expect(cell(1, 'regular:1').textContent()).resolves.toBe('9');
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 60_000);

  const accountFor = (role: string) => accounts.find((a) => a.role === role)!;

  it('shows a teacher the bell count; the inbox item opens the exact grid it is about', async () => {
    // The demo timeline, run up to now by the embedded engine: the teachers who owe scores get reminders.
    // Then up to this week's reminder (Friday 07:00), which goes to every teacher owing this week's scores.
    const yearId = (await seedDemoTimeline(fresh.db))!;
    const now = new Date().toISOString();
    await runDueSteps(fresh.db, now);
    const tl = (await loadTimeline(fresh.db, yearId))!;
    const remind = stepsOf(tl.config, await schoolCalendar(fresh.db, yearId)).find((st) => st.step === 'weekly-remind' && st.at > now);
    expect(remind, 'a weekly reminder is still ahead in the demo year').toBeDefined();
    await runDueSteps(fresh.db, remind!.at);
    // Whoever got this week's reminder: a subject teacher of the demo school (every account has the demo password).
    const row = (await fresh.db('notifications as n').join('users as u', 'u.id', 'n.user_id').where('n.kind', 'remind').orderBy('n.id').first('u.username')) as { username: string } | undefined;
    const teacher = row && { ...accountFor('subject_teacher'), username: row.username };
    const unread = row
      ? Number(((await fresh.db('notifications as n').join('users as u', 'u.id', 'n.user_id').where('u.username', row.username).whereNull('n.read_at').count({ n: '*' }).first()) as { n: number | string }).n)
      : 0;
    expect(teacher, 'a teacher got a reminder').toBeDefined();
    const page = await browser.newPage({ locale: 'vi-VN', viewport: { width: 1366, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${base}/`);
    await page.fill('input[name=username]', teacher!.username, { timeout: 20_000 });
    await page.fill('input[name=password]', teacher!.password);
    await page.click('button[type=submit]');
    await page.locator('[data-testid=dashboard-identity]').waitFor({ timeout: 20_000 });

    const bell = page.locator('[data-testid=notification-bell]');
    const count = async () => Number(await bell.getAttribute('data-count'));
    await expect.poll(count, { timeout: 10_000 }).toBe(unread);
    await expect(page.locator('[data-testid=notification-count] .MuiBadge-badge').textContent()).resolves.toBe(unread > 99 ? '99+' : String(unread));
    await page.click('[data-testid=notification-bell]');
    const first = page.locator('[data-testid=inbox-item][data-unread=true]').filter({ hasText: 'Nhắc việc' }).first();
    await first.waitFor({ timeout: 20_000 });
    const title = (await first.textContent()) ?? '';
    expect(title).toMatch(/Nhắc việc: .+ — còn thiếu \d+/);
    // Unread items are bold.
    await expect(first.locator('[data-testid=inbox-title]').evaluate((el) => getComputedStyle(el).fontWeight)).resolves.toBe('700');

    await first.locator('[data-testid=inbox-open]').click();
    await page.waitForURL(/#\/gradebook\?classId=\d+&subjectId=\d+&semesterId=\d+/, { timeout: 20_000 });
    await page.locator('[data-testid=gradebook-grid]').waitFor({ timeout: 20_000 });
    await expect(page.locator('[data-testid=gradebook-title]').textContent()).resolves.toMatch(/^\d{1,2}A\d · .+ · Học kỳ I{1,2}$/);
    // The item is read now, and the bell says one less.
    await expect.poll(count, { timeout: 10_000 }).toBe(unread - 1);
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 90_000);

  /** Signs `role`'s demo account in (with a fresh TOTP code when it has one) at this viewport. */
  async function signedIn(role: string, viewport = { width: 1366, height: 768 }, touch = false) {
    const account = accountFor(role);
    const page = await browser.newPage({ locale: 'vi-VN', viewport, hasTouch: touch });
    const pageErrors: string[] = [];
    const refused: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('response', (r) => void (r.status() === 403 && refused.push(r.url())));
    await page.goto(`${base}/`);
    await page.fill('input[name=username]', account.username, { timeout: 20_000 });
    await page.fill('input[name=password]', account.password);
    await page.click('button[type=submit]');
    if (account.totpSecret) {
      await page.fill('input[name=code]', await freshTotp(account.totpSecret, base), { timeout: 20_000 });
      await page.click('button[type=submit]');
    }
    await page.locator('[data-testid=dashboard-identity]').waitFor({ timeout: 20_000 });
    return { page, pageErrors, refused };
  }

  it('uses a 1366×768 screen for the grid: at least 14 rows fit under a header that stays while scrolling', async () => {
    const { page, pageErrors } = await signedIn('subject_teacher');
    await page.goto(`${base}/#/gradebook`);
    const grid = page.locator('[data-testid=gradebook-grid]');
    await grid.locator('tbody tr').first().waitFor({ timeout: 20_000 });
    const fit = await grid.evaluate((el) => {
      const head = el.querySelector('thead')!.getBoundingClientRect().height;
      const row = el.querySelector('tbody tr')!.getBoundingClientRect().height;
      const box = el.getBoundingClientRect();
      return { rows: Math.floor((el.clientHeight - head) / row), bottom: box.bottom, pageScrolls: document.scrollingElement!.scrollWidth > window.innerWidth };
    });
    // Was 10 (34 px rows in a box 300 px shorter than the window).
    expect(fit.rows, JSON.stringify(fit)).toBeGreaterThanOrEqual(14);
    expect(fit.bottom).toBeLessThanOrEqual(768);
    expect(fit.pageScrolls, 'nothing sticks out sideways').toBe(false);
    // Sticky header: scrolled down, the column titles are still at the top of the grid.
    await grid.evaluate((el) => el.scrollBy(0, 200));
    const [gridTop, headTop] = await grid.evaluate((el) => [el.getBoundingClientRect().top, el.querySelector('thead th')!.getBoundingClientRect().top]);
    expect(Math.abs(headTop - gridTop)).toBeLessThanOrEqual(2);
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 60_000);

  it('tells a role that may not use a page so, once, instead of failing with 403s', async () => {
    const { page, pageErrors, refused } = await signedIn('accountant');
    for (const route of ['/gradebook', '/results/lists', '/users']) {
      await page.goto(`${base}/#${route}`);
      const notice = page.locator('[data-testid=no-access]');
      await notice.waitFor({ timeout: 20_000 });
      await expect(notice.textContent()).resolves.toContain('Bạn đang đăng nhập với vai trò: Kế toán');
    }
    // The custom pages ask the API nothing they would be refused (the users list's one query at most).
    expect(refused.filter((u) => !/\/api\/users\?/.test(u))).toEqual([]);
    await page.getByRole('link', { name: 'Về trang chủ' }).click();
    await page.locator('[data-testid=dashboard-identity]').waitFor({ timeout: 20_000 });
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 60_000);

  it('does not let the principal approve year-end lists while results are missing, and says what is missing', async () => {
    const { page, pageErrors } = await signedIn('principal');
    await page.goto(`${base}/#/results/lists?scope=school&list=promotion`);
    const notice = page.locator('[data-testid=lists-not-ready]');
    await notice.waitFor({ timeout: 30_000 });
    const text = (await notice.textContent()) ?? '';
    expect(text).toMatch(/Chưa thể phê duyệt: \d+ trong \d+ học sinh còn thiếu dữ liệu cuối năm/);
    expect(text).toMatch(/\d{1,2}A\d – .+ HK I{1,2}: \d+ học sinh/);
    await expect(page.getByRole('button', { name: 'Phê duyệt', exact: true }).isDisabled()).resolves.toBe(true);
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 60_000);

  it('warns before a test date that closes the column, and offers the principal\'s approval to correct a closed column\'s date', async () => {
    const { page, pageErrors } = await signedIn('subject_teacher');
    await page.goto(`${base}/#/gradebook`);
    const input = page.locator('[data-testid=test-date-midterm]');
    await input.waitFor({ timeout: 20_000 });
    const day = (offset: number) => new Date(Date.now() + 7 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10).split('-').reverse().join('/');
    // Ten days ago: the window (7 days) has passed. Cancelling the warning saves nothing.
    await input.fill(day(-10));
    await input.press('Enter');
    const dialog = page.getByRole('dialog');
    await expect(dialog.textContent({ timeout: 10_000 })).resolves.toMatch(/Lưu ngày này sẽ khóa ngay cột ĐĐGgk: \d+\/\d+ học sinh chưa có điểm/);
    await dialog.getByRole('button', { name: 'Hủy' }).click();
    await expect(input.inputValue()).resolves.toBe('');
    // Confirmed: saved.
    await input.fill(day(-10));
    await input.press('Enter');
    await page.getByRole('button', { name: 'Đúng ngày, vẫn lưu' }).click();
    await page.getByText('Đã lưu ngày kiểm tra').waitFor({ timeout: 10_000 });
    await expect.poll(() => input.inputValue(), { timeout: 10_000 }).toBe(day(-10));
    // The column is closed now: moving the date is the principal's decision; the page offers the request.
    await input.fill(day(-2));
    await input.press('Enter');
    const fix = page.locator('[data-testid=test-date-fix-dialog]');
    await expect(fix.textContent({ timeout: 10_000 })).resolves.toMatch(/gửi đề nghị sửa ngày kiểm tra để Hiệu trưởng phê duyệt/);
    await fix.getByLabel('Lý do').fill('Ghi nhầm ngày kiểm tra giữa kỳ');
    await fix.getByRole('button', { name: 'Gửi đề nghị' }).click();
    await page.getByText('Đã gửi đề nghị sửa ngày kiểm tra').waitFor({ timeout: 10_000 });
    const filed = (await fresh.db('unlock_request_test_dates').orderBy('unlock_request_id', 'desc').first()) as Record<string, unknown>;
    expect(filed).toMatchObject({ kind: 'midterm', new_date: day(-2).split('/').reverse().join('-'), old_date: day(-10).split('/').reverse().join('-') });
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 60_000);

  it('asks to unlock a whole column at once: its header selects it, the request names every closed cell', async () => {
    // ĐĐGtx 2 of the teacher's first grade book, entered three weeks ago: closed since that week's Friday cutoff.
    const teacher = accountFor('subject_teacher');
    const user = (await fresh.db('users').where({ username: teacher.username }).first('id', 'staff_id')) as { id: number; staff_id: number };
    const book = (await fresh.db('teaching_assignments as a')
      .join('classes as c', 'c.id', 'a.class_id')
      .where({ 'a.staff_id': user.staff_id })
      .orderBy([{ column: 'c.grade' }, { column: 'c.name' }])
      .first('a.class_id', 'a.subject_id', 'c.school_id', 'c.school_year_id')) as Record<string, number>;
    const semester = (await fresh.db('semesters').where({ school_year_id: book.school_year_id, number: 1 }).first('id')) as { id: number };
    const roll = (await fresh.db('enrolments').where({ class_id: book.class_id, status: 'active' }).select('student_id')) as Array<{ student_id: number }>;
    const then = new Date(Date.now() - 21 * 86_400_000).toISOString();
    const cell = { school_id: book.school_id, semester_id: semester.id, class_id: book.class_id, subject_id: book.subject_id, kind: 'regular', seq: 2, first_entered_at: then, entered_by: user.id, updated_at: then, updated_by: user.id, version: 1 };
    await fresh.db('assessment_scores').where({ class_id: book.class_id, subject_id: book.subject_id, semester_id: semester.id, kind: 'regular', seq: 2 }).delete();
    await fresh.db('assessment_scores').insert(roll.map((r) => ({ ...cell, student_id: r.student_id, score: '7', grade_text: null })));

    const { page, pageErrors } = await signedIn('subject_teacher');
    await page.goto(`${base}/#/gradebook?classId=${book.class_id}&subjectId=${book.subject_id}&semesterId=${semester.id}`);
    const grid = page.locator('[data-testid=gradebook-grid]');
    await grid.locator('tbody tr').first().waitFor({ timeout: 20_000 });
    // The regular column whose cells are closed the most (scores entered before past weekly cutoffs).
    const counts = await grid.evaluate((el) =>
      [...el.querySelectorAll('th[data-select-col]')].map((th) => {
        const col = (th as HTMLElement).dataset.selectCol;
        return el.querySelectorAll(`td[data-col="${col}"][data-key^="regular"].is-closed`).length;
      }),
    );
    const col = counts.indexOf(Math.max(...counts));
    const closed = counts[col];
    expect(closed, `the demo has closed cells: ${JSON.stringify(counts)} in ${await page.locator('[data-testid=gradebook-title]').textContent()}`).toBeGreaterThan(1);
    await grid.locator(`th[data-select-col="${col}"]`).click();
    const rows = await grid.locator('tbody tr').count();
    await expect(grid.locator(`td[data-col="${col}"].is-selected`).count()).resolves.toBe(rows);
    const button = page.locator('[data-testid=request-unlock]');
    await expect(button.textContent()).resolves.toContain(`(${closed} ô)`);
    await button.click();
    const dialog = page.locator('[data-testid=unlock-dialog]');
    await expect(dialog.locator('[data-testid=unlock-lines] li').count()).resolves.toBe(closed);
    await dialog.getByLabel('Lý do').fill('Nhập nhầm cả cột');
    const before = Number(((await fresh.db('unlock_requests').count({ n: '*' }).first()) as { n: number }).n);
    await dialog.getByRole('button', { name: 'Gửi đề nghị' }).click();
    await dialog.waitFor({ state: 'detached', timeout: 10_000 });
    const last = (await fresh.db('unlock_requests').orderBy('id', 'desc').first('id')) as { id: number };
    expect(Number(((await fresh.db('unlock_requests').count({ n: '*' }).first()) as { n: number }).n)).toBe(before + 1);
    expect(Number(((await fresh.db('unlock_request_cells').where({ unlock_request_id: last.id }).count({ n: '*' }).first()) as { n: number }).n)).toBe(closed);
    // A student's row: their name selects their score cells.
    await grid.locator('tbody th[data-select-row="0"]').click();
    await expect(grid.locator('tbody tr').first().locator('td.is-selected').count()).resolves.toBe(counts.length);
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 60_000);

  it('shows a parent their child\'s scores on a 390 px phone, from the home page, without sideways scrolling', async () => {
    const { page, pageErrors, refused } = await signedIn('student', { width: 390, height: 844 });
    await page.locator('[data-testid=week-record]').getByRole('link', { name: 'Xem điểm' }).click();
    const record = page.locator('[data-testid=student-record]');
    await record.waitFor({ timeout: 20_000 });
    const subjects = record.locator('[data-testid=record-subject]');
    await expect(subjects.count()).resolves.toBeGreaterThan(5);
    await expect(subjects.first().textContent()).resolves.toMatch(/^Ngữ văn/);
    await expect(record.locator('[data-testid=record-conduct]').count()).resolves.toBe(1);
    await expect(page.evaluate(() => document.scrollingElement!.scrollWidth <= window.innerWidth)).resolves.toBe(true);
    // The whole year: its results come once both semesters are complete.
    await page.getByRole('button', { name: 'Cả năm' }).click();
    await expect(record.locator('[data-testid=record-year]').textContent()).resolves.toMatch(/Kết quả cả năm sẽ có|Lên lớp|Ở lại lớp|Chờ/);
    expect(refused).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 60_000);

  it('enters and saves scores on a 390×844 phone: a column at a time with the numeric keypad; one tap edits a grid cell', async () => {
    const { page, pageErrors } = await signedIn('subject_teacher', { width: 390, height: 844 }, true);
    await page.goto(`${base}/#/gradebook`);
    // A narrow screen opens on one column, students down the page.
    const entry = page.locator('[data-testid=column-entry]');
    await entry.waitFor({ timeout: 20_000 });
    const open = entry.locator('[data-testid=column-entry-row] input:not([disabled])');
    await expect(open.count()).resolves.toBeGreaterThan(1);
    await expect(open.first().getAttribute('inputmode')).resolves.toBe('decimal');
    const column = (await entry.locator('[role=combobox]').textContent())?.trim();
    // Two students next to each other who have no score in this column yet.
    const firstTwo = await entry.evaluate((el) => {
      const inputs = [...el.querySelectorAll<HTMLInputElement>('[data-testid=column-entry-row] input:not([disabled])')];
      const i = inputs.findIndex((x, k) => x.value === '' && inputs[k + 1]?.value === '');
      return [inputs[i].getAttribute('aria-label'), inputs[i + 1].getAttribute('aria-label')];
    });
    await entry.getByLabel(firstTwo[0]!).fill('8,5');
    await entry.getByLabel(firstTwo[0]!).press('Enter');
    // Enter moves to the next student who can be entered.
    await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).resolves.toBe(firstTwo[1]);
    await page.keyboard.type('7');
    // Lưu stays at the bottom of the screen.
    const save = page.locator('[data-testid=column-save]');
    const box = await save.boundingBox();
    expect(box!.y + box!.height).toBeLessThanOrEqual(844);
    await save.tap();
    await page.getByText('Đã lưu 2 thay đổi.').waitFor({ timeout: 10_000 });
    await page.reload();
    await entry.waitFor({ timeout: 20_000 });
    if ((await entry.locator('[role=combobox]').textContent())?.trim() !== column) {
      await entry.locator('[role=combobox]').click();
      await page.getByRole('option', { name: column!, exact: true }).click();
    }
    await expect(entry.getByLabel(firstTwo[0]!).inputValue()).resolves.toBe('8,5');
    await expect(entry.getByLabel(firstTwo[1]!).inputValue()).resolves.toBe('7');
    await expect(page.evaluate(() => document.scrollingElement!.scrollWidth <= window.innerWidth)).resolves.toBe(true);
    // The grid: one tap on an open cell opens its editor with the numeric keypad.
    await page.getByRole('button', { name: 'Bảng điểm' }).tap();
    const grid = page.locator('[data-testid=gradebook-grid]');
    const cell = grid.locator('td[data-key^="regular"]:not(.is-closed)').first();
    await cell.tap();
    await expect(grid.locator('input.gb-editor').getAttribute('inputmode')).resolves.toBe('decimal');
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 90_000);

  it('keeps the conduct page\'s Lưu and the progress page on a 390 px screen', async () => {
    const { page, pageErrors } = await signedIn('homeroom_teacher', { width: 390, height: 844 });
    await page.goto(`${base}/#/conduct`);
    const save = page.locator('[data-testid=conduct-save]');
    await save.waitFor({ timeout: 20_000 });
    const box = await save.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    expect(box!.y + box!.height).toBeLessThanOrEqual(844);
    await expect(page.evaluate(() => document.scrollingElement!.scrollWidth <= window.innerWidth)).resolves.toBe(true);
    await page.goto(`${base}/#/progress`);
    await page.locator('[data-testid=progress-totals]').waitFor({ timeout: 20_000 });
    await expect(page.evaluate(() => document.scrollingElement!.scrollWidth <= window.innerWidth)).resolves.toBe(true);
    const totals = await page.locator('[data-testid=progress-totals]').boundingBox();
    expect(totals!.x + totals!.width).toBeLessThanOrEqual(390);
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 60_000);

  it('opens the check page from a printed grade book\'s QR address without signing in, and compares a PDF copy', async () => {
    // A VP asks to print 6A1's semester I book; the principal approves it.
    const vp = await new Client(base).loginAs(accountFor('vice_principal'));
    const principal = await new Client(base).loginAs(accountFor('principal'));
    const klass = (await fresh.db('classes').where({ name: '6A1' }).orderBy('id').first('id')) as { id: number };
    const asked = await vp.post('/api/print-runs', { classId: klass.id, period: '1' });
    expect(asked.status).toBe(201);
    const run = (await principal.post(`/api/print-runs/${asked.body.id}/decision`, { decision: 'approve' })).body;
    const pdf = await principal.download(`/api/print-runs/${run.id}/pdf`);
    expect(pdf.status).toBe(200);
    const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'printed-copy-')), 'printed-copy.pdf');
    fs.writeFileSync(copy, pdf.bytes);

    // A visitor's phone follows the printed address (the API's), and lands on the portal's page.
    const context = await browser.newContext({ locale: 'vi-VN', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${base}/api/public/printed/${run.verificationCode}`);
    const valid = page.locator('[data-testid=printed-valid]');
    await valid.waitFor({ timeout: 20_000 });
    await expect(valid.textContent()).resolves.toContain('6A1');
    await expect(valid.textContent()).resolves.toContain(run.sha256);
    await page.locator('[data-testid=printed-file]').setInputFiles(copy);
    await expect(page.locator('[data-testid=printed-match]').textContent({ timeout: 10_000 })).resolves.toContain('trùng khớp từng byte');
    // A changed copy does not match; a wrong code says so.
    fs.writeFileSync(copy, Buffer.concat([pdf.bytes, Buffer.from('\n%edited')]));
    await page.locator('[data-testid=printed-file]').setInputFiles(copy);
    await expect.poll(() => page.locator('[data-testid=printed-match]').textContent(), { timeout: 10_000 }).toContain('KHÔNG trùng');
    await page.goto(`${base}/#/kiem-tra-ban-in/ABCDEFGHJK`);
    await page.locator('[data-testid=printed-invalid]').waitFor({ timeout: 20_000 });
    await context.close();
    fs.rmSync(path.dirname(copy), { recursive: true, force: true });
  }, 90_000);

  it('lists overdue work one line per column for the VP, each line opening its grade book', async () => {
    const { page, pageErrors } = await signedIn('vice_principal');
    await page.goto(`${base}/#/progress?view=overdue`);
    const row = page.locator('[data-testid=overdue-row]').first();
    await row.waitFor({ timeout: 30_000 });
    await expect(row.textContent()).resolves.toMatch(/\d+ học sinh/);
    const book = ((await row.locator('[data-testid=overdue-link]').textContent()) ?? '').trim();
    await row.locator('[data-testid=overdue-link]').click();
    await page.waitForURL(/#\/gradebook\?classId=\d+&subjectId=\d+&semesterId=\d+/, { timeout: 20_000 });
    await expect(page.locator('[data-testid=gradebook-title]').textContent({ timeout: 20_000 })).resolves.toContain(book);
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 60_000);

  it('shows subject names on the summary sheet, and points a newcomer in November to last year\'s real results', async () => {
    const past = (await seedPreviousYear(fresh.db))!;
    const { page, pageErrors } = await signedIn('principal');
    await page.goto(`${base}/#/results/summary`);
    const hint = page.locator('[data-testid=summary-nothing-yet]');
    await hint.waitFor({ timeout: 30_000 });
    const heads = await page.locator('th.subject').allTextContents();
    expect(heads).toContain('Ngữ văn');
    expect(heads).toContain('Giáo dục thể chất');
    expect(heads.join(' ')).not.toMatch(/NGU-VAN|GDTC/);
    await hint.getByRole('button', { name: `Xem năm học ${past.name}` }).click();
    await page.waitForURL(new RegExp(`yearId=${past.schoolYearId}`), { timeout: 10_000 });
    const counts = page.locator('[data-testid=summary-counts]');
    await counts.getByText('Lên lớp:').waitFor({ timeout: 30_000 });
    // A finished year: every student has a learning result, and the year's decision is there.
    const chips = (await counts.textContent()) ?? '';
    expect(chips).toContain('Chưa đủ dữ liệu: 0');
    expect(chips).toMatch(/Khá: [1-9]/);
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 90_000);
});
