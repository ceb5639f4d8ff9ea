import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RESOURCES } from '../domain/permissions';
import { describeEvent, LIST_LIMIT, type AuditEventLike } from '../server/audit/describe';
import { CHOICES, RESOURCE_LABELS } from '../server/audit/labels';
import { nameBook, type NameBook } from '../server/audit/names';
import { ACTION_LABELS, ENTITY_LABELS } from '../server/audit/words';
import { AUDIT_ACTIONS, AUDIT_ENTITIES } from '../portal/src/common/choices';
import { appEnglish } from '../portal/src/i18n/en';
import { appVietnamese } from '../portal/src/i18n/vi';

/** The audit log in words (issue 12): the describers are pure, so each is checked line by line. */
const names = (): NameBook =>
  nameBook({
    users: { 5: { fullName: 'Trần Thị Bình', username: 'gvbm' }, 9: { fullName: 'Lê Văn Hiệu', username: 'hieutruong' } },
    students: { 101: { fullName: 'Nguyễn Văn A', className: '8A2' }, 102: { fullName: 'Phạm Thị B', className: '7A1' } },
    classes: { 7: { name: '7A1' } },
    subjects: { 3: { name: 'Toán' }, 4: { name: 'Âm nhạc' } },
    semesters: { 11: { number: 1, year: '2026-2027' } },
    years: { 2: { name: '2026-2027' } },
    departments: { 1: { name: 'Tổ Thể dục' }, 2: { name: 'Tổ Giáo dục thể chất' } },
  });

const event = (e: Partial<AuditEventLike>): AuditEventLike => ({
  userId: 5,
  username: 'gvbm',
  role: 'subject_teacher',
  action: 'update',
  entity: 'departments',
  entityId: '1',
  before: null,
  after: null,
  reason: null,
  ...e,
});

const cell = (studentId: number, kind: string, seq: number, value: string | null) => ({ kind, seq, studentId, value });
const save = (before: unknown[], after: unknown[], extra: Partial<AuditEventLike> = {}) =>
  event({ action: 'gradebook_save', entity: 'gradebook', entityId: '7:3:11', before: { cells: before, comments: [] }, after: { cells: after, comments: [] }, ...extra });

describe('a grade-book save in words', () => {
  it('says which score of whom changed, with decimal commas in Vietnamese', () => {
    const ev = save([cell(101, 'regular', 2, '6.5'), cell(102, 'midterm', 1, null)], [cell(101, 'regular', 2, '7'), cell(102, 'midterm', 1, '8.5')]);
    const d = describeEvent(ev, names(), 'vi');
    // The grade book's class, not the student's latest one (8A2).
    expect(d.changes).toEqual(['Điểm ĐĐGtx 2 môn Toán của Nguyễn Văn A (7A1): 6,5 → 7,0', 'Điểm ĐĐGgk môn Toán của Phạm Thị B (7A1): → 8,5']);
    expect(d).toMatchObject({
      actorName: 'Trần Thị Bình',
      actorRole: 'Giáo viên bộ môn',
      actionLabel: 'Lưu sổ điểm',
      entityLabel: 'Sổ điểm',
      target: 'Sổ điểm môn Toán lớp 7A1, Học kỳ I năm học 2026-2027',
      summary: 'Điểm ĐĐGtx 2 môn Toán của Nguyễn Văn A (7A1): 6,5 → 7,0 … và 1 thay đổi khác',
      changeCount: 2,
    });
    const en = describeEvent(ev, names(), 'en');
    expect(en.changes[0]).toBe('Regular 2 score in Toán for Nguyễn Văn A (7A1): 6.5 → 7.0');
    expect(en.actorRole).toBe('Subject teacher');
  });

  it('writes Đ/CĐ, a cleared cell and a comment in words', () => {
    const ev = event({
      action: 'gradebook_save',
      entity: 'gradebook',
      entityId: '7:4:11',
      before: { cells: [cell(101, 'final', 1, 'CD'), cell(102, 'regular', 1, '9')], comments: [{ studentId: 101, text: null }] },
      after: { cells: [cell(101, 'final', 1, 'D'), cell(102, 'regular', 1, null)], comments: [{ studentId: 101, text: 'Hát tốt, cần tự tin hơn' }] },
    });
    expect(describeEvent(ev, names(), 'vi').changes).toEqual([
      'Điểm ĐĐGck môn Âm nhạc của Nguyễn Văn A (7A1): CĐ → Đ',
      'Điểm ĐĐGtx 1 môn Âm nhạc của Phạm Thị B (7A1): 9,0 → (trống)',
      'Nhận xét môn Âm nhạc của Nguyễn Văn A (7A1): → “Hát tốt, cần tự tin hơn”',
    ]);
  });

  it('summarises a 300-cell save: the first lines, then how many more, naming only the students it shows', () => {
    const before = Array.from({ length: 300 }, (_, i) => cell(1000 + i, 'regular', 1, null));
    const after = Array.from({ length: 300 }, (_, i) => cell(1000 + i, 'regular', 1, '5'));
    const book = nameBook({});
    const d = describeEvent(save(before, after), book, 'vi', LIST_LIMIT);
    expect(d.changeCount).toBe(300);
    expect(d.changes).toHaveLength(LIST_LIMIT + 1);
    expect(d.changes[0]).toBe('Điểm ĐĐGtx 1 môn môn #3 của học sinh #1000 (lớp #7): → 5,0');
    expect(d.changes.at(-1)).toBe('… và 290 thay đổi khác');
    expect(d.summary).toMatch(/… và 299 thay đổi khác$/);
    // The page loader fetches what the description asked for: ten students, not three hundred.
    expect(book.wanted.students.size).toBe(LIST_LIMIT);
    expect(describeEvent(save(before, after), nameBook({}), 'en', LIST_LIMIT).changes.at(-1)).toBe('… and 290 more change(s)');
    // The show page: every line.
    expect(describeEvent(save(before, after), nameBook({}), 'vi').changes).toHaveLength(300);
  });
});

