/**
 * The "Đồng bộ CSDL" page end to end (issue 13): a portal built from the current sources, the real API on a fresh
 * SQLite database with last school year's transcripts sealed except one class, the receiving service on its own
 * loopback port, headless Chromium. A vice principal builds a batch with the seal's PIN, watches it come back
 * answered, opens it to the students' statuses in Vietnamese (accepted; not ready: the seal missing), and downloads
 * the ZIP, whose manifest seal verifies. Screenshots go to $PORTAL_SCREENSHOTS when it is set.
 */
import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { createSecretBox } from '../../server/auth/secret-box';
import { seedDemo, type DemoAccount } from '../../server/demo/seed';
import { manifestSealProblem, readManifest } from '../../server/sync/manifest';
import { whenSyncSettled } from '../../server/sync/operations';
import { unzipPacket } from '../../server/sync/zip';
import { startReceiver, type RunningReceiver } from '../../server/sync-receiver/server';
import { DEMO_PIN, seedDemoSigning } from '../../server/transcripts/seed';
import { freshDatabase, type FreshDb } from '../helpers/databases';
import { integration } from '../helpers/integrations';
import { sharedPortal, launchChromium, servePortal, signInAs } from '../helpers/portal-build';
import { testConfig } from '../helpers/server';
import { signYearExcept } from '../helpers/sync';

const CHROMIUM = integration('chromium');
const SHOTS = process.env.PORTAL_SCREENSHOTS;

