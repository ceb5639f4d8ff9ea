import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { seedDemoScores } from '../server/demo/scores';
import { toDecimalString } from '../server/db/decimal';
import { accountFor, Client } from './helpers/client';
import { testDatabases } from './helpers/databases';
import { startServer, type TestServer } from './helpers/server';

/** Monday 23/11/2026 10:00 in Vietnam: the demo's September–October scores are closed, ĐĐGtx 4 is still open. */
const NOW = Date.parse('2026-11-23T03:00:00.000Z');
const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64');

describe.each(testDatabases())('score import on %s', (kind) => {
  let srv: TestServer;
  let gvbm: Client; // teaches 6A1 Lịch sử và Địa lí (LS-DL) and GDCD
  let principal: Client;
  let student: Client;
  let s1: number;
  const cls: Record<string, number> = {};
  const subj: Record<string, number> = {};
  const login = (role: string) => new Client(srv.url).loginAs(accountFor(srv.accounts, role));
  const ref = (code = 'LS-DL') => ({ classId: cls['6A1'], subjectId: subj[code], semesterId: s1 });
  const query = (code = 'LS-DL') => `classId=${cls['6A1']}&subjectId=${subj[code]}&semesterId=${s1}`;
  const grid = async (code = 'LS-DL') => (await gvbm.get(`/api/gradebook?${query(code)}`)).body;
  const send = (c: Client, mode: 'dry-run' | 'commit', fileName: string, bytes: Buffer | string, code = 'LS-DL') =>
    c.post(`/api/imports/scores?mode=${mode}`, { fileName, contentBase64: b64(bytes), ...ref(code) });

  /** Every stored cell and comment of 6A1's LS-DL book in semester I: what a commit may or may not have touched. */
  const snapshot = async () => {
    const where = { class_id: cls['6A1'], subject_id: subj['LS-DL'], semester_id: s1 };
    const cells = (await srv.db('assessment_scores').where(where).orderBy(['student_id', 'kind', 'seq'])) as Array<Record<string, unknown>>;
    const comments = (await srv.db('subject_comments').where(where).orderBy('student_id')) as Array<Record<string, unknown>>;
    return {
      cells: Object.fromEntries(cells.map((c) => [`${c.student_id}|${c.kind}|${c.seq}`, `${c.grade_text ?? toDecimalString(c.score)} v${c.version}`])),
      comments: Object.fromEntries(comments.map((c) => [String(c.student_id), `${c.comment} v${c.version}`])),
    };
  };
  const auditCount = async () => Number(((await srv.db('audit_events').count({ n: '*' }).first()) as { n: number | string }).n);

  /** The export of the book, opened for editing as a teacher would in Excel. */
  async function exported(code = 'LS-DL') {
    const res = await gvbm.download(`/api/exports/gradebook.xlsx?${query(code)}`);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.bytes as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    let header = 0;
    ws.eachRow((row, n) => {
      if (!header && row.getCell(2).value === 'Mã học sinh') header = n;
    });
    const headers = (ws.getRow(header).values as unknown[]).slice(1);
    const cell = (studentCode: string, column: string) => {
      let r = 0;
      ws.eachRow((row, n) => {
        if (n > header && row.getCell(2).value === studentCode) r = n;
      });
      return ws.getRow(r).getCell(headers.indexOf(column) + 1);
    };
    return { wb, ws, header, cell, bytes: async () => Buffer.from(await wb.xlsx.writeBuffer()) };
  }
  /** The first student whose `key` cell is empty and open, or filled and closed. */
  const pick = (g: any, key: string, want: 'open-empty' | 'closed-filled' | 'closed-empty', skip: number[] = []) => {
    const row = g.rows.find((r: any) => {
      const c = r.cells[key];
      if (skip.includes(r.student.id)) return false;
      return want === 'open-empty' ? c.value === null && !c.closed : want === 'closed-filled' ? c.value !== null && c.closed : c.value === null && c.closed;
    });
    if (!row) throw new Error(`no ${want} ${key} cell`);
    return row;
  };

  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    srv = await startServer(kind);
    await seedDemoScores(srv.db);
    [gvbm, principal, student] = await Promise.all([login('subject_teacher'), login('principal'), login('student')]);
    const year = (await srv.db('school_years').where({ is_current: true }).first()) as { id: number; school_id: number };
    for (const c of (await srv.db('classes').where({ school_year_id: year.id })) as Array<{ id: number; name: string }>) cls[c.name] = Number(c.id);
    for (const s of (await srv.db('subjects').where({ school_id: year.school_id })) as Array<{ id: number; code: string }>) subj[s.code] = Number(s.id);
    s1 = Number(((await srv.db('semesters').where({ school_year_id: year.id, number: 1 }).first('id')) as { id: number }).id);
  });
  afterAll(async () => {
    await srv?.close();
    vi.useRealTimers();
  });

  it('export → edit → import changes exactly the edited cells, in one audited grid save; importing it again changes nothing', async () => {
    const g = await grid();
    const a = pick(g, 'regular:4', 'open-empty');
    const b = g.rows.find((r: any) => r.student.id !== a.student.id);
    const file = await exported();
    file.cell(a.student.code, 'ĐĐGtx 4').value = 8.5;
    file.cell(b.student.code, 'Nhận xét').value = 'Tiến bộ rõ; cần giữ vững phong độ ở học kỳ II.';
    const bytes = await file.bytes();
    const before = await snapshot();
    const audits = await auditCount();

    const dry = await send(gvbm, 'dry-run', 'so-diem-6A1.xlsx', bytes);
    expect(dry.status).toBe(200);
    expect(dry.body.summary).toEqual({ update: 2, unchanged: g.rows.length - 2, closed: 0, error: 0, cells: 2, closedCells: 0 });
    const byCode = Object.fromEntries(dry.body.rows.map((r: any) => [r.studentCode, r]));
    expect(byCode[a.student.code]).toMatchObject({ status: 'update', fullName: a.student.fullName, changes: [{ column: 'ĐĐGtx 4', from: null, to: '8.5' }], closed: [], errors: {} });
    expect(byCode[b.student.code].changes).toEqual([{ column: 'Nhận xét', from: b.comment.text, to: 'Tiến bộ rõ; cần giữ vững phong độ ở học kỳ II.' }]);
    expect(await snapshot()).toEqual(before);
    expect(await auditCount()).toBe(audits);

    const res = await send(gvbm, 'commit', 'so-diem-6A1.xlsx', bytes);
    expect(res.status).toBe(200);
    expect(res.body.saved).toBe(2);
    const after = await snapshot();
    const key = `${a.student.id}|regular|4`;
    expect(after.cells[key]).toBe('8.5 v1');
    expect({ ...after.cells, [key]: undefined }).toEqual({ ...before.cells, [key]: undefined });
    expect(after.comments[String(b.student.id)]).toBe(`Tiến bộ rõ; cần giữ vững phong độ ở học kỳ II. v${b.comment.version + 1}`);
    expect({ ...after.comments, [b.student.id]: undefined }).toEqual({ ...before.comments, [b.student.id]: undefined });
    // One audit row, the grid's own, naming the file.
    expect(await auditCount()).toBe(audits + 1);
    const event = (await srv.db('audit_events').orderBy('id', 'desc').first()) as Record<string, unknown>;
    expect(event).toMatchObject({ action: 'gradebook_save', entity: 'gradebook', entity_id: `${cls['6A1']}:${subj['LS-DL']}:${s1}`, reason: 'import so-diem-6A1.xlsx', username: 'gvbm' });
    expect(JSON.parse(String(event.after))).toEqual({
      cells: [{ kind: 'regular', seq: 4, studentId: a.student.id, value: '8.5' }],
      comments: [{ studentId: b.student.id, text: 'Tiến bộ rõ; cần giữ vững phong độ ở học kỳ II.' }],
    });
    // The grid shows the new value, like any save.
    expect((await grid()).rows.find((r: any) => r.student.id === a.student.id).cells['regular:4'].value).toBe('8.5');

    const again = await send(gvbm, 'commit', 'so-diem-6A1.xlsx', bytes);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ saved: 0, summary: { update: 0, unchanged: g.rows.length, cells: 0 } });
    expect(await auditCount()).toBe(audits + 1);
    // A fresh export of the new state imports as unchanged too (the round trip is stable).
    const fresh = await send(gvbm, 'dry-run', 'moi.xlsx', await (await exported()).bytes());
    expect(fresh.body.summary).toMatchObject({ update: 0, error: 0, closed: 0 });
  });

  it('a closed cell is reported with the reason the grid gives and the commit writes nothing; without it the file imports', async () => {
    const g = await grid();
    const open = pick(g, 'regular:4', 'open-empty');
    const closed = pick(g, 'regular:1', 'closed-filled', [open.student.id]);
    const noTestDate = pick(g, 'final:1', 'closed-empty', [open.student.id, closed.student.id]);
    const file = await exported();
    file.cell(open.student.code, 'ĐĐGtx 4').value = 6;
    const newValue = closed.cells['regular:1'].value === '9' ? 8 : 9;
    file.cell(closed.student.code, 'ĐĐGtx 1').value = newValue;
    file.cell(noTestDate.student.code, 'ĐĐGck').value = 7.5;
    const before = await snapshot();
    const audits = await auditCount();

    const dry = await send(gvbm, 'dry-run', 'khoa.xlsx', await file.bytes());
    expect(dry.status).toBe(200);
    expect(dry.body.summary).toMatchObject({ update: 1, closed: 2, error: 0, cells: 1, closedCells: 2 });
    const rowOf = (code: string) => dry.body.rows.find((r: any) => r.studentCode === code);
    expect(rowOf(closed.student.code)).toMatchObject({
      status: 'closed',
      changes: [],
      closed: [{ column: 'ĐĐGtx 1', from: closed.cells['regular:1'].value, to: String(newValue), reason: closed.cells['regular:1'].closed.message }],
    });
    expect(closed.cells['regular:1'].closed.message).toMatch(/^Điểm thường xuyên đã khóa sau hạn nhập hằng tuần/);
    expect(rowOf(noTestDate.student.code).closed).toEqual([{ column: 'ĐĐGck', from: null, to: '7.5', reason: 'Chưa có ngày kiểm tra cho cột này: hãy nhập ngày kiểm tra trước.' }]);

    const refused = await send(gvbm, 'commit', 'khoa.xlsx', await file.bytes());
    expect(refused.status).toBe(423);
    expect(refused.body.message).toBe(
      'Có 2 ô đã khóa nên chưa có gì được lưu. Hãy để trống các ô đó trong tệp (hoặc giữ nguyên giá trị cũ) rồi nhập lại, hoặc gửi đề nghị mở khóa.',
    );
    expect(refused.body.summary.closedCells).toBe(2);
    expect(await snapshot()).toEqual(before);
    expect(await auditCount()).toBe(audits);

    // The teacher empties the closed cells (an empty cell changes nothing) and imports again: only the open one.
    file.cell(closed.student.code, 'ĐĐGtx 1').value = null;
    file.cell(noTestDate.student.code, 'ĐĐGck').value = null;
    const res = await send(gvbm, 'commit', 'khoa.xlsx', await file.bytes());
    expect(res.status).toBe(200);
    expect(res.body.saved).toBe(1);
    const after = await snapshot();
    expect(after.cells[`${open.student.id}|regular|4`]).toBe('6 v1');
    expect(after.cells[`${closed.student.id}|regular|1`]).toBe(before.cells[`${closed.student.id}|regular|1`]);
    expect(Object.keys(after.cells).length).toBe(Object.keys(before.cells).length + 1);
  });

  it('one bad row makes the commit write nothing; every row error is in Vietnamese, by column', async () => {
    const g = await grid();
    const [ok, range, precision, letter] = g.rows.filter((r: any) => r.cells['regular:4'].value === null && !r.cells['regular:4'].closed);
    const file = await exported();
    file.cell(ok.student.code, 'ĐĐGtx 4').value = 7;
    file.cell(range.student.code, 'ĐĐGtx 4').value = 11;
    file.cell(precision.student.code, 'ĐĐGtx 4').value = '8,25';
    file.cell(letter.student.code, 'ĐĐGtx 4').value = 'Đ';
    // A student who is not in 6A1, and the same student twice.
    file.ws.addRow([99, 'HSKHONGCO01', 'Người Lạ', null, null, null, 5]);
    file.ws.addRow([100, ok.student.code, ok.student.fullName]);
    const before = await snapshot();
    const audits = await auditCount();

    const dry = await send(gvbm, 'dry-run', 'loi.xlsx', await file.bytes());
    expect(dry.status).toBe(200);
    const errors = Object.fromEntries(dry.body.rows.filter((r: any) => r.status === 'error').map((r: any) => [r.studentCode, r.errors]));
    expect(errors).toEqual({
      [range.student.code]: { 'ĐĐGtx 4': 'Điểm phải từ 0 đến 10.' },
      [precision.student.code]: { 'ĐĐGtx 4': 'Điểm chỉ được có một chữ số thập phân (ví dụ 8,5).' },
      [letter.student.code]: { 'ĐĐGtx 4': 'Môn này chấm bằng điểm số, không nhập Đ/CĐ hay chữ.' },
      HSKHONGCO01: { 'Mã học sinh': 'Không có học sinh mã HSKHONGCO01 trong lớp 6A1.' },
      // The later of the two rows of the same student is the one marked.
      [ok.student.code]: { 'Mã học sinh': expect.stringMatching(new RegExp(`^${ok.student.code} bị trùng với dòng \\d+ trong tệp\\.$`)) },
    });
    expect(dry.body.summary.error).toBe(5);

    const res = await send(gvbm, 'commit', 'loi.xlsx', await file.bytes());
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('Có 5 dòng lỗi nên chưa có gì được lưu. Hãy sửa các dòng được đánh dấu rồi nhập lại.');
    expect(res.body.rows).toHaveLength(dry.body.rows.length);
    expect(await snapshot()).toEqual(before);
    expect(await auditCount()).toBe(audits);

    // English on request.
    gvbm.lang = 'en';
    try {
      const en = await send(gvbm, 'dry-run', 'loi.xlsx', await file.bytes());
      expect(en.body.rows.find((r: any) => r.studentCode === range.student.code).errors).toEqual({ 'ĐĐGtx 4': 'A score must be between 0 and 10.' });
    } finally {
      gvbm.lang = 'vi';
    }
  });

  it('a CSV in UTF-8 with Vietnamese text imports with and without a BOM (";", decimal comma, the title lines)', async () => {
    const g = await grid();
    const [a, b] = g.rows.filter((r: any) => r.cells['regular:4'].value === null && !r.cells['regular:4'].closed);
    const lines = (row: any, score: string, comment: string) => [
      'TRƯỜNG THCS;;;;;;;;;;',
      'SỔ THEO DÕI VÀ ĐÁNH GIÁ HỌC SINH;;;;;;;;;;',
      'Lớp: 6A1;;Môn học: Lịch sử và Địa lí;;Học kỳ: I;;Năm học: 2026-2027;;;;',
      '',
      'STT;Mã học sinh;Họ và tên;ĐĐGtx 1;ĐĐGtx 2;ĐĐGtx 3;ĐĐGtx 4;ĐĐGgk;ĐĐGck;ĐTBmhk;Nhận xét',
      `1;${row.student.code};${row.student.fullName};;;;${score};;;;"${comment}"`,
    ];
    // Typed on a Mac the comment may come decomposed (NFD): it is stored composed (NFC), as the grid stores it.
    const comment = 'Em chăm chỉ, tiếp thu bài tốt; cần mạnh dạn phát biểu hơn.';
    const withBom = `\uFEFF${lines(a, '8,5', comment.normalize('NFD')).join('\r\n')}\r\n`;
    const dry = await send(gvbm, 'dry-run', 'diem-bom.csv', withBom);
    expect(dry.status).toBe(200);
    expect(dry.body.rows).toEqual([
      expect.objectContaining({ row: 6, status: 'update', studentCode: a.student.code, changes: [{ column: 'ĐĐGtx 4', from: null, to: '8.5' }, { column: 'Nhận xét', from: a.comment.text, to: comment }] }),
    ]);
    expect((await send(gvbm, 'commit', 'diem-bom.csv', withBom)).status).toBe(200);

    const plain = `${lines(b, '7', 'Hăng hái xây dựng bài, chữ viết cẩn thận.').join('\n')}\n`;
    const res = await send(gvbm, 'commit', 'diem.csv', plain);
    expect(res.status).toBe(200);
    expect(res.body.saved).toBe(2);
    const after = await snapshot();
    expect([after.cells[`${a.student.id}|regular|4`], after.cells[`${b.student.id}|regular|4`]]).toEqual(['8.5 v1', '7 v1']);
    expect(after.comments[String(a.student.id)]).toMatch(new RegExp(`^${comment} v\\d+$`));
    expect(after.comments[String(b.student.id)]).toMatch(/^Hăng hái xây dựng bài, chữ viết cẩn thận\. v\d+$/);
    // A legacy code page is refused, not read as mojibake.
    const legacy = Buffer.from(plain.replace(/[^\x00-\x7f]/g, 'a') + 'Ghi ch\xfa', 'latin1');
    expect((await send(gvbm, 'dry-run', 'diem.csv', legacy)).status).toBe(400);
  });

  it('a file of another grade book, or with a column this subject lacks, is refused before any row', async () => {
    const file = await exported('LS-DL');
    const bytes = await file.bytes();
    // gvbm also teaches 6A1 GDCD: the LS-DL file opened there says so.
    const wrong = await send(gvbm, 'dry-run', 'ls-dl.xlsx', bytes, 'GDCD');
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toBe(
      'Tệp này ghi "Môn học: Lịch sử và Địa lí", không khớp với sổ điểm đang mở (Lớp 6A1 – Giáo dục công dân – Học kỳ I – 2026-2027). Hãy chọn đúng tệp xuất từ sổ điểm này.',
    );
    // Without its title, the LS-DL file still has ĐĐGtx 3 and 4, which GDCD (two regular columns) does not.
    file.ws.spliceRows(1, file.header - 1);
    const extra = await send(gvbm, 'dry-run', 'ls-dl.xlsx', await file.bytes(), 'GDCD');
    expect(extra.status).toBe(400);
    expect(extra.body.message).toBe('Cột "ĐĐGtx 3" không có trong sổ điểm này (môn có 2 cột ĐĐGtx): hãy xóa cột đó hoặc chọn đúng sổ điểm.');
    const noHeader = await send(gvbm, 'dry-run', 'x.csv', 'Họ và tên;Điểm\nAn;8\n');
    expect(noHeader.status).toBe(400);
    expect(noHeader.body.message).toBe('Không tìm thấy dòng tiêu đề có đủ các cột bắt buộc. Thiếu cột: Mã học sinh.');
  });

  it('formula cells are read as the value Excel saved with them, never evaluated; one saved without a value is a row error', async () => {
    const g = await grid();
    const [a, b, c] = g.rows.filter((r: any) => r.cells['regular:4'].value === null && !r.cells['regular:4'].closed);
    const file = await exported();
    // The formula says 1+1; the value saved with it (what Excel shows) is 9: 9 is read, 2 never computed.
    file.cell(a.student.code, 'ĐĐGtx 4').value = { formula: '1+1', result: 9 } as ExcelJS.CellFormulaValue;
    file.cell(b.student.code, 'ĐĐGtx 4').value = { formula: 'A1*2' } as ExcelJS.CellFormulaValue;
    file.cell(c.student.code, 'ĐĐGtx 4').value = { error: '#DIV/0!' } as ExcelJS.CellErrorValue;
    const dry = await send(gvbm, 'dry-run', 'cong-thuc.xlsx', await file.bytes());
    expect(dry.status).toBe(200);
    const rowOf = (code: string) => dry.body.rows.find((r: any) => r.studentCode === code);
    expect(rowOf(a.student.code).changes).toEqual([{ column: 'ĐĐGtx 4', from: null, to: '9' }]);
    expect(rowOf(b.student.code).errors).toEqual({ 'ĐĐGtx 4': 'Ô này có công thức chưa được tính hoặc lỗi (=A1*2), nên không đọc được giá trị: hãy gõ thẳng giá trị vào ô.' });
    expect(rowOf(c.student.code).errors).toEqual({ 'ĐĐGtx 4': 'Ô này có công thức chưa được tính hoặc lỗi (#DIV/0!), nên không đọc được giá trị: hãy gõ thẳng giá trị vào ô.' });
  });

  it('a student code Excel turned into a number (its leading zeros gone) still finds its student', async () => {
    const a = pick(await grid(), 'regular:4', 'open-empty');
    const code = (await srv.db('students').where({ id: a.student.id }).first('student_code')) as { student_code: string };
    await srv.db('students').where({ id: a.student.id }).update({ student_code: '0012345678' });
    try {
      const file = await exported();
      file.cell('0012345678', 'ĐĐGtx 4').value = 6.5;
      file.cell('0012345678', 'Mã học sinh').value = 12345678;
      const dry = await send(gvbm, 'dry-run', 'so.xlsx', await file.bytes());
      expect(dry.body.rows.find((r: any) => r.studentCode === '0012345678')).toMatchObject({ status: 'update', changes: [{ column: 'ĐĐGtx 4', from: null, to: '6.5' }] });
      expect(dry.body.summary.error).toBe(0);
    } finally {
      await srv.db('students').where({ id: a.student.id }).update({ student_code: code.student_code });
    }
  });

  it('only whoever may save the grid may import into it', async () => {
    const file = await exported();
    file.cell(pick(await grid(), 'regular:4', 'open-empty').student.code, 'ĐĐGtx 4').value = 5;
    const bytes = await file.bytes();
    const before = await snapshot();
    // The principal reads every grade book but enters none: the grid's refusal.
    const read = await send(principal, 'commit', 'a.xlsx', bytes);
    expect(read.status).toBe(403);
    expect(read.body.message).toBe('Bạn không được phân công nhập điểm môn này cho lớp này (hoặc năm học đã kết thúc).');
    const none = await send(student, 'dry-run', 'a.xlsx', bytes);
    expect(none.status).toBe(403);
    expect(none.body.message).toBe('Bạn không có quyền thực hiện thao tác này.');
    expect(await snapshot()).toEqual(before);
  });
});