describe('other events in words', () => {
  it('tells a record update field by field in the portal’s labels, with references by name', () => {
    const d = describeEvent(
      event({ before: { id: 1, schoolId: 1, code: 'TD', name: 'Tổ Thể dục' }, after: { id: 1, schoolId: 1, code: 'TD', name: 'Tổ Giáo dục thể chất' }, reason: 'Đổi tên' }),
      names(),
      'vi',
    );
    expect(d).toMatchObject({ actionLabel: 'Cập nhật', entityLabel: 'Tổ chuyên môn', target: 'Tổ Giáo dục thể chất', changes: ['Tên tổ chuyên môn: Tổ Thể dục → Tổ Giáo dục thể chất'], reasonText: 'Đổi tên' });
    const staff = describeEvent(
      event({ entity: 'staff', before: { fullName: 'Bùi Văn C', departmentId: 1, post: 'teacher', birthDate: '1990-03-04' }, after: { fullName: 'Bùi Văn C', departmentId: 2, post: 'vice_principal', birthDate: '1990-04-03' } }),
      names(),
      'vi',
    );
    // In the order of the staff form, whatever order the row was stored in.
    expect(staff.changes).toEqual(['Ngày sinh: 04/03/1990 → 03/04/1990', 'Chức vụ: Giáo viên → Phó hiệu trưởng', 'Tổ chuyên môn: Tổ Thể dục → Tổ Giáo dục thể chất']);
    expect(staff.target).toBe('Bùi Văn C');

    // A lock is named by its scope and place; lifting it says what changed.
    const lock = { scope: 'grade', schoolYearId: 2, grade: 7, reason: 'Khóa sổ cuối kỳ', orderedBy: 9, active: true, liftedAt: null };
    const locked = describeEvent(event({ userId: 9, action: 'create', entity: 'locks', after: lock }), names(), 'vi');
    expect(locked).toMatchObject({ actionLabel: 'Khóa sổ', target: 'Một khối: Khối 7, 2026-2027', summary: 'Một khối: Khối 7, 2026-2027' });
    expect(locked.changes).toEqual(['Phạm vi khóa: Một khối', 'Năm học: 2026-2027', 'Khối: 7', 'Lý do: Khóa sổ cuối kỳ', 'Theo lệnh của (Hiệu trưởng): Lê Văn Hiệu', 'Đang có hiệu lực: Có']);
    const lifted = describeEvent(event({ userId: 9, action: 'lift', entity: 'locks', before: lock, after: { ...lock, active: false, liftedAt: '2026-12-01T03:00:00.000Z' } }), names(), 'vi');
    expect(lifted.changes).toEqual(['Đang có hiệu lực: Có → Không', 'Thời điểm mở: → 01/12/2026 10:00']);
  });

  it('falls back to a readable generic line for an unknown action, never JSON', () => {
    const d = describeEvent(event({ action: 'frobnicate', entity: 'widgets', entityId: '4', after: { colour: 'xanh', sizes: [1, 2], owner: { fullName: 'Lê Văn Hiệu' } } }), names(), 'vi');
    expect(d.actionLabel).toBe('frobnicate');
    expect(d.entityLabel).toBe('widgets');
    expect(d.changes).toEqual(['Colour: xanh', 'Sizes: 1, 2', 'Owner › Họ và tên: Lê Văn Hiệu']);
    const bare = describeEvent(event({ action: 'frobnicate', entity: 'widgets', entityId: '4' }), names(), 'vi');
    expect(bare.summary).toBe('frobnicate: widgets #4');
    for (const text of [...d.changes, d.summary, bare.summary]) expect(text).not.toMatch(/[{}"]/);
  });

  it('tells a changed timeline by milestone, nested values by their path', () => {
    const milestone = { key: 'hk1', title: 'Nhập điểm HK1. Đợt 1/2', due: '2026-12-20T10:00:00.000Z', lockAtDue: false, reminderDays: [7, 1] };
    const d = describeEvent(
      event({ userId: 9, action: 'update', entity: 'timelines', entityId: '2', before: { profile: 'a', milestones: [milestone] }, after: { profile: 'a', milestones: [{ ...milestone, due: '2026-12-22T10:00:00.000Z', lockAtDue: true, reminderDays: [3] }] } }),
      names(),
      'vi',
    );
    expect(d.target).toBe('2026-2027');
    expect(d.changes).toEqual([
      'Mốc Nhập điểm HK1. Đợt 1/2 › Hạn: 20/12/2026 17:00 → 22/12/2026 17:00',
      'Mốc Nhập điểm HK1. Đợt 1/2 › Khóa sổ khi đến hạn: Không → Có',
      'Mốc Nhập điểm HK1. Đợt 1/2 › Nhắc trước (ngày): 7, 1 → 3',
    ]);
  });

  it('tells a print run in words: the book requested (grade book, roll-call book, enrolment register), the run approved and downloaded', () => {
    const say = (e: Partial<AuditEventLike>) => describeEvent(event({ userId: 9, entity: 'print-runs', entityId: '4', ...e }), names(), 'vi').changes;
    expect(say({ action: 'request', after: { class_id: 7, period: '1', status: 'requested' } })).toEqual(['Đề nghị in sổ điểm lớp 7A1, Học kỳ I']);
    expect(say({ action: 'request', after: { kind: 'rollcall', class_id: 7, period: 'year', status: 'requested' } })).toEqual(['Đề nghị in sổ gọi tên và ghi điểm lớp 7A1, cả năm']);
    expect(say({ action: 'request', after: { kind: 'enrolment', school_year_id: 2, class_id: null, grade: null, period: 'year' } })).toEqual(['Đề nghị in sổ đăng bộ năm học 2026-2027, toàn trường']);
    expect(say({ action: 'request', after: { kind: 'enrolment', school_year_id: 2, class_id: null, grade: 7, period: 'year' } })).toEqual(['Đề nghị in sổ đăng bộ năm học 2026-2027, khối 7']);
    expect(say({ action: 'approve', before: { status: 'requested' }, after: { status: 'approved', pages: 15, code: 'ACYBY3UWHP', sha256: 'ab' } })).toEqual(['Duyệt in bản #4: 15 trang, mã xác thực ACYBY3UWHP']);
    expect(say({ action: 'download', after: { sha256: '4eef429bc69cad772654' } })).toEqual(['Tải bản in #4 (SHA-256 4eef429bc69c)']);
  });

  it('survives a row whose shape it did not expect', () => {
    const d = describeEvent(event({ action: 'gradebook_save', entity: 'gradebook', entityId: 'x', before: 'odd', after: { cells: 'odd' } }), names(), 'vi');
    expect(d.summary).not.toMatch(/[{}"]/);
  });

  it('tells account events with times in Vietnam', () => {
    const failed = describeEvent(event({ action: 'login_failed', entity: 'users', entityId: '5', after: { what: 'password', attempt: 3 } }), names(), 'vi');
    expect(failed).toMatchObject({ target: 'Tài khoản Trần Thị Bình (gvbm)', changes: ['Sai mật khẩu (lần thứ 3)'], actionLabel: 'Đăng nhập thất bại' });
    const locked = describeEvent(event({ action: 'lockout', entity: 'users', entityId: '5', after: { lockedUntil: '2026-11-23T08:15:00.000Z' } }), names(), 'vi');
    expect(locked.changes).toEqual(['Tài khoản bị khóa đến 23/11/2026 15:15']);
    const unknown = describeEvent(event({ userId: null, username: 'khongco', role: null, action: 'login_failed', entity: 'users', entityId: null, after: { what: 'unknown_user' } }), names(), 'vi');
    expect(unknown).toMatchObject({ actorName: null, changes: ['Tên đăng nhập không tồn tại: “khongco”'] });
    const system = describeEvent(event({ userId: null, username: 'Hệ thống', role: null, action: 'timeline_step', entity: 'timelines', entityId: '1', after: { step: 'lock', kind: 'lock', at: '2027-05-20T10:00:00.000Z', actions: 1 } }), names(), 'en');
    expect(system).toMatchObject({ actorName: 'System', changes: ['Step “lock” (lock), due 20/05/2027 17:00: 1 action(s)'] });
  });

  it('tells conduct, test dates, corrections, unlock requests and list approvals', () => {
    const conduct = describeEvent(
      event({
        action: 'conduct_save',
        entity: 'conduct',
        entityId: '7:11',
        before: [null, { studentId: 102, conduct: 'K', absences_excused: 1, absences_unexcused: 0, homeroom_comment: null }],
        after: [
          { studentId: 101, conduct: 'T', absences_excused: 0, absences_unexcused: 0, homeroom_comment: null },
          { studentId: 102, conduct: 'T', absences_excused: 2, absences_unexcused: 0, homeroom_comment: null },
        ],
      }),
      names(),
      'vi',
    );
    expect(conduct.changes).toEqual(['Rèn luyện của Nguyễn Văn A (7A1): → Tốt', 'Rèn luyện của Phạm Thị B (7A1): Khá → Tốt', 'Số buổi nghỉ có phép của Phạm Thị B (7A1): 1 → 2']);
    expect(conduct.target).toBe('Lớp 7A1, Học kỳ I năm học 2026-2027');

    const date = describeEvent(event({ action: 'test_date', entity: 'gradebook', entityId: '7:3:11', before: null, after: { kind: 'midterm', testDate: '2026-11-02' } }), names(), 'vi');
    expect(date.changes).toEqual(['Ngày kiểm tra ĐĐGgk môn Toán lớp 7A1: → 02/11/2026']);

    const request = { id: 4, className: '7A1', subjectName: 'Toán', studentName: 'Nguyễn Văn A', kind: 'regular', seq: 2, oldValue: '6.5', newValue: '7.5', requestedBy: 5, requestedByName: 'Trần Thị Bình', reason: 'Nhập nhầm' };
    const approved = describeEvent(
      event({ userId: 9, action: 'approve', entity: 'correction-requests', entityId: '4', before: { ...request, status: 'pending' }, after: { ...request, status: 'approved', decisionNote: 'Đồng ý' } }),
      names(),
      'vi',
    );
    expect(approved).toMatchObject({
      actorName: 'Lê Văn Hiệu',
      target: 'Đề nghị sửa điểm #4 của Trần Thị Bình',
      changes: ['Điểm ĐĐGtx 2 môn Toán của Nguyễn Văn A (7A1): 6,5 → 7,5', 'Trạng thái: Chờ duyệt → Đã duyệt', 'Ghi chú của Hiệu trưởng: → Đồng ý'],
    });

    const unlock = { requestedBy: 5, requestedByName: 'Trần Thị Bình', reason: 'Quên nhập', cells: [{ semesterId: 11, classId: 7, subjectId: 3, studentId: 101, kind: 'regular', seq: 1 }] };
    const filed = describeEvent(event({ action: 'create', entity: 'unlock-requests', entityId: '8', after: { ...unlock, status: 'pending' } }), names(), 'vi');
    expect(filed).toMatchObject({ actionLabel: 'Gửi đề nghị mở khóa', changes: ['Ô ĐĐGtx 1 môn Toán của Nguyễn Văn A (7A1), Học kỳ I năm học 2026-2027'] });
    const decided = describeEvent(
      event({ userId: 9, action: 'approve', entity: 'unlock-requests', entityId: '8', before: { ...unlock, status: 'pending' }, after: { ...unlock, status: 'approved', opensUntil: '2026-11-24T03:00:00.000Z' } }),
      names(),
      'vi',
    );
    expect(decided.changes).toEqual(['Trạng thái: Chờ duyệt → Đã duyệt', 'Mở đến: → 24/11/2026 10:00', 'Số ô: 1']);

    const list = describeEvent(event({ userId: 9, action: 'approve', entity: 'result-lists', entityId: '3', after: { list: 'retest', scope: 'class:7', schoolYearId: 2, version: 2, count: 4, studentIds: [1, 2, 3, 4] } }), names(), 'vi');
    expect(list.changes).toEqual(['Phê duyệt danh sách kiểm tra lại (lớp 7A1, năm học 2026-2027), lần 2: 4 học sinh']);
  });

  it('turns the system’s own reasons into words', () => {
    const d = describeEvent(event({ action: 'create', entity: 'students', after: { fullName: 'Nguyễn Văn A', sex: 'male' }, reason: 'import hs-lop6.xlsx, row 12' }), names(), 'vi');
    expect(d.reasonText).toBe('Nhập từ tệp “hs-lop6.xlsx”, dòng 12');
    expect(d.changes).toEqual(['Họ và tên: Nguyễn Văn A', 'Giới tính: Nam']);
    // A record created reads by its name, or else by its first fields together.
    expect(d.summary).toBe('Nguyễn Văn A');
    const unnamed = describeEvent(event({ action: 'create', entity: 'widgets', after: { colour: 'xanh', size: 2, shape: 'tròn', weight: 3 } }), names(), 'vi');
    expect(unnamed.summary).toBe('Colour: xanh; Size: 2; Shape: tròn … và 1 thay đổi khác');
  });
});

describe('the words stay in step', () => {
  it('labels resources, fields and choices exactly as the portal does, in both languages', () => {
    for (const [lang, app] of [
      ['vi', appVietnamese],
      ['en', appEnglish],
    ] as const) {
      for (const r of RESOURCES) {
        const portal = (app.resources as Record<string, { name: string; fields: Record<string, string> }>)[r];
        const { id: _id, schoolId: _school, ...fields } = portal.fields;
        expect(RESOURCE_LABELS[lang][r], `${lang} ${r}`).toEqual({ name: portal.name.split('||||')[0].trim(), fields });
      }
      for (const [group, values] of Object.entries(CHOICES[lang])) {
        expect(values, `${lang} ${group}`).toEqual(group === 'role' ? app.app.roles : (app.app.choices as Record<string, unknown>)[group]);
      }
      // The portal's action filter offers the server's actions, under the same names.
      const actions = Object.fromEntries(Object.entries(ACTION_LABELS).map(([a, l]) => [a, l[lang]]));
      expect(app.app.choices.auditAction, lang).toEqual(actions);
      const entities = Object.fromEntries(Object.entries(ENTITY_LABELS).map(([e, l]) => [e, l[lang]]));
      expect(app.app.choices.auditEntity, lang).toEqual(entities);
    }
    expect([...AUDIT_ACTIONS].sort()).toEqual(Object.keys(ACTION_LABELS).sort());
    expect([...AUDIT_ENTITIES].sort()).toEqual(Object.keys(ENTITY_LABELS).sort());
  });

  it('has a label for every action and entity the server audits', () => {
    const files = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
    const auditing = files(path.resolve(__dirname, '../server')).filter((f) => /appendAudit\(|recordAudit\(|auditRow\(/.test(fs.readFileSync(f, 'utf8')));
    const text = auditing.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    const actions = new Set([...text.matchAll(/action: '([a-z_-]+)'/g)].map((m) => m[1]));
    const entities = new Set([...text.matchAll(/entity: '([a-z_-]+)'/g)].map((m) => m[1]));
    expect(actions.size).toBeGreaterThan(20);
    expect([...actions].filter((a) => !(a in ACTION_LABELS))).toEqual([]);
    expect([...entities].filter((e) => !(e in ENTITY_LABELS) && !(RESOURCES as readonly string[]).includes(e))).toEqual([]);
  });
});
