import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMinutes, type MinutesData } from '../server/corrections/minutes';
import { accountFor, Client } from './helpers/client';
import { testDatabases } from './helpers/databases';
import { startServer, type TestServer } from './helpers/server';
import { tempDirs } from './helpers/temp';

const minutesDir = tempDirs('minutes-');

/** pdftotext (poppler-utils) reads the Vietnamese text back when the machine has it; the basic checks run either way. */
const PDFTOTEXT = (() => {
  try {
    return execFileSync('which', ['pdftotext'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
})();

function pdfText(pdf: Buffer): string {
  const file = path.join(minutesDir(), 'm.pdf');
  fs.writeFileSync(file, pdf);
  return execFileSync(PDFTOTEXT!, ['-raw', file, '-'], { encoding: 'utf8' }).normalize('NFC');
}

/** What every minutes PDF must be: a PDF with the Unicode font embedded (not a standard font that loses "Đ"). */
function expectMinutesPdf(pdf: Buffer, texts: string[]): void {
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(pdf.includes(Buffer.from('DejaVuSans'))).toBe(true);
  expect(pdf.includes(Buffer.from('/FontFile2'))).toBe(true);
  if (PDFTOTEXT) {
    const text = pdfText(pdf).replace(/\s+/g, ' ');
    for (const s of texts) expect(text).toContain(s);
  }
}

const DAY = 86_400_000;

describe.each(testDatabases())('score corrections (sửa điểm) on %s', (kind) => {
  let srv: TestServer;
  let teacher: Client;
  let principal: Client;
  let vp: Client;
  let witness: Client;
  let admin: Client;
  let clerk: Client;
  let deptHead: Client;
  let teacherId: number;
  let witnessId: number;
  let schoolId: number;
  let book: { classId: number; subjectId: number; semesterId: number };
  let students: Array<{ id: number; fullName: string }>;
  let className: string;
  let names: { teacher: string; vp: string; witness: string; principal: string; admin: string };

  beforeAll(async () => {
    srv = await startServer(kind);
    const login = (role: string) => new Client(srv.url).loginAs(accountFor(srv.accounts, role));
    [teacher, principal, vp, witness, admin, clerk, deptHead] = await Promise.all(
      ['subject_teacher', 'principal', 'vice_principal', 'homeroom_teacher', 'admin', 'records_clerk', 'department_head'].map(login),
    );
    const user = (username: string) => srv.db('users').where({ username }).first() as Promise<{ id: number; staff_id: number; full_name: string; school_id: number }>;
    const [t, w, v, p, a] = await Promise.all(['gvbm', 'gvcn', 'phohieutruong', 'hieutruong', 'admin'].map(user));
    teacherId = Number(t.id);
    witnessId = Number(w.id);
    schoolId = Number(t.school_id);
    names = { teacher: t.full_name, witness: w.full_name, vp: v.full_name, principal: p.full_name, admin: a.full_name };
    // A scored subject gvbm teaches in a grade phohieutruong supervises (grades 6–7).
    const assignment = (await srv.db('teaching_assignments as a')
      .join('classes as c', 'c.id', 'a.class_id')
      .join('subjects as s', 's.id', 'a.subject_id')
      .where({ 'a.staff_id': t.staff_id, 's.assessment_type': 'scored' })
      .whereIn('c.grade', [6, 7])
      .orderBy('c.name')
      .first('a.class_id', 'a.subject_id', 'a.school_year_id', 'c.name as class_name')) as { class_id: number; subject_id: number; school_year_id: number; class_name: string };
    const semester = (await srv.db('semesters').where({ school_year_id: assignment.school_year_id, number: 1 }).first('id')) as { id: number };
    book = { classId: Number(assignment.class_id), subjectId: Number(assignment.subject_id), semesterId: Number(semester.id) };
    className = assignment.class_name;
    const grid = await teacher.get(`/api/gradebook?classId=${book.classId}&subjectId=${book.subjectId}&semesterId=${book.semesterId}`);
    expect(grid.status).toBe(200);
    students = grid.body.rows.map((r: { student: { id: number; fullName: string } }) => r.student);
    expect(students.length).toBeGreaterThan(8);
  });
  afterAll(async () => srv?.close());

  const gridCell = async (studentId: number, key: string) => {
    const grid = await teacher.get(`/api/gradebook?classId=${book.classId}&subjectId=${book.subjectId}&semesterId=${book.semesterId}`);
    return grid.body.rows.find((r: { student: { id: number } }) => r.student.id === studentId).cells[key] as { value: string | null; version: number; closed: unknown };
  };

  /** The teacher enters a regular score now; then the weekly cutoff passes (entered 30 days ago) and the cell closes. */
  async function closedCell(studentId: number, seq: number, value: string): Promise<void> {
    const saved = await teacher.put('/api/gradebook', { ...book, cells: [{ studentId, kind: 'regular', seq, value, version: 0 }] });
    expect(saved.status).toBe(200);
    await srv
      .db('assessment_scores')
      .where({ class_id: book.classId, subject_id: book.subjectId, semester_id: book.semesterId, student_id: studentId, kind: 'regular', seq })
      .update({ first_entered_at: new Date(Date.now() - 30 * DAY).toISOString() });
    expect((await gridCell(studentId, `regular:${seq}`)).closed).not.toBeNull();
  }

  const file = (studentId: number, seq: number, newValue: string | null, extra: Record<string, unknown> = {}) =>
    teacher.post('/api/correction-requests', { ...book, studentId, kind: 'regular', seq, newValue, reason: 'Nhập nhầm điểm của học sinh khác', ...extra });

  async function minutesOf(client: Client, id: number): Promise<{ status: number; type: string | null; disposition: string | null; pdf: Buffer }> {
    const res = await fetch(`${srv.url}/api/correction-requests/${id}/minutes`, { headers: { Cookie: client.cookie } });
    return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), pdf: Buffer.from(await res.arrayBuffer()) };
  }

  it('refuses a correction for an open cell: the teacher simply edits it in the grid', async () => {
    const s = students[0];
    const saved = await teacher.put('/api/gradebook', { ...book, cells: [{ studentId: s.id, kind: 'regular', seq: 1, value: '6', version: 0 }] });
    expect(saved.status).toBe(200);
    const res = await file(s.id, 1, '7');
    expect(res.status).toBe(409);
    expect(res.body.message).toBe('Ô điểm này vẫn đang mở: hãy sửa trực tiếp trên bảng điểm, không cần đề nghị sửa điểm.');
    // An empty regular cell is open too: next week's score goes into it.
    expect((await file(s.id, 2, '7')).status).toBe(409);
    const list = await principal.get(`/api/correction-requests?filter=${encodeURIComponent(JSON.stringify({ studentId: s.id }))}`);
    expect(list.body).toEqual([]);
  });

  it('runs the witnessed procedure: request, approval, two confirmations, applied from the teacher’s account, minutes filed', async () => {
    const s = students[1];
    await closedCell(s.id, 2, '7.5');
    // The closed cell cannot be saved in the grid any more.
    expect((await teacher.put('/api/gradebook', { ...book, cells: [{ studentId: s.id, kind: 'regular', seq: 2, value: '8.5', version: 1 }] })).status).toBe(423);

    const filed = await file(s.id, 2, '8,5', { witnessUserId: witnessId });
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ status: 'pending', procedure: 'witnessed', oldValue: '7.5', newValue: '8.5', column: 'ĐĐGtx 2', closedRule: 'regular_weekly', witnessUserId: witnessId });
    const id = filed.body.id as number;
    const again = await file(s.id, 2, '9');
    expect(again.status).toBe(409);
    expect(again.body.message).toBe(`Ô điểm này đang có đề nghị sửa điểm số ${id} chưa xử lý xong.`);

    const approved = await principal.post(`/api/correction-requests/${id}/approve`, { note: 'Đồng ý sửa' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', decidedByName: names.principal, decisionNote: 'Đồng ý sửa' });

    const early = await teacher.post(`/api/correction-requests/${id}/apply`);
    expect(early.status).toBe(409);
    expect(early.body.message).toBe('Chưa thể sửa điểm: còn chờ xác nhận của Phó hiệu trưởng phụ trách, người chứng kiến.');
    expect((await gridCell(s.id, 'regular:2')).value).toBe('7.5');

    const vpOk = await vp.post(`/api/correction-requests/${id}/confirm`);
    expect(vpOk.status).toBe(200);
    expect(vpOk.body.vpName).toBe(names.vp);
    const vpTwice = await vp.post(`/api/correction-requests/${id}/confirm`);
    expect(vpTwice.status).toBe(409);
    const stillEarly = await teacher.post(`/api/correction-requests/${id}/apply`);
    expect(stillEarly.status).toBe(409);
    expect(stillEarly.body.message).toBe('Chưa thể sửa điểm: còn chờ xác nhận của người chứng kiến.');
    expect((await witness.post(`/api/correction-requests/${id}/confirm`)).status).toBe(200);

    // Seed 000: the correction is made from the requesting teacher's account, not by a witness.
    const byVp = await vp.post(`/api/correction-requests/${id}/apply`);
    expect(byVp.status).toBe(403);
    expect(byVp.body.message).toBe('Theo quy trình, việc sửa điểm được thực hiện từ tài khoản của chính giáo viên đã đề nghị.');

    const applied = await teacher.post(`/api/correction-requests/${id}/apply`);
    expect(applied.status).toBe(200);
    expect(applied.body.status).toBe('applied');
    expect(applied.body.appliedBy).toBe(teacherId);
    expect(applied.body.oldValue).toBe('7.5');
    expect(applied.body.history.map((e: { action: string }) => e.action)).toEqual(['filed', 'witness_named', 'approved', 'confirmed_vp', 'confirmed_witness', 'applied']);
    const cell = await gridCell(s.id, 'regular:2');
    expect(cell.value).toBe('8.5');
    expect(cell.version).toBe(2);
    expect(cell.closed).not.toBeNull(); // still closed to ordinary edits: the correction reopened nothing
    expect((await teacher.post(`/api/correction-requests/${id}/apply`)).body.message).toBe('Chưa thể thực hiện: đề nghị sửa điểm đã được thực hiện (cần được Hiệu trưởng phê duyệt trước).');

    // The audit trail keeps the old value beside the new one, with the request as the reason.
    const audit = await principal.get(`/api/audit-events?filter=${encodeURIComponent(JSON.stringify({ entity: 'gradebook', action: 'correction_apply' }))}`);
    const event = audit.body.find((e: { reason: string }) => e.reason === `correction-requests/${id}`);
    expect(event).toMatchObject({ username: 'gvbm', before: { cells: [{ studentId: s.id, kind: 'regular', seq: 2, value: '7.5' }] }, after: { cells: [{ value: '8.5' }] } });

    // The request list shows state and history, filtered as react-admin asks.
    const list = await teacher.get(`/api/correction-requests?filter=${encodeURIComponent(JSON.stringify({ status: 'applied', classId: book.classId, subjectId: book.subjectId }))}`);
    expect(list.status).toBe(200);
    expect(list.headers.get('content-range')).toMatch(/^correction-requests 0-0\/1$/);
    expect(list.body[0]).toMatchObject({ id, status: 'applied', studentName: s.fullName });
    expect(list.body[0].history).toHaveLength(6);

    const minutes = await minutesOf(teacher, id);
    expect(minutes.status).toBe(200);
    expect(minutes.type).toMatch(/^application\/pdf/);
    expect(minutes.disposition).toBe(`attachment; filename="bien-ban-sua-diem-${id}.pdf"`);
    expect(crypto.createHash('sha256').update(minutes.pdf).digest('hex')).toBe(applied.body.minutesSha256);
    expectMinutesPdf(minutes.pdf, [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'BIÊN BẢN SỬA ĐIỂM',
      s.fullName,
      `lớp ${className}`,
      'ĐĐGtx 2',
      '7,5 → 8,5',
      'Nhập nhầm điểm của học sinh khác',
      names.principal,
      names.teacher,
      names.vp,
      names.witness,
    ]);
    // The VP files the minutes and the records clerk archives them; a colleague outside the procedure cannot read them.
    expect((await minutesOf(vp, id)).status).toBe(200);
    expect((await minutesOf(clerk, id)).status).toBe(200);
    expect((await minutesOf(deptHead, id)).status).toBe(403);
  });

  it('lets only the principal approve or reject: anyone else gets 403 and nothing changes', async () => {
    const s = students[2];
    await closedCell(s.id, 1, '5');
    const { body } = await file(s.id, 1, '6', { witnessUserId: witnessId });
    for (const [who, client] of [['vp', vp], ['admin', admin], ['teacher', teacher], ['clerk', clerk]] as const) {
      const res = await client.post(`/api/correction-requests/${body.id}/approve`, {});
      expect(res.status, who).toBe(403);
      expect((await client.post(`/api/correction-requests/${body.id}/reject`, { note: 'Không' })).status, who).toBe(403);
    }
    const now = await principal.get(`/api/correction-requests/${body.id}`);
    expect(now.body).toMatchObject({ status: 'pending', decidedBy: null });
    expect(now.body.history.map((e: { action: string }) => e.action)).toEqual(['filed', 'witness_named']);
    // A rejection needs its reason.
    expect((await principal.post(`/api/correction-requests/${body.id}/reject`, {})).status).toBe(400);
  });

  it('refuses a requester who names or confirms themselves as witness, and anyone who is not a party', async () => {
    const s = students[3];
    await closedCell(s.id, 1, '4');
    const self = await file(s.id, 1, '4,5', { witnessUserId: teacherId });
    expect(self.status).toBe(400);
    expect(self.body.errors.witnessUserId).toBe('Người đề nghị sửa điểm không thể là người chứng kiến.');
    const vpAsWitness = await file(s.id, 1, '4,5', { witnessUserId: Number((await srv.db('users').where({ username: 'phohieutruong' }).first('id')).id) });
    expect(vpAsWitness.status).toBe(400);
    expect(vpAsWitness.body.errors.witnessUserId).toMatch(/Phó hiệu trưởng phụ trách đã là một bên/);

    const filed = await file(s.id, 1, '4,5');
    expect(filed.status).toBe(201);
    expect((await principal.post(`/api/correction-requests/${filed.body.id}/approve`, { witnessUserId: witnessId })).body.witnessUserId).toBe(witnessId);
    const own = await teacher.post(`/api/correction-requests/${filed.body.id}/confirm`);
    expect(own.status).toBe(403);
    expect(own.body.message).toBe(
      'Bạn là người đề nghị sửa điểm nên không thể tự xác nhận. Phó hiệu trưởng phụ trách và người chứng kiến được chỉ định sẽ xác nhận.',
    );
    const outsider = await deptHead.post(`/api/correction-requests/${filed.body.id}/confirm`);
    expect(outsider.status).toBe(403);
    expect(outsider.body.message).toMatch(/Chỉ Phó hiệu trưởng phụ trách/);
    const after = await principal.get(`/api/correction-requests/${filed.body.id}`);
    expect(after.body).toMatchObject({ vpConfirmedAt: null, witnessConfirmedAt: null });
  });

  it('makes the supervising VP name the second witness before confirming when nobody is named yet', async () => {
    const s = students[students.length - 1];
    await closedCell(s.id, 1, '5');
    const filed = await file(s.id, 1, '5,5');
    expect(filed.status).toBe(201);
    expect((await principal.post(`/api/correction-requests/${filed.body.id}/approve`, {})).status).toBe(200);
    const unnamed = await vp.post(`/api/correction-requests/${filed.body.id}/confirm`, {});
    expect(unnamed.status).toBe(400);
    expect(unnamed.body.errors.witnessUserId).toBe('Chưa có người chứng kiến: hãy chọn người chứng kiến thứ hai trước khi xác nhận.');
    const named = await vp.post(`/api/correction-requests/${filed.body.id}/confirm`, { witnessUserId: witnessId });
    expect(named.status).toBe(200);
    expect(named.body).toMatchObject({ witnessUserId: witnessId, vpConfirmedAt: expect.any(String), witnessConfirmedAt: null });
  });

  it('never applies a rejected request, and frees the cell for a new request', async () => {
    const s = students[4];
    await closedCell(s.id, 1, '9');
    const { body } = await file(s.id, 1, '10', { witnessUserId: witnessId });
    const rejected = await principal.post(`/api/correction-requests/${body.id}/reject`, { note: 'Không có minh chứng' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', decisionNote: 'Không có minh chứng' });
    const apply = await teacher.post(`/api/correction-requests/${body.id}/apply`);
    expect(apply.status).toBe(409);
    expect(apply.body.message).toBe('Chưa thể thực hiện: đề nghị sửa điểm đã bị từ chối (cần được Hiệu trưởng phê duyệt trước).');
    expect((await witness.post(`/api/correction-requests/${body.id}/confirm`)).status).toBe(409);
    expect((await principal.post(`/api/correction-requests/${body.id}/approve`, {})).status).toBe(409);
    expect((await gridCell(s.id, 'regular:1')).value).toBe('9');
    expect((await minutesOf(principal, body.id)).status).toBe(404);
    const next = await file(s.id, 1, '10');
    expect(next.status).toBe(201);
    const cancelled = await teacher.post(`/api/correction-requests/${next.body.id}/cancel`, {});
    expect(cancelled.body.status).toBe('cancelled');
  });

  it('refuses to apply when the cell changed after the request was filed', async () => {
    const s = students[5];
    await closedCell(s.id, 1, '6');
    const { body } = await file(s.id, 1, '6,5', { witnessUserId: witnessId });
    await principal.post(`/api/correction-requests/${body.id}/approve`, {});
    await vp.post(`/api/correction-requests/${body.id}/confirm`);
    await witness.post(`/api/correction-requests/${body.id}/confirm`);
    // Someone changed it in between (say through an approved unlock).
    await srv.db('assessment_scores').where({ class_id: book.classId, subject_id: book.subjectId, semester_id: book.semesterId, student_id: s.id, kind: 'regular', seq: 1 }).update({ score: '7' });
    const res = await teacher.post(`/api/correction-requests/${body.id}/apply`);
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/^Ô điểm đã thay đổi sau khi gửi đề nghị \(lúc đề nghị: 6, hiện tại: 7\)/);
    expect((await principal.get(`/api/correction-requests/${body.id}`)).body.status).toBe('approved');
  });

  it('refuses bad values and a "correction" to the value the cell already holds', async () => {
    const s = students[6];
    await closedCell(s.id, 1, '8');
    expect((await file(s.id, 1, '8,25')).body.errors.newValue).toBe('Điểm chỉ được có một chữ số thập phân (ví dụ 8,5).');
    expect((await file(s.id, 1, 'Đ')).body.errors.newValue).toBe('Môn này chấm bằng điểm số, không nhập Đ/CĐ hay chữ.');
    const same = await file(s.id, 1, '8,0');
    expect(same.status).toBe(400);
    expect(same.body.errors.newValue).toBe('Giá trị mới trùng với giá trị hiện tại của ô điểm (8).');
    expect((await file(s.id, 1, '9', { extra: 1 })).status).toBe(400);
    const other = await witness.post('/api/correction-requests', { ...book, studentId: s.id, kind: 'regular', seq: 1, newValue: '9', reason: 'Thử' });
    expect(other.status).toBe(403);
  });

  it('lists as witness candidates exactly the staff the witness rule accepts, to those who name one', async () => {
    const userIdOf = async (username: string) => Number(((await srv.db('users').where({ username }).first('id')) as { id: number }).id);
    const [giaovu, vanthu, vpId, ketoan] = await Promise.all(['giaovu', 'vanthu', 'phohieutruong', 'ketoan'].map(userIdOf));
    const query = `classId=${book.classId}&subjectId=${book.subjectId}&semesterId=${book.semesterId}`;
    const before = await teacher.get(`/api/correction-requests/witness-candidates?${query}`);
    expect(before.status).toBe(200);
    // A colleague who leaves the school (Điều 7.4: the account goes at once) is no witness any more.
    const demoIds = await Promise.all(['gvcn', 'totruong', 'hieutruong', 'giaovu', 'vanthu', 'admin'].map(userIdOf));
    const leaverId = (before.body as Array<{ id: number; post: string }>).find((c) => c.post === 'teacher' && !demoIds.includes(c.id))!.id;
    const leaver = { id: leaverId, staff_id: Number(((await srv.db('users').where({ id: leaverId }).first('staff_id')) as { staff_id: number }).staff_id) };
    expect((await admin.post('/api/staff-post-changes', { staffId: Number(leaver.staff_id), toPost: 'left', effectiveDate: '2026-11-30', note: 'Chuyển công tác' })).status).toBe(201);

    const res = await teacher.get(`/api/correction-requests/witness-candidates?${query}`);
    expect(res.status).toBe(200);
    const ids = res.body.map((c: { id: number }) => c.id);
    expect(res.body).toContainEqual({ id: giaovu, fullName: expect.any(String), post: 'academic_staff' });
    expect(res.body).toContainEqual({ id: vanthu, fullName: expect.any(String), post: 'records_clerk' });
    expect(ids).toContain(witnessId);
    for (const excluded of [teacherId, vpId, Number(leaver.id), ketoan]) expect(ids).not.toContain(excluded);
    // Everyone listed is accepted when named: the list and the check are the same rule.
    const s = students[8];
    await closedCell(s.id, 1, '5');
    expect((await file(s.id, 1, '5,5', { witnessUserId: vanthu })).status).toBe(201);

    // Nobody outside the filing, approving or confirming parties may ask; nor for a grade book they do not write.
    const [student, accountant] = await Promise.all(['student', 'accountant'].map((r) => new Client(srv.url).loginAs(accountFor(srv.accounts, r))));
    for (const c of [student, accountant, clerk, witness]) expect((await c.get(`/api/correction-requests/witness-candidates?${query}`)).status).toBe(403);
    expect((await teacher.get('/api/correction-requests/witness-candidates?classId=1')).body.errors).toHaveProperty('subjectId');

    // For a filed request without a witness: the principal (approving) and the supervising VP (confirming) get the same list.
    await closedCell(students[9].id, 1, '5');
    const noWitness = await file(students[9].id, 1, '6');
    expect(noWitness.status).toBe(201);
    const byRequest = `/api/correction-requests/witness-candidates?requestId=${noWitness.body.id}`;
    for (const c of [principal, vp, teacher]) {
      const list = await c.get(byRequest);
      expect(list.status).toBe(200);
      expect(list.body.map((x: { id: number }) => x.id)).toEqual(ids);
    }
    for (const c of [student, accountant, deptHead]) expect((await c.get(byRequest)).status).toBe(403);
    expect((await principal.get(`${byRequest}&classId=${book.classId}`)).status).toBe(400);
  });

  it('follows the lighter admin procedure when the school chooses it', async () => {
    const set = await principal.put(`/api/school-settings/${schoolId}`, { correctionProcedure: 'admin' });
    expect(set.status).toBe(200);
    try {
      // No witness under this procedure, so nobody to pick.
      const none = await teacher.get(`/api/correction-requests/witness-candidates?classId=${book.classId}&subjectId=${book.subjectId}&semesterId=${book.semesterId}`);
      expect(none.status).toBe(200);
      expect(none.body).toEqual([]);
      const s = students[7];
      await closedCell(s.id, 2, '3');
      const withWitness = await file(s.id, 2, '3,5', { witnessUserId: witnessId });
      expect(withWitness.status).toBe(400);
      const filed = await file(s.id, 2, '3,5');
      expect(filed.status).toBe(201);
      expect(filed.body.procedure).toBe('admin');
      const id = filed.body.id as number;
      expect((await admin.post(`/api/correction-requests/${id}/apply`)).status).toBe(409); // not approved yet
      expect((await principal.post(`/api/correction-requests/${id}/approve`, { note: 'Đồng ý' })).status).toBe(200);
      expect((await vp.post(`/api/correction-requests/${id}/confirm`)).status).toBe(409);
      const byTeacher = await teacher.post(`/api/correction-requests/${id}/apply`);
      expect(byTeacher.status).toBe(403);
      expect(byTeacher.body.message).toBe('Theo quy trình của trường, quản trị hệ thống thực hiện các đề nghị sửa điểm đã được duyệt.');
      const applied = await admin.post(`/api/correction-requests/${id}/apply`);
      expect(applied.status).toBe(200);
      expect(applied.body).toMatchObject({ status: 'applied', appliedByName: names.admin });
      expect((await gridCell(s.id, 'regular:2')).value).toBe('3.5');
      const minutes = await minutesOf(principal, id);
      expect(minutes.status).toBe(200);
      expectMinutesPdf(minutes.pdf, ['BIÊN BẢN SỬA ĐIỂM', 'ĐĐGtx 2', '3 → 3,5', names.teacher, names.principal, names.admin, 'QUẢN TRỊ HỆ THỐNG']);
    } finally {
      await principal.put(`/api/school-settings/${schoolId}`, { correctionProcedure: 'witnessed' });
    }
  });
});

describe('minutes PDF', () => {
  const data: MinutesData = {
    requestId: 3,
    schoolName: 'Trường THCS Khánh Phú',
    appliedAt: '2026-11-20T08:30:00.000Z',
    studentName: 'Nguyễn Thị Lan',
    className: '6A1',
    subjectName: 'Lịch sử và Địa lí',
    semesterLabel: 'Học kỳ I, năm học 2026-2027',
    column: 'ĐĐGgk',
    assessmentType: 'scored',
    oldValue: '6',
    newValue: '7.5',
    reason: 'Cộng sai điểm bài kiểm tra',
    approval: { name: 'Trần Văn Hùng', at: '2026-11-19T02:00:00.000Z', note: null },
    procedure: 'witnessed',
    appliedBy: { name: 'Lê Thị Mai', username: 'mai.lt' },
    parties: [
      { title: 'Giáo viên đề nghị', name: 'Lê Thị Mai' },
      { title: 'Phó hiệu trưởng phụ trách', name: 'Phạm Quốc Bảo', confirmedAt: '2026-11-19T03:00:00.000Z' },
      { title: 'Người chứng kiến', name: 'Đỗ Minh Châu', confirmedAt: '2026-11-19T04:00:00.000Z' },
    ],
  };

  it('is the same document for the same correction, and dated in Vietnam time', async () => {
    const a = await renderMinutes(data);
    expect((await renderMinutes(data)).equals(a)).toBe(true);
    expect((await renderMinutes({ ...data, appliedAt: '2026-11-21T08:30:00.000Z' })).equals(a)).toBe(false);
    expectMinutesPdf(a, ['20/11/2026 15:30', 'ĐĐGgk', '6 → 7,5', 'Học kỳ I, năm học 2026-2027', 'Lê Thị Mai', 'Phạm Quốc Bảo', 'Đỗ Minh Châu']);
  });
});
