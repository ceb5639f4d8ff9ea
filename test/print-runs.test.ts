import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regularAssessmentCount } from '../domain/assessment-count';
import { seedDemoScores } from '../server/demo/scores';
import { accountFor, Client } from './helpers/client';
import { testDatabases } from './helpers/databases';
import { startServer, type TestServer } from './helpers/server';
import { tempDirs } from './helpers/temp';

const printedDir = tempDirs('printed-');

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

/** The PDF's text as pdftotext lays it out (poppler-utils), NFC. */
function pdfText(bytes: Buffer): string {
  const file = path.join(printedDir(), 'book.pdf');
  fs.writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).normalize('NFC');
}
const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The printed grade book and its print run (issue 12): request → approve → frozen PDF → public check. */
describe.each(testDatabases())('print runs on %s', (kind) => {
  let srv: TestServer;
  let vp: Client, principal: Client, teacher: Client, clerk: Client;
  let classId: number;
  let className: string;
  let completeName: string;
  let schoolYearId: number;
  let admin: Client;

  beforeAll(async () => {
    srv = await startServer(kind, { students: 120 });
    await seedDemoScores(srv.db);
    const login = (role: string) => new Client(srv.url).loginAs(accountFor(srv.accounts, role));
    [vp, principal, teacher, clerk] = await Promise.all(['vice_principal', 'principal', 'subject_teacher', 'records_clerk'].map(login));
    const klass = await srv.db('classes as c').join('school_years as y', 'y.id', 'c.school_year_id').where({ 'y.is_current': true, 'c.grade': 6 }).orderBy('c.name').first('c.id', 'c.name', 'c.school_id', 'c.school_year_id');
    classId = Number(klass.id);
    className = String(klass.name);
    schoolYearId = Number(klass.school_year_id);
    admin = await login('admin');
    // One applied correction in Toán, semester I: the subject page must count it.
    const sem1 = await srv.db('semesters').where({ number: 1 }).first('id');
    const toan = await srv.db('subjects').where({ code: 'TOAN' }).first('id');
    const student = await srv.db('enrolments').where({ class_id: classId }).first('student_id');
    const user = await srv.db('users').where({ username: accountFor(srv.accounts, 'subject_teacher').username }).first('id');
    const now = new Date().toISOString();
    await srv.db('correction_requests').insert({
      school_id: klass.school_id, semester_id: sem1.id, class_id: classId, subject_id: toan.id, student_id: student.student_id, kind: 'regular', seq: 1,
      old_value: '6', new_value: '7', reason: 'nhập nhầm', closed_rule: 'regular_weekly', requested_by: user.id, status: 'applied', procedure: 'witnessed', created_at: now, updated_at: now,
    });
    // The demo has no final scores yet: one student gets a whole semester I (8,5 everywhere, Đ for comment
    // subjects), so the summary sheet has a row with every subject's result and a learning level to print.
    const full = Number(student.student_id);
    completeName = String((await srv.db('students').where({ id: full }).first('full_name')).full_name).normalize('NFC');
    await srv.db('assessment_scores').where({ student_id: full, semester_id: sem1.id }).delete();
    const subjects = await srv.db('subjects').select('id', 'assessment_type', 'periods_per_year', 'regular_assessments_override');
    const base = { school_id: klass.school_id, semester_id: sem1.id, class_id: classId, student_id: full, first_entered_at: now, entered_by: user.id, updated_at: now, updated_by: user.id, version: 1 };
    for (const s of subjects) {
      const scored = s.assessment_type === 'scored';
      const v = { score: scored ? '8.5' : null, grade_text: scored ? null : 'D' };
      const n = regularAssessmentCount(JSON.parse(s.periods_per_year)['6'], s.regular_assessments_override);
      const rows = [...Array.from({ length: n }, (_, i) => ({ kind: 'regular', seq: i + 1 })), { kind: 'midterm', seq: 1 }, { kind: 'final', seq: 1 }];
      await srv.db('assessment_scores').insert(rows.map((r) => ({ ...base, subject_id: s.id, ...r, ...v })));
    }
    expect((await principal.post('/api/results/recompute', { schoolYearId: Number(klass.school_year_id) })).status).toBe(200);
  }, 240_000);
  afterAll(async () => srv?.close());

  it('refuses a request from a teacher and an approval from a vice principal; a rejected run has no PDF', async () => {
    expect((await teacher.post('/api/print-runs', { kind: 'gradebook', classId, period: '1' })).status).toBe(403);
    const asked = await vp.post('/api/print-runs', { kind: 'gradebook', classId, period: '1', note: 'in để rà soát' });
    expect(asked.status).toBe(201);
    expect((await vp.post(`/api/print-runs/${asked.body.id}/decision`, { decision: 'approve' })).status).toBe(403);
    expect((await vp.post('/api/print-runs', { kind: 'gradebook', classId, period: '1' })).status).toBe(409); // one waiting per book
    expect((await principal.post(`/api/print-runs/${asked.body.id}/decision`, { decision: 'reject' })).status).toBe(400); // a reason is required
    const rejected = await principal.post(`/api/print-runs/${asked.body.id}/decision`, { decision: 'reject', note: 'chờ đủ điểm cuối kỳ' });
    expect(rejected.body).toMatchObject({ status: 'rejected', verificationCode: null, sha256: null });
    const pdf = await principal.download(`/api/print-runs/${asked.body.id}/pdf`);
    expect(pdf.status).toBe(409);
  });

  it('approves, freezes and regenerates the PDF byte for byte; the text shows the book', async () => {
    const asked = await vp.post('/api/print-runs', { kind: 'gradebook', classId, period: '1' });
    expect(asked.status).toBe(201);
    const approved = await principal.post(`/api/print-runs/${asked.body.id}/decision`, { decision: 'approve' });
    expect(approved.status).toBe(200);
    const run = approved.body;
    const principalName = (await srv.db('users').where({ username: accountFor(srv.accounts, 'principal').username }).first('full_name')).full_name;
    const vpName = (await srv.db('users').where({ username: accountFor(srv.accounts, 'vice_principal').username }).first('full_name')).full_name;
    expect(run).toMatchObject({ status: 'approved', className, requestedBy: vpName, decidedBy: principalName });
    expect(run.verificationCode).toMatch(/^[2-9A-Z]{10}$/);
    expect(run.pageCount).toBeGreaterThan(3);

    // Downloaded twice by different people: the same bytes each time, and those the principal approved.
    const a = await clerk.download(`/api/print-runs/${run.id}/pdf`);
    const b = await vp.download(`/api/print-runs/${run.id}/pdf`);
    expect(a.status).toBe(200);
    expect(a.headers.get('content-type')).toBe('application/pdf');
    expect(sha(a.bytes)).toBe(run.sha256);
    expect(sha(b.bytes)).toBe(run.sha256);

    // Scores changed after approval do not change the printed book.
    await srv.db('assessment_scores').where({ class_id: classId }).update({ score: '10' });
    const c = await clerk.download(`/api/print-runs/${run.id}/pdf`);
    expect(sha(c.bytes)).toBe(run.sha256);

    const file = path.join(printedDir(), 'book.pdf');
    fs.writeFileSync(file, a.bytes);
    if (kind === 'sqlite' && fs.existsSync('/tmp/printed')) fs.copyFileSync(file, '/tmp/printed/book.pdf');
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).normalize('NFC');
    const snapshot = JSON.parse((await srv.db('print_runs').where({ id: run.id }).first('snapshot')).snapshot);
    for (const name of ['Toán', 'Ngữ văn', 'Tin học']) expect(text).toContain(name);
    expect(text).toContain(snapshot.subjectPages[0].rows[0].name);
    expect(text).toMatch(/\b\d,5\b/); // a half score, written with a decimal comma
    expect(text).toContain('Hiệu trưởng'.toUpperCase());
    expect(text).toContain('(Hiệu trưởng ký, ghi rõ họ tên, đóng dấu)');
    expect(text).toContain(run.verificationCode);
    expect(text).toContain(`Trang 1/${run.pageCount}`);
    expect(text).toContain('BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ');
    // The summary sheet comes from the results code: the complete student's row has every subject and a level.
    const row = snapshot.summary.rows.find((r: { name: string }) => r.name === completeName);
    expect(row.subjects.every((v: string) => v === '8,5' || v === 'Đ')).toBe(true);
    expect(row.learning).not.toBe('');
    expect(text).toMatch(new RegExp(`${completeName}.*8,5.*8,5`));
    const toan = snapshot.subjectPages.find((p: { name: string }) => p.name === 'Toán');
    expect(toan.corrections).toBe(1);
    expect(snapshot.subjectPages.filter((p: { corrections: number }) => p.corrections > 0)).toHaveLength(1);
    const pages = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(pages).toMatch(new RegExp(`Pages:\\s+${run.pageCount}\\b`));
    expect(pages).toMatch(/Page size:\s+841\.89 x 595\.28/);

    // The public check: no sign-in, the document's identity and hash, never a score or a student's name.
    const anon = new Client(srv.url);
    const check = await anon.get(`/api/public/printed/${run.verificationCode}`);
    expect(check.status).toBe(200);
    expect(check.body).toMatchObject({ valid: true, className, pages: run.pageCount, sha256: run.sha256, approvedBy: principalName });
    const json = JSON.stringify(check.body);
    expect(json).not.toContain(snapshot.subjectPages[0].rows[0].name);
    expect(json).not.toMatch(/ĐĐG|score|\d,\d/);
    expect((await anon.get('/api/public/printed/ABCDEFGHJK')).status).toBe(404);
    // A phone scanning the QR asks for HTML: it is sent to the portal's page for the code (which reads the JSON).
    const scanned = await fetch(`${srv.url}/api/public/printed/${run.verificationCode}`, { headers: { Accept: 'text/html,application/xhtml+xml' }, redirect: 'manual' });
    expect(scanned.status).toBe(302);
    expect(scanned.headers.get('location')).toBe(`/#/kiem-tra-ban-in/${run.verificationCode}`);

    // The list, filterable for the archive register; names in full.
    const list = await clerk.get(`/api/print-runs?filter=${encodeURIComponent(JSON.stringify({ status: 'approved' }))}`);
    expect(list.body.map((r: { id: number }) => r.id)).toEqual([run.id]);
    expect(list.headers.get('content-range')).toMatch(/^print-runs 0-0\/1$/);

    const audit = await srv.db('audit_events').where({ entity: 'print-runs' }).select('action', 'entity_id');
    const actions = audit.map((r) => `${r.action}:${r.entity_id}`);
    for (const step of ['request', 'approve', 'download']) expect(actions).toContain(`${step}:${run.id}`);
    expect(actions).toContain(`reject:${run.id - 1}`);
  }, 120_000);

  it('prints the whole year: semester II pages carry ĐTBmhk I, ĐTBmhk II and ĐTBmcn, and the year summary', async () => {
    const asked = await vp.post('/api/print-runs', { kind: 'gradebook', classId, period: 'year' });
    expect(asked.status).toBe(201);
    const run = (await principal.post(`/api/print-runs/${asked.body.id}/decision`, { decision: 'approve' })).body;
    expect(run.status).toBe('approved');
    const snapshot = JSON.parse((await srv.db('print_runs').where({ id: run.id }).first('snapshot')).snapshot);
    const semesters = new Set(snapshot.subjectPages.map((p: { semester: number }) => p.semester));
    expect([...semesters]).toEqual([1, 2]);
    const s2 = snapshot.subjectPages.find((p: { semester: number; kind: string }) => p.semester === 2 && p.kind === 'scored');
    expect(s2.headers.slice(-3)).toEqual(['ĐTBmhk I', 'ĐTBmhk II', 'ĐTBmcn']);
    const pdf = await vp.download(`/api/print-runs/${run.id}/pdf`);
    expect(sha(pdf.bytes)).toBe(run.sha256);
    expect(snapshot.summary.title).toContain('Cả năm');
  }, 120_000);

  it('prints the roll-call book: roster, absences per semester, the subject pages; frozen and checked publicly', async () => {
    // Absences as the homeroom teacher records them: per semester, excused and unexcused.
    const roster = await srv.db('enrolments as e').join('students as s', 's.id', 'e.student_id').where({ 'e.class_id': classId, 'e.status': 'active' }).orderBy('s.id').select('s.id', 's.full_name', 's.student_code', 's.birth_date', 's.ethnicity');
    const absent = roster.find((r) => r.full_name.length < 22) ?? roster[0];
    const user = await srv.db('users').where({ username: accountFor(srv.accounts, 'homeroom_teacher').username }).first('id');
    const klass = await srv.db('classes').where({ id: classId }).first('school_id');
    for (const [number, excused, unexcused] of [[1, 2, 1], [2, 3, 0]]) {
      const sem = await srv.db('semesters').where({ school_year_id: schoolYearId, number }).first('id');
      await srv.db('conduct_records').where({ semester_id: sem.id, student_id: absent.id }).delete();
      await srv.db('conduct_records').insert({ school_id: klass.school_id, semester_id: sem.id, class_id: classId, student_id: absent.id, absences_excused: excused, absences_unexcused: unexcused, updated_by: user.id, updated_at: new Date().toISOString() });
    }

    expect((await teacher.post('/api/print-runs', { kind: 'rollcall', classId, period: 'year' })).status).toBe(403);
    const asked = await vp.post('/api/print-runs', { kind: 'rollcall', classId, period: 'year' });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    expect(asked.body).toMatchObject({ kind: 'rollcall', book: 'Sổ gọi tên và ghi điểm', className, status: 'requested' });
    // The grade book of the same class and period is another book: it may wait beside it; the roll-call book may not twice.
    expect((await vp.post('/api/print-runs', { kind: 'rollcall', classId, period: 'year' })).status).toBe(409);
    expect((await vp.post(`/api/print-runs/${asked.body.id}/decision`, { decision: 'approve' })).status).toBe(403);
    const approved = await principal.post(`/api/print-runs/${asked.body.id}/decision`, { decision: 'approve' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    const run = approved.body;
    expect(run).toMatchObject({ status: 'approved', kind: 'rollcall', renderer: 'rollcall@1' });

    const a = await clerk.download(`/api/print-runs/${run.id}/pdf`);
    const b = await vp.download(`/api/print-runs/${run.id}/pdf`);
    expect(a.status).toBe(200);
    expect(a.headers.get('content-disposition')).toContain(`so-goi-ten-${className}-ca-nam-luot-${run.id}.pdf`);
    expect(sha(a.bytes)).toBe(run.sha256);
    expect(sha(b.bytes)).toBe(run.sha256);
    const text = pdfText(a.bytes);
    for (const t of ['SỔ GỌI TÊN VÀ GHI ĐIỂM', 'DANH SÁCH HỌC SINH', 'TỔNG HỢP SỐ BUỔI NGHỈ HỌC', 'Hệ thống không ghi điểm danh từng ngày', 'GIÁO VIÊN CHỦ NHIỆM', '(Hiệu trưởng ký, ghi rõ họ tên, đóng dấu)', `TOÁN – Lớp ${className} – Học kỳ II`, 'NGỮ VĂN', 'GIÁO VIÊN BỘ MÔN']) expect(text).toContain(t);
    // Every student on the roster, with code and date of birth; the absences: HK I 2/1/3, HK II 3/0/3, year 5/1/6.
    for (const r of roster) expect(text).toContain(r.full_name.normalize('NFC'));
    const [y, m, d] = String(absent.birth_date).split('-');
    expect(text).toMatch(new RegExp(`${escape(absent.full_name.normalize('NFC'))}\\s+${d}/${m}/${y}\\s+(Nam|Nữ)\\s+\\S+\\s+${absent.student_code}`));
    expect(text).toMatch(new RegExp(`${escape(absent.full_name.normalize('NFC'))}\\s+2\\s+1\\s+3\\s+3\\s+0\\s+3\\s+5\\s+1\\s+6\\b`));
    expect(text).toContain(`Trang ${run.pageCount}/${run.pageCount}`);
    expect(text.split(`Mã xác thực: ${run.verificationCode}`).length - 1).toBe(run.pageCount);

    const check = await new Client(srv.url).get(`/api/public/printed/${run.verificationCode}`);
    expect(check.body).toMatchObject({ valid: true, kind: 'rollcall', book: 'Sổ gọi tên và ghi điểm', className, sha256: run.sha256 });
    expect(JSON.stringify(check.body)).not.toContain(absent.full_name);
  }, 120_000);

  it('prints the enrolment register: one numbered line per student of the year, by class, leavers with date and reason', async () => {
    // One student left for another school this year; one arrived in January (the last register number).
    const [leaver, arrival] = await srv.db('enrolments as e').join('students as s', 's.id', 'e.student_id').where({ 'e.school_year_id': schoolYearId, 'e.status': 'active' }).orderBy('s.id', 'desc').limit(2).select('e.id', 'e.student_id', 'e.class_id', 's.full_name', 's.school_id');
    await srv.db('enrolments').where({ id: leaver.id }).update({ end_date: '2027-01-15', status: 'left' });
    await srv.db('students').where({ id: leaver.student_id }).update({ status: 'transferred_out' });
    await srv.db('student_transfers').insert({ school_id: leaver.school_id, student_id: leaver.student_id, direction: 'out', transfer_date: '2027-01-15', other_school: 'Trường THCS Khánh Hòa', reason: 'gia đình chuyển nhà', class_id: leaver.class_id, created_at: new Date().toISOString() });
    await srv.db('enrolments').where({ id: arrival.id }).update({ start_date: '2027-01-12' });

    expect((await teacher.post('/api/print-runs', { kind: 'enrolment', schoolYearId })).status).toBe(403);
    expect((await vp.post('/api/print-runs', { kind: 'enrolment', schoolYearId, grade: 12 })).body.errors?.grade).toMatch(/không có lớp nào thuộc khối 12/);
    const asked = await vp.post('/api/print-runs', { kind: 'enrolment', schoolYearId });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    expect(asked.body).toMatchObject({ kind: 'enrolment', book: 'Sổ đăng bộ', classId: null, className: null, grade: null, period: 'year' });
    expect((await vp.post('/api/print-runs', { kind: 'enrolment', schoolYearId })).status).toBe(409);
    // One grade is another book; a VP still cannot approve.
    const grade6 = await vp.post('/api/print-runs', { kind: 'enrolment', schoolYearId, grade: 6 });
    expect(grade6.status).toBe(201);
    expect((await vp.post(`/api/print-runs/${asked.body.id}/decision`, { decision: 'approve' })).status).toBe(403);
    const run = (await principal.post(`/api/print-runs/${asked.body.id}/decision`, { decision: 'approve' })).body;
    expect(run).toMatchObject({ status: 'approved', renderer: 'enrolment@1' });
    const pdf = await clerk.download(`/api/print-runs/${run.id}/pdf`);
    expect(pdf.status).toBe(200);
    expect(sha(pdf.bytes)).toBe(run.sha256);
    expect(sha((await vp.download(`/api/print-runs/${run.id}/pdf`)).bytes)).toBe(run.sha256);
    const text = pdfText(pdf.bytes);

    // The register number: first enrolment date at the school, then student code, over every student it ever had.
    const firsts = (await srv.db('enrolments as e').join('students as s', 's.id', 'e.student_id').groupBy('e.student_id', 's.student_code').select('e.student_id', 's.student_code').min({ first: 'e.start_date' })) as Array<{ student_id: number; student_code: string; first: string }>;
    firsts.sort((p, q) => (p.first < q.first ? -1 : p.first > q.first ? 1 : p.student_code < q.student_code ? -1 : 1));
    const numberOf = (id: number) => firsts.findIndex((f) => Number(f.student_id) === Number(id)) + 1;
    expect(numberOf(arrival.student_id)).toBe(firsts.length);
    const year = await srv.db('enrolments as e').join('students as s', 's.id', 'e.student_id').where('e.school_year_id', schoolYearId).select('e.student_id', 's.full_name');
    for (const r of year) expect(text).toMatch(new RegExp(`^\\s*${numberOf(r.student_id)}\\s+${escape(r.full_name.normalize('NFC').slice(0, 12))}`, 'm'));
    expect(text).toMatch(/15\/01\/2027 – Chuyển trường/);
    expect(text).toContain('12/01/2027');
    for (const t of ['SỔ ĐĂNG BỘ', 'Số đăng bộ', 'Quê quán', 'Chỗ ở hiện nay', `Tổng số: ${new Set(year.map((r) => r.student_id)).size} học sinh`, 'HIỆU TRƯỞNG']) expect(text).toContain(t);
    const snapshot = JSON.parse((await srv.db('print_runs').where({ id: run.id }).first('snapshot')).snapshot);
    expect(snapshot.classes.map((c: { grade: number }) => c.grade)).toEqual([...snapshot.classes.map((c: { grade: number }) => c.grade)].sort());
    const file = path.join(printedDir(), 'register.pdf');
    fs.writeFileSync(file, pdf.bytes);
    expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/Page size:\s+841\.89 x 595\.28/);

    const check = await new Client(srv.url).get(`/api/public/printed/${run.verificationCode}`);
    expect(check.body).toMatchObject({ valid: true, kind: 'enrolment', book: 'Sổ đăng bộ', className: null, grade: null, pages: run.pageCount });
    const six = (await principal.post(`/api/print-runs/${grade6.body.id}/decision`, { decision: 'approve' })).body;
    const sixSnapshot = JSON.parse((await srv.db('print_runs').where({ id: six.id }).first('snapshot')).snapshot);
    expect(sixSnapshot.classes.length).toBeGreaterThan(0);
    expect(sixSnapshot.classes.every((c: { grade: number }) => c.grade === 6)).toBe(true);
  }, 120_000);

  it('redraws a run approved before renderer versions were recorded with the first grade book renderer', async () => {
    const run = await srv.db('print_runs').where({ kind: 'gradebook', status: 'approved' }).first('id', 'sha256');
    await srv.db('print_runs').where({ id: run.id }).update({ renderer: null });
    const pdf = await clerk.download(`/api/print-runs/${run.id}/pdf`);
    expect(pdf.status).toBe(200);
    expect(sha(pdf.bytes)).toBe(run.sha256);
    // A version this build does not have is refused, never redrawn with another.
    await srv.db('print_runs').where({ id: run.id }).update({ renderer: 'gradebook@99' });
    expect((await clerk.download(`/api/print-runs/${run.id}/pdf`)).status).toBe(500);
    await srv.db('print_runs').where({ id: run.id }).update({ renderer: 'gradebook@1' });
  });

  it('files a paper copy of each book in the archive register under its run, and refuses a run of another book', async () => {
    const runs = await srv.db('print_runs').where({ status: 'approved' }).whereNull('grade').select('id', 'kind', 'class_id');
    const of = (k: string) => runs.find((r) => r.kind === k)!;
    const entry = { schoolYearId, pages: 12, location: 'Kệ B, hộp 2', receivedOn: '2026-11-20', retentionPermanent: true };
    const filed = [
      await clerk.post('/api/archive-entries', { ...entry, book: 'gradebook', classId, printRunId: of('gradebook').id }),
      await clerk.post('/api/archive-entries', { ...entry, book: 'roll_call', classId, printRunId: of('rollcall').id }),
      await clerk.post('/api/archive-entries', { ...entry, book: 'enrolment_register', printRunId: of('enrolment').id }),
    ];
    expect(filed.map((r) => r.status), JSON.stringify(filed.map((r) => r.body))).toEqual([201, 201, 201]);
    const wrong = [
      await clerk.post('/api/archive-entries', { ...entry, book: 'gradebook', classId, printRunId: of('rollcall').id }),
      await clerk.post('/api/archive-entries', { ...entry, book: 'enrolment_register', classId, printRunId: of('enrolment').id }),
      await clerk.post('/api/archive-entries', { ...entry, book: 'roll_call', printRunId: of('rollcall').id }),
    ];
    for (const r of wrong) expect(r.body.errors?.printRunId).toMatch(/là sổ khác/);
    expect((await admin.post('/api/archive-entries', { ...entry, book: 'roll_call', classId, printRunId: of('rollcall').id })).status).toBe(403);
  });
});