describe.skipIf(!CHROMIUM)('the sync page end to end', () => {
  let fresh: FreshDb;
  let server: Server;
  let browser: Browser;
  let receiver: RunningReceiver;
  let base: string;
  let accounts: DemoAccount[];
  let distDir: string;
  let dataDir: string;
  let yearName: string;
  let schoolCode: string;
  let yearId: number;
  let unsealed: { id: number; name: string };
  let box: ReturnType<typeof createSecretBox>;
  const anchors: string[] = [];

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-e2e-'));
    const [db, dist] = await Promise.all([freshDatabase('sqlite'), sharedPortal()]);
    distDir = dist;
    fresh = db;
    receiver = await startReceiver({ dataDir, trustAnchors: anchors });
    const config = testConfig({ databaseUrl: fresh.url, syncEndpoint: receiver.url, syncRetryBaseMs: 10 });
    const secretBox = createSecretBox(config.sessionSecret);
    box = secretBox;
    accounts = await seedDemo(fresh.db, { secretBox, students: 40 });
    ({ server, base } = await servePortal(distDir, createApp({ db: fresh.db, config })));
    config.corsOrigin = base;
    const seeded = await seedDemoSigning(fresh.db, { secretBox, sign: false, publicUrl: base });
    yearName = seeded.previousYear!.name;
    const school = (await fresh.db('schools').orderBy('id').first('id', 'code')) as { id: number; code: string };
    schoolCode = school.code;
    anchors.push(((await fresh.db('certificates').where({ kind: 'root' }).first('pem')) as { pem: string }).pem);
    yearId = seeded.previousYear!.schoolYearId;
    const last = (await fresh.db('classes').where({ school_year_id: yearId }).orderBy('name', 'desc').first('id', 'name')) as { id: number; name: string };
    unsealed = { id: Number(last.id), name: last.name };
    await signYearExcept(fresh.db, { schoolId: Number(school.id), schoolYearId: seeded.previousYear!.schoolYearId, box: secretBox, unsealedClassId: Number(last.id) });
    browser = await launchChromium(CHROMIUM);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await whenSyncSettled();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await receiver?.close();
    await fresh?.drop();
    for (const d of [dataDir]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  /** A vice principal signed in, on the home page; page errors collected. */
  async function vicePrincipalPage(viewport: { width: number; height: number }) {
    const vp = accounts.find((a) => a.role === 'vice_principal')!;
    const page = await browser.newPage({ locale: 'vi-VN', viewport, acceptDownloads: true });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signInAs(page, base, vp.username);
    await page.locator('[data-testid=dashboard-identity]').waitFor({ timeout: 20_000 });
    return { page, errors };
  }

  it('lets a vice principal send a batch, read each student’s status and download the ZIP', async () => {
    const { page, errors } = await vicePrincipalPage({ width: 1280, height: 900 });

    await page.getByRole('menuitem', { name: 'Đồng bộ CSDL', exact: true }).click({ timeout: 20_000 });
    await page.locator('[data-testid=year-select]').click();
    await page.getByRole('option', { name: yearName }).click();
    await expect(page.getByText('Chưa có đợt đồng bộ nào cho năm học này.').waitFor({ timeout: 20_000 })).resolves.toBeUndefined();
    // Automatic sync is off until a seal holder allows it; a vice principal holds no seal, so no switch is offered.
    await expect(page.locator('[data-testid=sync-auto]').textContent()).resolves.toContain('Tự động đồng bộ theo lộ trình: đang tắt');
    expect(await page.locator('[data-testid=sync-auto-on]').count()).toBe(0);
    await page.click('[data-testid=sync-build]');
    await page.fill('[data-testid=pin-input]', DEMO_PIN);
    await page.click('[data-testid=pin-submit]');
    const row = page.locator('[data-testid=sync-batch]').first();
    await row.filter({ hasText: 'Đã có kết quả' }).waitFor({ timeout: 60_000 });
    const rowText = (await row.textContent()) ?? '';
    const [, accepted, entries] = /(\d+)\/(\d+) được tiếp nhận/.exec(rowText)!;
    expect(Number(accepted)).toBeGreaterThan(0);
    expect(accepted).toBe(entries);
    expect(rowText).toContain('Gửi qua mạng');

    await row.click();
    const records = page.locator('[data-testid=sync-records]');
    await records.waitFor({ timeout: 20_000 });
    const text = (await records.textContent()) ?? '';
    expect(text).toContain('Đã tiếp nhận');
    expect(text).toContain('Thêm mới · lần gửi 1');
    expect(text).toContain('Chưa sẵn sàng');
    expect(text).toContain('Học bạ chưa được đóng dấu, còn thiếu chữ ký: con dấu số của trường.');
    if (SHOTS) {
      fs.mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SHOTS, 'sync.png'), fullPage: true });
    }

    const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: 'Tải ZIP' }).click()]);
    const file = path.join(dataDir, 'packet.zip');
    await download.saveAs(file);
    const files = unzipPacket(fs.readFileSync(file));
    const manifestXml = files.get('manifest.xml')!.toString('utf8');
    expect(readManifest(manifestXml).entries.length).toBe(Number(entries));
    expect(manifestSealProblem(manifestXml, schoolCode, anchors)).toBeNull();
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);

  it("opens a reminder's link on one class: each student's status now, filtered by a chip, on a phone too", async () => {
    const { page, errors } = await vicePrincipalPage({ width: 390, height: 844 });
    // The link a sync reminder carries (server/timeline/sync-progress.ts).
    await page.goto(`${base}/#/sync?schoolYearId=${yearId}&classId=${unsealed.id}`);
    const panel = page.locator('[data-testid=sync-students]');
    await panel.locator('[data-testid=sync-student]').first().waitFor({ timeout: 20_000 });
    await panel.locator('[data-testid=sync-students-loading]').waitFor({ state: 'detached', timeout: 20_000 });
    const rows = await panel.locator('[data-testid=sync-student]').allTextContents();
    const enrolled = await fresh.db('enrolments').where({ class_id: unsealed.id, status: 'active' }).count({ n: '*' }).first();
    expect(rows.length).toBe(Number((enrolled as { n: number }).n));
    for (const r of rows) {
      expect(r).toContain(unsealed.name);
      expect(r).toContain('Chưa sẵn sàng');
      expect(r).toContain('con dấu số của trường');
    }
    await expect(panel.locator('[data-testid=sync-class]').textContent()).resolves.toContain(unsealed.name);
    if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'sync-students-390.png'), fullPage: true });
    // All classes: the accepted ones too; the "Đã tiếp nhận" chip shows only those.
    await panel.locator('[data-testid=sync-class]').click();
    await page.getByRole('option', { name: 'Tất cả các lớp' }).click();
    const accepted = panel.locator('[data-testid=sync-count-accepted]');
    await accepted.waitFor({ timeout: 20_000 });
    await panel.locator('[data-testid=sync-students-loading]').waitFor({ state: 'detached', timeout: 20_000 });
    const count = Number(/(\d+)$/.exec((await accepted.textContent()) ?? '')![1]);
    expect(count).toBeGreaterThan(0);
    await accepted.click();
    await expect(panel.locator('[data-testid=sync-student]').count()).resolves.toBe(count);
    const wide = await page.evaluate(() => [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > 391 && ![...e.children].some((c) => c.getBoundingClientRect().right > 391)).map((e) => `${e.tagName}.${e.className}`.slice(0, 80)).slice(0, 5));
    expect(wide).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);

  it("records a ZIP batch's result from the portal: one student refused with its reason, the rest accepted", async () => {
    await signYearExcept(fresh.db, { schoolId: 1, schoolYearId: yearId, box }); // the last class sealed now
    const { page, errors } = await vicePrincipalPage({ width: 1280, height: 900 });
    await page.goto(`${base}/#/sync?schoolYearId=${yearId}`);
    await page.getByLabel('Cách gửi').click();
    await page.getByRole('option', { name: /Xuất tệp ZIP/ }).click();
    await page.click('[data-testid=sync-build]');
    await page.fill('[data-testid=pin-input]', DEMO_PIN);
    await page.click('[data-testid=pin-submit]');
    const row = page.locator('[data-testid=sync-batch]').filter({ hasText: 'Xuất tệp ZIP' }).first();
    await row.waitFor({ timeout: 30_000 });
    await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: 'Tải ZIP' }).click()]);
    await row.getByRole('button', { name: 'Ghi nhận kết quả' }).click({ timeout: 20_000 });
    const dialog = page.locator('[data-testid=sync-receipt]');
    await dialog.getByRole('checkbox').first().waitFor({ timeout: 20_000 });
    const students = await dialog.getByRole('checkbox').count();
    expect(students).toBeGreaterThan(1);
    await dialog.getByRole('checkbox').first().check();
    await expect(dialog.locator('[data-testid=receipt-submit]').isDisabled()).resolves.toBe(true); // no reason yet
    await dialog.locator('[data-testid=receipt-reason]').fill('Sai ngày sinh so với CSDL ngành');
    if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'sync-receipt.png') });
    await dialog.locator('[data-testid=receipt-submit]').click();
    await page.getByText(`Đã ghi nhận: ${students - 1} học sinh được tiếp nhận, 1 bị từ chối`).waitFor({ timeout: 20_000 });
    await row.filter({ hasText: 'Đã có kết quả' }).waitFor({ timeout: 20_000 });
    const records = page.locator('[data-testid=sync-students]');
    await records.getByText(/^Cổng tiếp nhận từ chối: Sai ngày sinh so với CSDL ngành \(ghi nhận bởi .+\)$/).waitFor({ timeout: 20_000 });
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);
});
