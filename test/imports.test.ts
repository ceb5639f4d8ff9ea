import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountFor, Client } from './helpers/client';
import { testDatabases } from './helpers/databases';
import { startServer, type TestServer } from './helpers/server';

const fixture = (name: string) => fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', name));
const b64 = (content: string | Buffer) => Buffer.from(content).toString('base64');
/** A CSV as a Vietnamese Excel saves it: UTF-8 with a BOM, `;` between cells, CRLF line ends. */
const csv = (lines: string[]) => `\uFEFF${lines.join('\r\n')}\r\n`;
const STUDENT_HEADER = 'Mã học sinh;Họ và tên;Ngày sinh;Giới tính;Mã định danh;Dân tộc;Lớp';

describe.each(testDatabases())('imports on %s', (kind) => {
  let srv: TestServer;
  let giaovu: Client;
  let vanthu: Client;
  let gvbm: Client;
  let yearId: number;

  const login = (role: string) => new Client(srv.url).loginAs(accountFor(srv.accounts, role));
  const send = (client: Client, what: string, mode: 'dry-run' | 'commit', fileName: string, content: string | Buffer) =>
    client.post(`/api/imports/${what}?mode=${mode}`, { fileName, contentBase64: b64(content) });
  const count = async (table: string) => Number(((await srv.db(table).count({ n: '*' }).first()) as { n: number | string }).n);
  const counts = async () => ({ students: await count('students'), enrolments: await count('enrolments'), staff: await count('staff'), assignments: await count('teaching_assignments'), audit: await count('audit_events') });
  const studentByCode = (code: string) => srv.db('students').where({ student_code: code }).first();
  const activeClassOf = async (studentId: number) =>
    (await srv
      .db('enrolments as e')
      .join('classes as c', 'c.id', 'e.class_id')
      .where({ 'e.student_id': studentId, 'e.status': 'active', 'e.school_year_id': yearId })
      .select('c.name', 'e.start_date')) as Array<{ name: string; start_date: string }>;

  beforeAll(async () => {
    srv = await startServer(kind);
    [giaovu, vanthu, gvbm] = await Promise.all([login('academic_staff'), login('records_clerk'), login('subject_teacher')]);
    yearId = Number(((await srv.db('school_years').where({ is_current: true }).first('id')) as { id: number }).id);
  });
  afterAll(async () => srv?.close());

  it('a dry run lists every bad row with its errors in Vietnamese, column by column, and writes nothing', async () => {
    const before = await counts();
    const file = csv([
      STUDENT_HEADER,
      'HSLOI001;Phạm Văn An;01/09/2015;Nam;001215009001;Kinh;6A1',
      'HSLOI002;;01/09/2015;Nam;;Kinh;6A1',
      'HSLOI003;Đỗ Thị Bình;31/02/2015;Nữ;;Kinh;6A1',
      'HSLOI004;Vũ Văn Cường;01/09/2015;Nam;00121500900;Kinh;6A1',
      'HSLOI005;Hà Thị Dung;01/09/2015;Nữ;;Kinh;6A9',
      'HSLOI001;Phạm Văn An;01/09/2015;Nam;;Kinh;6A1',
      'HSLOI007;Lý Văn Em;01/09/2015;X;;Kinh;6A1',
      'HSLOI008;Mai Thị Giang;01/09/2099;Nữ;001315009001;Kinh;6A1',
    ]);
    const res = await send(giaovu, 'students', 'dry-run', 'hoc-sinh.csv', file);
    expect(res.status).toBe(200);
    expect(res.body.summary).toEqual({ create: 1, update: 0, unchanged: 0, error: 7 });
    const byRow = Object.fromEntries(res.body.rows.map((r: { row: number }) => [r.row, r]));
    expect(byRow[2]).toMatchObject({ status: 'create', errors: {}, data: { studentCode: 'HSLOI001', birthDate: '2015-09-01', sex: 'male', className: '6A1' } });
    expect(byRow[3].errors).toEqual({ 'Họ và tên': 'Bắt buộc nhập.' });
    expect(byRow[4].errors).toEqual({ 'Ngày sinh': 'Ngày phải có dạng dd/mm/yyyy (ví dụ 05/03/2014) và là ngày có thật.' });
    expect(byRow[5].errors).toEqual({ 'Mã định danh': 'Mã định danh phải gồm đúng 12 chữ số.' });
    expect(byRow[6].errors).toEqual({ Lớp: 'Không có lớp 6A9 trong năm học 2026-2027.' });
    expect(byRow[7].errors).toEqual({ 'Mã học sinh': 'HSLOI001 bị trùng với dòng 2 trong tệp.' });
    expect(byRow[8].errors).toEqual({ 'Giới tính': 'Giới tính phải là Nam hoặc Nữ.' });
    expect(byRow[9].errors['Ngày sinh']).toMatch(/^Ngày sinh không được sau hôm nay \(\d{2}\/\d{2}\/\d{4}\)\.$/);
    expect(byRow[9].status).toBe('error');
    // Nothing written, not even an audit row.
    expect(await counts()).toEqual(before);
    expect(await studentByCode('HSLOI001')).toBeUndefined();
  });

  it('a commit with one bad row refuses the whole file with the same report and writes nothing', async () => {
    const before = await counts();
    const file = csv([STUDENT_HEADER, 'HSLOI101;Phạm Văn An;01/09/2015;Nam;;Kinh;6A1', 'HSLOI102;Đỗ Thị Bình;01/09/2015;Nữ;;Kinh;6A1', 'HSLOI103;Vũ Văn Cường;1/13/2015;Nam;;Kinh;6A2']);
    const res = await send(giaovu, 'students', 'commit', 'hoc-sinh.csv', file);
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('Có 1 dòng lỗi nên chưa có gì được lưu. Hãy sửa các dòng được đánh dấu rồi nhập lại.');
    expect(res.body.summary).toEqual({ create: 2, update: 0, unchanged: 0, error: 1 });
    expect(res.body.rows.find((r: { row: number }) => r.row === 4).errors).toHaveProperty('Ngày sinh');
    expect(await counts()).toEqual(before);
    expect(await studentByCode('HSLOI101')).toBeUndefined();
  });

  it('a good CSV (BOM, ";", title row) commits in one go with audit rows; importing it again changes nothing', async () => {
    const file = fixture('students-semicolon-bom.csv');
    const dry = await send(giaovu, 'students', 'dry-run', 'students-semicolon-bom.csv', file);
    expect(dry.status).toBe(200);
    // Row 1 is the title, row 2 the header: the data rows keep the numbers the user sees in Excel.
    expect(dry.body.rows.map((r: { row: number; status: string }) => [r.row, r.status])).toEqual([
      [3, 'create'],
      [4, 'create'],
      [5, 'create'],
    ]);
    const before = await counts();
    const res = await send(giaovu, 'students', 'commit', 'students-semicolon-bom.csv', file);
    expect(res.status).toBe(200);
    expect(res.body.summary).toEqual({ create: 3, update: 0, unchanged: 0, error: 0 });
    const after = await counts();
    expect(after.students).toBe(before.students + 3);
    expect(after.enrolments).toBe(before.enrolments + 3);

    const duong = await studentByCode('HSNH26001');
    expect(duong).toMatchObject({ full_name: 'Nguyễn Thị Ánh Dương', birth_date: '2015-03-05', sex: 'female', national_id: '001315000111', ethnicity: 'Kinh', status: 'studying' });
    expect((await activeClassOf(Number(duong.id))).map((e) => e.name)).toEqual(['6A1']);
    const minh = await studentByCode('HSNH26002');
    expect(minh).toMatchObject({ birth_date: '2015-11-20', sex: 'male' });
    expect((await activeClassOf(Number(minh.id))).map((e) => e.name)).toEqual(['6A1']);
    const pao = await studentByCode('HSNH26003');
    expect(pao).toMatchObject({ birth_date: '2014-01-07', national_id: null });
    expect((await activeClassOf(Number(pao.id))).map((e) => e.name)).toEqual(['7A2']);
    // The portal finds the new students in their class.
    const listed = await giaovu.get(`/api/students?filter=${encodeURIComponent(JSON.stringify({ q: 'duong', className: '6A1' }))}`);
    expect(listed.body.map((s: { studentCode: string }) => s.studentCode)).toContain('HSNH26001');

    const importEvent = await srv.db('audit_events').where({ entity: 'imports', action: 'import' }).orderBy('id', 'desc').first();
    expect(JSON.parse(importEvent.after)).toMatchObject({ kind: 'students', fileName: 'students-semicolon-bom.csv', create: 3, update: 0, unchanged: 0, error: 0, schoolYear: '2026-2027' });
    expect(importEvent.username).toBe('giaovu');
    // One audit row per new student, naming the file and row, with the enrolment it got.
    const perStudent = await srv.db('audit_events').where({ entity: 'students', entity_id: String(duong.id) }).select('action', 'reason', 'after');
    expect(perStudent.map((a) => [a.action, a.reason])).toEqual([['create', 'import students-semicolon-bom.csv, row 3']]);
    expect(JSON.parse(perStudent[0].after)).toMatchObject({ studentCode: 'HSNH26001', enrolment: { className: '6A1', status: 'active' } });

    // The same file again: every row unchanged, no duplicate student or enrolment.
    const again = await send(giaovu, 'students', 'commit', 'students-semicolon-bom.csv', file);
    expect(again.status).toBe(200);
    expect(again.body.summary).toEqual({ create: 0, update: 0, unchanged: 3, error: 0 });
    const twice = await counts();
    expect([twice.students, twice.enrolments]).toEqual([after.students, after.enrolments]);

    // A corrected file updates: a new class moves the student (the old enrolment ends the day before), a filled-in
    // national ID is added, and the student matched by national ID keeps their record.
    const moved = csv([STUDENT_HEADER, 'HSNH26003;Lò Văn Páo;07/01/2014;Nam;001214000333;Thái;7A1', 'HSNH26001;Nguyễn Thị Ánh Dương;05/03/2015;Nữ;;;6A1']);
    const update = await send(giaovu, 'students', 'commit', 'sua.csv', moved);
    expect(update.status).toBe(200);
    expect(update.body.rows.map((r: { status: string; changes?: string[] }) => [r.status, r.changes ?? null])).toEqual([
      ['update', ['Mã định danh', 'Lớp']],
      ['unchanged', null],
    ]);
    expect(await studentByCode('HSNH26003')).toMatchObject({ national_id: '001214000333' });
    // Enrolled today and moved today: the placement is corrected in place, no trace of a class left.
    expect((await activeClassOf(Number(pao.id))).map((e) => e.name)).toEqual(['7A1']);
    expect(await srv.db('enrolments').where({ student_id: pao.id }).count({ n: '*' }).first()).toMatchObject({ n: 1 });
    // A student who has been in 6A2 since September and moves to 6A1 now: 6A2 keeps the enrolment, ended yesterday.
    const demo = (await srv
      .db('students as s')
      .join('enrolments as e', 'e.student_id', 's.id')
      .join('classes as c', 'c.id', 'e.class_id')
      .where({ 'c.name': '6A2', 'e.status': 'active', 'e.school_year_id': yearId })
      .first('s.*', 'e.start_date')) as Record<string, string>;
    const [y, m, d] = demo.birth_date.split('-');
    const row = [demo.student_code, demo.full_name, `${d}/${m}/${y}`, demo.sex === 'male' ? 'Nam' : 'Nữ', demo.national_id ?? '', '', '6A1'].join(';');
    const move = await send(giaovu, 'students', 'commit', 'chuyen-lop.csv', csv([STUDENT_HEADER, row]));
    expect(move.body.rows[0]).toMatchObject({ status: 'update', changes: ['Lớp'] });
    const [now] = await activeClassOf(Number(demo.id));
    expect(now.name).toBe('6A1');
    expect(now.start_date > demo.start_date).toBe(true);
    const left = await srv.db('enrolments').where({ student_id: demo.id, status: 'left' }).first();
    expect(left.start_date).toBe(demo.start_date);
    expect(new Date(`${left.end_date}T00:00:00Z`).getTime()).toBe(new Date(`${now.start_date}T00:00:00Z`).getTime() - 86_400_000);
    // An empty cell never wipes a stored value (Dân tộc stayed).
    expect(await studentByCode('HSNH26001')).toMatchObject({ ethnicity: 'Kinh', national_id: '001315000111' });
    // Matched by national ID under a new student code: the same student, code corrected, nobody duplicated.
    const n = await count('students');
    const recoded = await send(giaovu, 'students', 'commit', 'ma-moi.csv', csv([STUDENT_HEADER, 'HSNH26001B;Nguyễn Thị Ánh Dương;05/03/2015;Nữ;001315000111;Kinh;6A1']));
    expect(recoded.body.rows[0]).toMatchObject({ status: 'update', changes: ['Mã học sinh'] });
    expect(await count('students')).toBe(n);
    expect(await studentByCode('HSNH26001B')).toMatchObject({ id: duong.id });
  });

  it('an XLSX made in Excel imports too: real date cells, an ID and a phone number typed as numbers', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Danh sách');
    ws.addRow(['DANH SÁCH HỌC SINH']);
    ws.addRow(['STT', 'Mã HS', 'Họ và tên', 'Ngày sinh', 'Giới tính', 'Số định danh', 'Dân tộc', 'Điện thoại', 'Lớp']);
    ws.addRow([1, 'HSX001', 'Hoàng Văn Sơn', new Date(Date.UTC(2014, 4, 19)), 'Nam', 1214000444, 'Nùng', 912345678, '8A1']);
    ws.addRow([2, 'HSX002', { richText: [{ text: 'Đinh Thị ' }, { text: 'Hoa', font: { bold: true } }] }, '19/05/2014', 'Nữ', '001314000555', 'Mường', null, '8A2']);
    ws.addRow([]);
    ws.addRow([3, 'HSX003', 'Bùi Văn Tú', 'ngày 5 tháng 5', 'Nam', null, 'Kinh', null, '8A2']);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());

    const dry = await send(giaovu, 'students', 'dry-run', 'hoc-sinh.xlsx', xlsx);
    expect(dry.status).toBe(200);
    expect(dry.body.rows.map((r: { row: number; status: string }) => [r.row, r.status])).toEqual([
      [3, 'create'],
      [4, 'create'],
      [6, 'error'],
    ]);
    expect(dry.body.rows[2].errors).toHaveProperty('Ngày sinh');
    expect(dry.body.rows[0].data).toMatchObject({ birthDate: '2014-05-19', nationalId: '001214000444', phone: '0912345678' });

    // Fix the bad row and commit.
    ws.getRow(6).getCell(4).value = new Date(Date.UTC(2014, 4, 5));
    const fixed = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await send(giaovu, 'students', 'commit', 'hoc-sinh.xlsx', fixed);
    expect(res.status).toBe(200);
    expect(res.body.summary).toEqual({ create: 3, update: 0, unchanged: 0, error: 0 });
    expect(await studentByCode('HSX002')).toMatchObject({ full_name: 'Đinh Thị Hoa', birth_date: '2014-05-19', sex: 'female' });
    const again = await send(giaovu, 'students', 'commit', 'hoc-sinh.xlsx', fixed);
    expect(again.body.summary).toEqual({ create: 0, update: 0, unchanged: 3, error: 0 });
  });

  it('a file that is not a usable spreadsheet is refused with a reason', async () => {
    const noHeader = await send(giaovu, 'students', 'dry-run', 'x.csv', 'Tên;Tuổi\r\nAn;12\r\n');
    expect(noHeader.status).toBe(400);
    expect(noHeader.body.message).toContain('Mã học sinh');
    const pdf = await send(giaovu, 'students', 'dry-run', 'x.pdf', '%PDF-1.4');
    expect(pdf.status).toBe(400);
    const legacy = await send(giaovu, 'students', 'dry-run', 'x.csv', Buffer.from([0x4d, 0xe3, 0x20, 0x68, 0x6f, 0x63]));
    expect(legacy.status).toBe(400);
    expect(legacy.body.message).toContain('UTF-8');
    const unknownField = await giaovu.post('/api/imports/students?mode=dry-run', { fileName: 'a.csv', contentBase64: b64('a'), extra: 1 });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.errors).toHaveProperty('extra');
    const badMode = await giaovu.post('/api/imports/students?mode=now', { fileName: 'a.csv', contentBase64: b64('a') });
    expect(badMode.status).toBe(400);
    // More rows than one import takes (5,000): refused before anything is checked.
    const many = [STUDENT_HEADER, ...Array.from({ length: 5001 }, (_, i) => `X${i};A;01/01/2015;Nam;;;6A1`)];
    const tooMany = await send(giaovu, 'students', 'dry-run', 'nhieu.csv', csv(many));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.message).toBe('Tệp có 5001 dòng, mỗi lần nhập tối đa 5000 dòng: hãy chia thành nhiều tệp.');
    // Over the 4 MB body limit imports get (about 3 MB of file once base64-encoded).
    const huge = await giaovu.post('/api/imports/students?mode=dry-run', { fileName: 'big.csv', contentBase64: b64('x'.repeat(3_200_000)) });
    expect(huge.status).toBe(413);
  });

  it('staff import: records clerk creates and updates by national ID; a national ID held by someone else is refused; a teacher gets 403', async () => {
    const existing = (await srv.db('staff').where({ post: 'teacher' }).orderBy('id').first()) as { id: number; full_name: string; national_id: string };
    const other = (await srv.db('staff').where({ post: 'teacher' }).orderBy('id', 'desc').first()) as { full_name: string; national_id: string };
    const file = [
      'Họ và tên,Mã định danh,Ngày sinh,Giới tính,Điện thoại,Email,Chức vụ,Tổ chuyên môn',
      'Trịnh Văn Lâm,001085000777,12/08/1985,Nam,0988000777,lam.tv@example.edu.vn,Giáo viên,Tổ Toán – Tin',
      `${existing.full_name},${existing.national_id},,,0911222333,,Giáo viên,toan-tin`,
      `Người Khác Hẳn,${other.national_id},,,,,Giáo viên,`,
      'Ngô Thị Mơ,001185000888,,Nữ,,khong-phai-email,Thủ kho,Tổ Bếp',
    ].join('\n');
    const forbidden = await send(gvbm, 'staff', 'dry-run', 'can-bo.csv', file);
    expect(forbidden.status).toBe(403);
    expect((await send(giaovu, 'staff', 'dry-run', 'can-bo.csv', file)).status).toBe(403);
    expect((await send(vanthu, 'students', 'dry-run', 'hs.csv', fixture('students-semicolon-bom.csv'))).status).toBe(403);

    const dry = await send(vanthu, 'staff', 'dry-run', 'can-bo.csv', file);
    expect(dry.status).toBe(200);
    expect(dry.body.rows.map((r: { status: string }) => r.status)).toEqual(['create', 'update', 'error', 'error']);
    expect(dry.body.rows[1].changes).toEqual(['Điện thoại']);
    expect(dry.body.rows[2].errors).toEqual({ 'Mã định danh': `Mã định danh ${other.national_id} đã thuộc về ${other.full_name}.` });
    expect(Object.keys(dry.body.rows[3].errors).sort()).toEqual(['Chức vụ', 'Email', 'Tổ chuyên môn']);
    expect(dry.body.rows[3].errors['Chức vụ']).toContain('Giáo viên');
    const before = await counts();
    expect((await send(vanthu, 'staff', 'commit', 'can-bo.csv', file)).status).toBe(400);
    expect(await counts()).toEqual(before);

    const good = file.split('\n').slice(0, 3).join('\n');
    const res = await send(vanthu, 'staff', 'commit', 'can-bo.csv', good);
    expect(res.status).toBe(200);
    expect(res.body.summary).toEqual({ create: 1, update: 1, unchanged: 0, error: 0 });
    const lam = await srv.db('staff').where({ national_id: '001085000777' }).first();
    expect(lam).toMatchObject({ full_name: 'Trịnh Văn Lâm', birth_date: '1985-08-12', sex: 'male', post: 'teacher', status: 'active', email: 'lam.tv@example.edu.vn' });
    expect(Number(lam.department_id)).toBe(Number(((await srv.db('departments').where({ code: 'TOAN-TIN' }).first('id')) as { id: number }).id));
    expect(await srv.db('staff').where({ id: existing.id }).first()).toMatchObject({ phone: '0911222333', full_name: existing.full_name });
    const again = await send(vanthu, 'staff', 'commit', 'can-bo.csv', good);
    expect(again.body.summary).toEqual({ create: 0, update: 0, unchanged: 2, error: 0 });
    expect(await count('staff')).toBe(before.staff + 1);
  });

  it('assignments import: class × subject gets the named teacher (by national ID or name); unknown names are row errors', async () => {
    const cls = await giaovu.post('/api/classes', { schoolYearId: yearId, grade: 6, name: '6A5' });
    expect(cls.status).toBe(201);
    const [teacherA, teacherB] = (await srv.db('staff').where({ post: 'teacher', status: 'active' }).orderBy('id').limit(2)) as Array<{ id: number; full_name: string; national_id: string }>;
    const toan6A1 = (await srv
      .db('teaching_assignments as a')
      .join('classes as c', 'c.id', 'a.class_id')
      .join('subjects as s', 's.id', 'a.subject_id')
      .where({ 'c.name': '6A1', 's.code': 'TOAN', 'a.school_year_id': yearId })
      .first('a.id', 'a.staff_id')) as { id: number; staff_id: number };
    const newTeacher = Number(toan6A1.staff_id) === Number(teacherA.id) ? teacherB : teacherA;
    const file = csv([
      'Lớp;Môn;Giáo viên',
      `6A5;TOAN;${teacherA.national_id}`,
      `6a5;Ngữ văn;${teacherB.full_name}`,
      `6A1;toan;${newTeacher.national_id}`,
      '6A5;Thiên văn học;Ai Đó',
      `6A9;Toán;${teacherA.national_id}`,
      `6A5;Toán;${teacherB.national_id}`,
    ]);
    expect((await send(gvbm, 'assignments', 'dry-run', 'pc.csv', file)).status).toBe(403);
    const dry = await send(giaovu, 'assignments', 'dry-run', 'pc.csv', file);
    expect(dry.status).toBe(200);
    expect(dry.body.rows.map((r: { status: string }) => r.status)).toEqual(['create', 'create', 'update', 'error', 'error', 'error']);
    expect(dry.body.rows[3].errors).toEqual({
      Môn: 'Không có môn "Thiên văn học" (ghi mã môn hoặc tên môn như trong danh mục môn học).',
      'Giáo viên': 'Không có cán bộ "Ai Đó" trong danh sách cán bộ của trường (ghi mã định danh hoặc họ và tên).',
    });
    expect(dry.body.rows[4].errors).toEqual({ Lớp: 'Không có lớp 6A9 trong năm học 2026-2027.' });
    expect(dry.body.rows[5].errors).toEqual({ Môn: '6A5 – Toán bị trùng với dòng 2 trong tệp.' });

    const good = csv(file.replace(/^\uFEFF/, '').trim().split('\r\n').slice(0, 4));
    const before = await count('teaching_assignments');
    const res = await send(giaovu, 'assignments', 'commit', 'pc.csv', good);
    expect(res.status).toBe(200);
    expect(res.body.summary).toEqual({ create: 2, update: 1, unchanged: 0, error: 0 });
    expect(await count('teaching_assignments')).toBe(before + 2);
    expect(Number((await srv.db('teaching_assignments').where({ id: toan6A1.id }).first('staff_id')).staff_id)).toBe(Number(newTeacher.id));
    const audit = await srv.db('audit_events').where({ entity: 'teaching-assignments', entity_id: String(toan6A1.id) }).orderBy('id', 'desc').first();
    expect(JSON.parse(audit.after)).toEqual({ staffId: Number(newTeacher.id) });
    const again = await send(giaovu, 'assignments', 'commit', 'pc.csv', good);
    expect(again.body.summary).toEqual({ create: 0, update: 0, unchanged: 3, error: 0 });
    expect(await count('teaching_assignments')).toBe(before + 2);
  });
});
