import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeBackup } from '../server/backup/snapshot';
import { accountFor, Client } from './helpers/client';
import { testDatabases } from './helpers/databases';
import { startServer, type TestServer } from './helpers/server';

/** Sổ đăng ký lưu trữ (issue 12): the records clerk's register of archived books and backups. */
describe.each(testDatabases())('archive register on %s', (kind) => {
  let srv: TestServer;
  let dataDir: string;
  let clerk: Client;
  let principal: Client;
  let teacher: Client;
  let accountant: Client;
  let admin: Client;
  let yearId: number;
  let classId: number;
  let otherYearClassId: number;

  const count = async (table: string) => Number(((await srv.db(table).count({ n: '*' }).first()) as { n: number | string }).n);
  const auditCount = () => srv.db('audit_events').where({ entity: 'archive-entries' }).count({ n: '*' }).first().then((r) => Number((r as { n: number | string }).n));
  const base = () => ({ book: 'gradebook', schoolYearId: yearId, classId, period: 'Học kỳ I', pages: 48, location: 'Kệ A, hộp 3', receivedOn: '2026-11-20', retentionYears: 10 });

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hocba-archive-'));
    srv = await startServer(kind, { students: 60, config: { dataDir } });
    clerk = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'records_clerk'));
    principal = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'principal'));
    teacher = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'subject_teacher'));
    accountant = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'accountant'));
    admin = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'admin'));
    yearId = Number((await srv.db('school_years').where({ is_current: true }).first('id')).id);
    classId = Number((await srv.db('classes').where({ school_year_id: yearId }).orderBy('name').first('id')).id);
    // A class of another school year, for the "class in the school year" rule.
    const lastYear = await admin.post('/api/school-years', { name: '2025-2026', startDate: '2025-09-05', endDate: '2026-05-31', isCurrent: false });
    expect(lastYear.status, JSON.stringify(lastYear.body)).toBe(201);
    const grade = Number((await srv.db('classes').where({ id: classId }).first('grade')).grade);
    const oldClass = await admin.post('/api/classes', { schoolYearId: lastYear.body.id, grade, name: `${grade}Z9` });
    expect(oldClass.status, JSON.stringify(oldClass.body)).toBe(201);
    otherYearClassId = oldClass.body.id;
  }, 120_000);
  afterAll(async () => {
    await srv?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('lets the clerk create and edit an entry, each write audited, the receiver shown by name', async () => {
    const before = await auditCount();
    const created = await clerk.post('/api/archive-entries', { ...base(), note: 'Sổ điểm lớp, bàn giao sau học kỳ' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const me = (await clerk.get('/api/auth/me')).body.user;
    expect(created.body).toMatchObject({ book: 'gradebook', pages: 48, receivedBy: me.id, receivedByName: me.fullName, retentionYears: 10, retentionPermanent: false, printRunId: null, deleted: false });
    const edited = await clerk.put(`/api/archive-entries/${created.body.id}`, { ...created.body, location: 'Kệ B, hộp 1', retentionYears: null, retentionPermanent: true });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({ location: 'Kệ B, hộp 1', retentionPermanent: true, retentionYears: null });
    // A partial update changes only what it names.
    const partial = await clerk.put(`/api/archive-entries/${created.body.id}`, { pages: 50 });
    expect(partial.status, JSON.stringify(partial.body)).toBe(200);
    expect(partial.body).toMatchObject({ pages: 50, location: 'Kệ B, hộp 1', note: 'Sổ điểm lớp, bàn giao sau học kỳ', period: 'Học kỳ I', classId });
    const rows = await srv.db('audit_events').where({ entity: 'archive-entries', entity_id: String(created.body.id) }).orderBy('id').select('action');
    expect(rows.map((r) => r.action)).toEqual(['create', 'update', 'update']);
    expect(await auditCount()).toBe(before + 3);
    expect((await principal.get(`/api/archive-entries/${created.body.id}`)).status).toBe(200);
  });

  it('refuses a teacher and an accountant, and writes nothing', async () => {
    const entries = await count('archive_entries');
    const audit = await count('audit_events');
    const id = Number((await srv.db('archive_entries').first('id')).id);
    for (const c of [teacher, accountant]) {
      expect((await c.get('/api/archive-entries')).status).toBe(403);
      expect((await c.post('/api/archive-entries', base())).status).toBe(403);
      expect((await c.put(`/api/archive-entries/${id}`, { pages: 2 })).status).toBe(403);
      expect((await c.post('/api/archive-entries/from-backups')).status).toBe(403);
      expect((await c.download('/api/exports/archive-register.xlsx')).status).toBe(403);
    }
    // The principal reads but does not write.
    expect((await principal.post('/api/archive-entries', base())).status).toBe(403);
    expect(await count('archive_entries')).toBe(entries);
    expect(await count('audit_events')).toBe(audit);
  });

  it('answers invalid entries in Vietnamese, field by field, and writes nothing', async () => {
    const entries = await count('archive_entries');
    const audit = await count('audit_events');
    const tomorrow = new Date(Date.now() + 7 * 3_600_000 + 86_400_000).toISOString().slice(0, 10);
    const res = await clerk.post('/api/archive-entries', { ...base(), pages: 0, receivedOn: tomorrow, retentionYears: null });
    expect(res.status).toBe(400);
    expect(res.body.errors.pages).toBe('Giá trị phải từ 1 trở lên.');
    const second = await clerk.post('/api/archive-entries', { ...base(), receivedOn: tomorrow, retentionYears: null, location: '' });
    expect(second.status).toBe(400);
    expect(second.body.errors.receivedOn).toMatch(/^Ngày nhận không được sau hôm nay/);
    expect(second.body.errors.retentionYears).toBe('Hãy ghi thời hạn bảo quản: số năm, hoặc chọn "Vĩnh viễn".');
    expect(second.body.errors.location).toBe('Hãy ghi vị trí lưu (kệ, hộp).');
    const wrongYear = await clerk.post('/api/archive-entries', { ...base(), classId: otherYearClassId });
    expect(wrongYear.status).toBe(400);
    expect(wrongYear.body.errors.classId).toBe('Không thuộc năm học đã chọn.');
    expect(await count('archive_entries')).toBe(entries);
    expect(await count('audit_events')).toBe(audit);
  });

  it('finds an entry by words typed without diacritics, and filters by book and date', async () => {
    const made = await clerk.post('/api/archive-entries', { ...base(), book: 'roll_call', location: 'Tủ hồ sơ phòng Văn thư', receivedOn: '2026-10-05' });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const filter = (f: object) => `/api/archive-entries?filter=${encodeURIComponent(JSON.stringify(f))}`;
    const found = await principal.get(filter({ q: 'so goi ten tu ho so van thu' }));
    expect(found.status).toBe(200);
    expect(found.body.map((e: { id: number }) => e.id)).toEqual([made.body.id]);
    const byBook = await principal.get(filter({ book: 'roll_call', receivedOn_gte: '2026-10-01', receivedOn_lte: '2026-10-31' }));
    expect(byBook.body.map((e: { id: number }) => e.id)).toEqual([made.body.id]);
    expect((await principal.get(filter({ book: 'roll_call', receivedOn_gte: '2026-11-01' }))).body).toEqual([]);
  });

  it('exports the register for printing, with the list filters, and keeps =cmd as text', async () => {
    const evil = await clerk.post('/api/archive-entries', { ...base(), book: 'other', note: '=cmd|/c calc', receivedOn: '2026-11-02' });
    expect(evil.status, JSON.stringify(evil.body)).toBe(201);
    const all = await principal.download('/api/exports/archive-register.xlsx');
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(all.bytes as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.getCell('A2').value).toBe('SỔ ĐĂNG KÝ LƯU TRỮ HỒ SƠ');
    const live = (await principal.get('/api/archive-entries?filter={"deleted":false}')).body as unknown[];
    const cells: unknown[] = [];
    ws.eachRow((row) => row.eachCell((c) => cells.push(c.value)));
    expect(cells).toContain("'=cmd|/c calc");
    expect(cells.some((v) => typeof v === 'object' && v !== null && 'formula' in v)).toBe(false);
    expect(cells).toContain(`Tổng số: ${live.length} mục.`);
    const filtered = await principal.download(`/api/exports/archive-register.xlsx?filter=${encodeURIComponent(JSON.stringify({ book: 'other' }))}`);
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(filtered.bytes as unknown as ArrayBuffer);
    const cells2: unknown[] = [];
    wb2.worksheets[0].eachRow((row) => row.eachCell((c) => cells2.push(c.value)));
    expect(cells2).toContain('Tổng số: 1 mục.');
    expect(cells2).toContain('Loại: Hồ sơ khác');
  });

  it('files a printed grade book under its approved print run, and refuses a run of another book or not approved', async () => {
    const vp = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'vice_principal'));
    const asked = await vp.post('/api/print-runs', { classId, period: '1' });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    expect((await principal.post(`/api/print-runs/${asked.body.id}/decision`, { decision: 'approve' })).status).toBe(200);
    const waiting = await vp.post('/api/print-runs', { classId, period: '2' });
    expect(waiting.status).toBe(201);
    const before = await count('archive_entries');
    const notApproved = await clerk.post('/api/archive-entries', { ...base(), printRunId: waiting.body.id });
    expect(notApproved.status).toBe(400);
    expect(notApproved.body.errors.printRunId).toMatch(/chưa được Hiệu trưởng duyệt/);
    const otherBook = await clerk.post('/api/archive-entries', { ...base(), book: 'roll_call', printRunId: asked.body.id });
    expect(otherBook.status).toBe(400);
    expect(otherBook.body.errors.printRunId).toMatch(/lớp hoặc năm học khác/);
    expect(await count('archive_entries')).toBe(before);
    const filed = await clerk.post('/api/archive-entries', { ...base(), printRunId: asked.body.id });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    expect(filed.body.printRunId).toBe(asked.body.id);
  });

  it('strikes an entry with a reason instead of removing it', async () => {
    const made = await clerk.post('/api/archive-entries', { ...base(), book: 'transcripts' });
    const noReason = await clerk.request('DELETE', `/api/archive-entries/${made.body.id}`, {});
    expect(noReason.status).toBe(400);
    const struck = await clerk.request('DELETE', `/api/archive-entries/${made.body.id}`, { reason: 'Ghi nhầm loại sổ' });
    expect(struck.status, JSON.stringify(struck.body)).toBe(200);
    expect(struck.body).toMatchObject({ deleted: true, deleteReason: 'Ghi nhầm loại sổ' });
    expect(await srv.db('archive_entries').where({ id: made.body.id }).first('id')).toBeTruthy();
    expect((await clerk.put(`/api/archive-entries/${made.body.id}`, { pages: 3 })).status).toBe(409);
    const audit = await srv.db('audit_events').where({ entity: 'archive-entries', entity_id: String(made.body.id), action: 'delete' }).first('reason');
    expect(audit.reason).toBe('Ghi nhầm loại sổ');
  });

  it('registers the backups once, and refuses one whose file was altered', async () => {
    const good = await takeBackup(srv.db, srv.config);
    expect(good.check.ok).toBe(true);
    const pending = await clerk.get('/api/archive-entries/backups');
    expect(pending.status).toBe(200);
    expect(pending.body).toEqual([expect.objectContaining({ file: path.basename(good.file), problem: null, sha256: good.manifest.sha256 })]);

    const before = await auditCount();
    const first = await clerk.post('/api/archive-entries/from-backups');
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.refused).toEqual([]);
    expect(first.body.registered).toEqual([expect.objectContaining({ book: 'backup', backupFile: path.basename(good.file), backupSha256: good.manifest.sha256, retentionPermanent: true })]);
    expect(await auditCount()).toBe(before + 1);
    expect((await clerk.get('/api/archive-entries/backups')).body).toEqual([]);

    const again = await admin.post('/api/archive-entries/from-backups');
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ registered: [], refused: [] });

    // Two clerks pressing the button at the same moment record a new backup once.
    const twin = await takeBackup(srv.db, srv.config);
    const both = await Promise.all([clerk.post('/api/archive-entries/from-backups'), admin.post('/api/archive-entries/from-backups')]);
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    expect(both.flatMap((r) => r.body.registered.map((e: { backupFile: string }) => e.backupFile))).toEqual([path.basename(twin.file)]);
    expect(await srv.db('archive_entries').where({ backup_file: path.basename(twin.file) }).count({ n: '*' }).first().then((r) => Number((r as { n: number }).n))).toBe(1);

    const bad = await takeBackup(srv.db, srv.config);
    fs.appendFileSync(bad.file, Buffer.from('tampered'));
    const entries = await count('archive_entries');
    const refused = await clerk.post('/api/archive-entries/from-backups');
    expect(refused.status).toBe(200);
    expect(refused.body.registered).toEqual([]);
    expect(refused.body.refused).toEqual([{ file: path.basename(bad.file), message: expect.stringMatching(/đã bị thay đổi hoặc hỏng.*Không ghi vào sổ/) }]);
    expect(await count('archive_entries')).toBe(entries);
    const listed = (await clerk.get('/api/archive-entries/backups')).body;
    expect(listed).toEqual([expect.objectContaining({ file: path.basename(bad.file), problem: expect.stringContaining('SHA-256') })]);
  }, 120_000);
});
