import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CUTOFFS, formatVn, regularCutoffAfter, VN_OFFSET_MS, vnMidnight } from '../domain/cutoffs';
import { nowIso } from '../server/db/knex';
import { toDecimalString } from '../server/db/decimal';
import { accountFor, Client } from './helpers/client';
import { testDatabases } from './helpers/databases';
import { startServer, type TestServer } from './helpers/server';

type Kind = 'regular' | 'midterm' | 'final';
interface CellIn {
  studentId: number;
  kind: Kind;
  seq: number;
  value: string | number | null;
  version: number;
}

const DAY = 86_400_000;
/** Monday 23/11/2026 10:00 Vietnam time, in semester I of the demo year: the file runs on this clock (only Date is faked). */
const NOW = Date.parse('2026-11-23T03:00:00.000Z');
/** The Vietnam calendar date `days` from now, YYYY-MM-DD. */
const vnDate = (days = 0, from = Date.now()) => new Date(from + VN_OFFSET_MS + days * DAY).toISOString().slice(0, 10);
const ddmmyyyy = (d: string) => d.split('-').reverse().join('/');
const q = (filter: Record<string, unknown>) => `?sort=${encodeURIComponent('["id","ASC"]')}&filter=${encodeURIComponent(JSON.stringify(filter))}`;

describe.each(testDatabases())('grade book on %s', (kind) => {
  let srv: TestServer;
  let gvbm: Client; // subject teacher: 6A1 GDCD and LS-DL
  let gvcn: Client; // homeroom teacher of 6A1; teaches 6A1 TIN-HOC and HĐTN-HN (a comment subject)
  let totruong: Client; // head of Toán – Tin; teaches Toán
  let principal: Client;
  let vp: Client; // grades 6–7, departments Toán – Tin and KHTN – Công nghệ
  let schoolId: number;
  let s1: number;
  let s2: number;
  const cls: Record<string, number> = {};
  const subj: Record<string, number> = {};
  let gvbmUserId: number;
  let roster: number[]; // 6A1, roll-call order

  const login = (role: string) => new Client(srv.url).loginAs(accountFor(srv.accounts, role));
  const gridOf = (c: Client, className: string, subjectCode: string, semesterId = s1) =>
    c.get(`/api/gradebook?classId=${cls[className]}&subjectId=${subj[subjectCode]}&semesterId=${semesterId}`);
  const save = (c: Client, subjectCode: string, cells: CellIn[], extra: Record<string, unknown> = {}) =>
    c.put('/api/gradebook', { classId: cls['6A1'], subjectId: subj[subjectCode], semesterId: s1, cells, ...extra });
  const cellOf = (grid: any, studentId: number, key: string) => grid.rows.find((r: any) => r.student.id === studentId).cells[key];
  /** What the database holds for one 6A1 cell: '8.5', 'D', or null when there is no row. */
  const stored = async (subjectCode: string, studentId: number, k: Kind, seq: number, semesterId = s1) => {
    const r = (await srv
      .db('assessment_scores')
      .where({ class_id: cls['6A1'], subject_id: subj[subjectCode], semester_id: semesterId, student_id: studentId, kind: k, seq })
      .first()) as Record<string, unknown> | undefined;
    return r ? ((r.grade_text as string | null) ?? toDecimalString(r.score)) : null;
  };
  const setFirstEntered = (subjectCode: string, studentId: number, k: Kind, seq: number, at: string) =>
    srv.db('assessment_scores').where({ class_id: cls['6A1'], subject_id: subj[subjectCode], semester_id: s1, student_id: studentId, kind: k, seq }).update({ first_entered_at: at });
  const insertCell = (subjectCode: string, semesterId: number, studentId: number, k: Kind, seq: number, score: string) => {
    const now = nowIso();
    return srv.db('assessment_scores').insert({
      school_id: schoolId,
      semester_id: semesterId,
      class_id: cls['6A1'],
      subject_id: subj[subjectCode],
      student_id: studentId,
      kind: k,
      seq,
      score,
      first_entered_at: now,
      entered_by: gvbmUserId,
      updated_at: now,
      updated_by: gvbmUserId,
      version: 1,
    });
  };
  const gradebookAudit = (subjectCode: string) =>
    principal.get(`/api/audit-events${q({ entity: 'gradebook', action: 'gradebook_save', entityId: `${cls['6A1']}:${subj[subjectCode]}:${s1}` })}`);

  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    srv = await startServer(kind);
    [gvbm, gvcn, totruong, principal, vp] = await Promise.all([
      login('subject_teacher'),
      login('homeroom_teacher'),
      login('department_head'),
      login('principal'),
      login('vice_principal'),
    ]);
    const year = (await srv.db('school_years').where({ is_current: true }).first()) as { id: number; school_id: number };
    schoolId = Number(year.school_id);
    for (const c of (await srv.db('classes').where({ school_year_id: year.id })) as Array<{ id: number; name: string }>) cls[c.name] = Number(c.id);
    for (const s of (await srv.db('subjects').where({ school_id: schoolId })) as Array<{ id: number; code: string }>) subj[s.code] = Number(s.id);
    const sems = (await srv.db('semesters').where({ school_year_id: year.id }).orderBy('number')) as Array<{ id: number }>;
    [s1, s2] = sems.map((s) => Number(s.id));
    gvbmUserId = Number(((await srv.db('users').where({ username: accountFor(srv.accounts, 'subject_teacher').username }).first()) as { id: number }).id);
    const g = await gridOf(gvbm, '6A1', 'LS-DL');
    expect(g.status).toBe(200);
    roster = g.body.rows.map((r: any) => r.student.id);
  });
  afterAll(async () => {
    await srv?.close();
    vi.useRealTimers();
  });
  afterEach(() => {
    vi.setSystemTime(NOW);
  });

  describe('loading and saving', () => {
    it('a teacher loads their grid: columns follow the periods per year, rows are the class roster', async () => {
      const res = await gridOf(gvbm, '6A1', 'LS-DL');
      expect(res.status).toBe(200);
      // Lịch sử và Địa lí: 105 periods → 4 regular assessments (TT22 Điều 7), then midterm and final.
      expect(res.body.columns).toEqual([
        { kind: 'regular', seq: 1 },
        { kind: 'regular', seq: 2 },
        { kind: 'regular', seq: 3 },
        { kind: 'regular', seq: 4 },
        { kind: 'midterm', seq: 1 },
        { kind: 'final', seq: 1 },
      ]);
      expect(res.body.canWrite).toBe(true);
      expect(res.body.settings).toEqual({ regularCutoffWeekday: 5, regularCutoffTime: '15:00', periodicWindowDays: 7 });
      const enrolled = ((await srv.db('enrolments').where({ class_id: cls['6A1'], status: 'active' }).select('student_id')) as Array<{ student_id: number }>)
        .map((r) => Number(r.student_id))
        .sort((a, b) => a - b);
      expect(enrolled.length).toBeGreaterThan(20);
      expect([...roster].sort((a, b) => a - b)).toEqual(enrolled);
      expect(Object.keys(res.body.rows[0].cells)).toEqual(['regular:1', 'regular:2', 'regular:3', 'regular:4', 'midterm:1', 'final:1']);
      // Giáo dục công dân: 35 periods → 2; Công nghệ grade 8: 52 periods → 3.
      expect((await gridOf(gvbm, '6A1', 'GDCD')).body.columns.filter((c: any) => c.kind === 'regular')).toHaveLength(2);
      const cn8 = await gridOf(principal, '8A1', 'CONG-NGHE');
      expect(cn8.body.subject.regularCount).toBe(3);
    });

    it.each([
      [35, 2],
      [36, 3],
      [70, 3],
      [71, 4],
    ])('a subject with %i periods a year has %i regular columns', async (periods, count) => {
      await srv.db('subjects').where({ id: subj['MI-THUAT'] }).update({ periods_per_year: JSON.stringify({ '6': periods, '7': 35, '8': 35, '9': 35 }) });
      const res = await gridOf(principal, '6A1', 'MI-THUAT');
      expect(res.status).toBe(200);
      expect(res.body.columns).toHaveLength(count + 2);
      expect(res.body.columns.filter((c: any) => c.kind === 'regular').map((c: any) => c.seq)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    });

    it("saves '8,5' and '8.5' as 8.5, returns the new versions, and clears a cell", async () => {
      const [a, b, c] = roster;
      const res = await save(gvbm, 'LS-DL', [
        { studentId: a, kind: 'regular', seq: 1, value: '8,5', version: 0 },
        { studentId: b, kind: 'regular', seq: 1, value: '8.5', version: 0 },
        { studentId: c, kind: 'regular', seq: 1, value: 7, version: 0 },
      ]);
      expect(res.status).toBe(200);
      expect(res.body.saved).toBe(3);
      expect(cellOf(res.body, a, 'regular:1')).toMatchObject({ value: '8.5', version: 1, closed: null });
      expect(cellOf(res.body, b, 'regular:1')).toMatchObject({ value: '8.5', version: 1 });
      expect(cellOf(res.body, c, 'regular:1')).toMatchObject({ value: '7', version: 1 });
      expect(await stored('LS-DL', a, 'regular', 1)).toBe('8.5');
      expect(await stored('LS-DL', b, 'regular', 1)).toBe('8.5');

      const again = await save(gvbm, 'LS-DL', [
        { studentId: a, kind: 'regular', seq: 1, value: ' 9 ', version: 1 },
        { studentId: c, kind: 'regular', seq: 1, value: null, version: 1 },
        { studentId: b, kind: 'regular', seq: 1, value: '', version: 1 },
      ]);
      expect(again.status).toBe(200);
      expect(again.body.saved).toBe(3);
      expect(cellOf(again.body, a, 'regular:1')).toMatchObject({ value: '9', version: 2 });
      expect(cellOf(again.body, c, 'regular:1')).toMatchObject({ value: null, version: 0 });
      expect(cellOf(again.body, b, 'regular:1')).toMatchObject({ value: null, version: 0 });
      expect(await stored('LS-DL', c, 'regular', 1)).toBeNull();
      expect(await stored('LS-DL', b, 'regular', 1)).toBeNull();
      // A fresh load shows the same thing.
      expect(cellOf((await gridOf(gvbm, '6A1', 'LS-DL')).body, a, 'regular:1')).toMatchObject({ value: '9', version: 2 });
    });

    it('shows the semester average once every assessment is in (Điều 9.1: (Σtx + 2·gk + 3·ck) / (n + 5))', async () => {
      const s = roster[3];
      // GDCD: 2 regular. Midterm and final need a test date; set it today (the window is open).
      for (const k of ['midterm', 'final'] as const) {
        expect((await gvbm.put('/api/gradebook/test-dates', { classId: cls['6A1'], subjectId: subj.GDCD, semesterId: s1, kind: k, testDate: vnDate(0) })).status).toBe(200);
      }
      const res = await save(gvbm, 'GDCD', [
        { studentId: s, kind: 'regular', seq: 1, value: '8', version: 0 },
        { studentId: s, kind: 'regular', seq: 2, value: '9', version: 0 },
        { studentId: s, kind: 'midterm', seq: 1, value: '7', version: 0 },
        { studentId: s, kind: 'final', seq: 1, value: '8', version: 0 },
      ]);
      expect(res.status).toBe(200);
      // (8 + 9 + 14 + 24) / 7 = 7.857… → 7.9
      expect(res.body.rows.find((r: any) => r.student.id === s).semesterResult).toBe('7.9');
      expect(res.body.rows.find((r: any) => r.student.id === roster[4]).semesterResult).toBeNull();
    });

    it("a save answers with the grid exactly as loading it again shows it: new, changed and cleared cells, comments, semester II's year columns", async () => {
      const [a, b] = [roster[21], roster[22]];
      for (const [k, seq, v] of [['regular', 1, '6'], ['regular', 2, '7'], ['midterm', 1, '8'], ['final', 1, '9']] as const) await insertCell('GDCD', s1, a, k, seq, v);
      const put = (cells: CellIn[], comments: unknown[] = []) =>
        gvbm.put('/api/gradebook', { classId: cls['6A1'], subjectId: subj.GDCD, semesterId: s2, cells, comments });
      const first = await put([
        { studentId: a, kind: 'regular', seq: 1, value: '8', version: 0 },
        { studentId: a, kind: 'regular', seq: 2, value: '8,5', version: 0 },
        { studentId: b, kind: 'regular', seq: 1, value: '5', version: 0 },
      ], [{ studentId: a, text: 'Tiến bộ rõ', version: 0 }]);
      expect(first.status).toBe(200);
      const second = await put([
        { studentId: a, kind: 'regular', seq: 1, value: '9', version: 1 },
        { studentId: b, kind: 'regular', seq: 1, value: null, version: 1 },
      ], [{ studentId: a, text: 'Tiến bộ rất rõ', version: 1 }]);
      expect(second.status).toBe(200);
      expect(second.body.saved).toBe(3);
      const loaded = await gridOf(gvbm, '6A1', 'GDCD', s2);
      const { saved: _saved, now: _now, ...answered } = second.body;
      const { now: _now2, ...asLoaded } = loaded.body;
      expect(answered).toEqual(asLoaded);
      expect(cellOf(asLoaded, a, 'regular:1')).toMatchObject({ value: '9', version: 2 });
      expect(cellOf(asLoaded, b, 'regular:1')).toMatchObject({ value: null, version: 0 });
      expect(asLoaded.rows.find((r: any) => r.student.id === a)).toMatchObject({ comment: { text: 'Tiến bộ rất rõ', version: 2 }, firstSemesterResult: '8' }); // (6 + 7 + 2·8 + 3·9) / 7
    });
  });

  describe('bad input: 400 naming the cell, nothing of the batch saved', () => {
    const valid = (): CellIn => ({ studentId: roster[5], kind: 'regular', seq: 2, value: '6', version: 0 });

    it.each([
      ['10.5', /từ 0 đến 10/],
      ['-1', /từ 0 đến 10/],
      ['8.25', /một chữ số thập phân/],
      ['8,25', /một chữ số thập phân/],
      ['A', /chấm bằng điểm số/],
      ['Đ', /chấm bằng điểm số/],
      ['8..5', /phải là số/],
    ])('a scored subject refuses %s', async (value, message) => {
      const res = await save(gvbm, 'LS-DL', [valid(), { studentId: roster[6], kind: 'regular', seq: 2, value, version: 0 }]);
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors)).toEqual(['cells.1']);
      expect(res.body.errors['cells.1']).toMatch(message);
      expect(await stored('LS-DL', roster[5], 'regular', 2)).toBeNull();
      expect(await stored('LS-DL', roster[6], 'regular', 2)).toBeNull();
    });

    it('a student who is not in the class', async () => {
      const other = (await srv.db('enrolments').where({ class_id: cls['6A2'], status: 'active' }).first()) as { student_id: number };
      const res = await save(gvbm, 'LS-DL', [valid(), { studentId: Number(other.student_id), kind: 'regular', seq: 1, value: '7', version: 0 }]);
      expect(res.status).toBe(400);
      expect(res.body.errors['cells.1']).toMatch(/không thuộc lớp|không có trong lớp|lớp/i);
      expect(await stored('LS-DL', roster[5], 'regular', 2)).toBeNull();
      expect(await srv.db('assessment_scores').where({ student_id: other.student_id })).toEqual([]);
    });

    it.each([
      ['regular', 3], // GDCD has 2 regular assessments
      ['final', 2],
    ] as const)('a column that does not exist (%s %i)', async (k, seq) => {
      const res = await save(gvbm, 'GDCD', [{ ...valid(), studentId: roster[5] }, { studentId: roster[6], kind: k, seq, value: '7', version: 0 }]);
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors)).toEqual(['cells.1']);
      expect(res.body.errors['cells.1']).toMatch(/cột|column/i);
      expect(await stored('GDCD', roster[5], 'regular', 2)).toBeNull();
    });

    it('a number in a comment subject (HĐTN-HN), while Đ / CĐ / Đạt are accepted', async () => {
      const res = await gvcn.put('/api/gradebook', {
        classId: cls['6A1'],
        subjectId: subj['HDTN-HN'],
        semesterId: s1,
        cells: [
          { studentId: roster[0], kind: 'regular', seq: 1, value: 'Đ', version: 0 },
          { studentId: roster[1], kind: 'regular', seq: 1, value: '8', version: 0 },
        ],
      });
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors)).toEqual(['cells.1']);
      expect(res.body.errors['cells.1']).toMatch(/nhận xét/);
      expect(await stored('HDTN-HN', roster[0], 'regular', 1)).toBeNull();

      const ok = await gvcn.put('/api/gradebook', {
        classId: cls['6A1'],
        subjectId: subj['HDTN-HN'],
        semesterId: s1,
        cells: [
          { studentId: roster[0], kind: 'regular', seq: 1, value: 'Đ', version: 0 },
          { studentId: roster[1], kind: 'regular', seq: 1, value: 'cđ', version: 0 },
          { studentId: roster[2], kind: 'regular', seq: 1, value: 'Đạt', version: 0 },
        ],
      });
      expect(ok.status).toBe(200);
      expect([await stored('HDTN-HN', roster[0], 'regular', 1), await stored('HDTN-HN', roster[1], 'regular', 1), await stored('HDTN-HN', roster[2], 'regular', 1)]).toEqual([
        'D',
        'CD',
        'D',
      ]);
    });

    it('unknown fields and a malformed body are refused', async () => {
      const res = await save(gvbm, 'LS-DL', [{ ...valid(), extra: 1 } as CellIn]);
      expect(res.status).toBe(400);
      expect(res.body.errors['cells.0.extra']).toBeDefined();
      expect(await stored('LS-DL', roster[5], 'regular', 2)).toBeNull();
    });
  });

  describe('concurrency', () => {
    it('a stale grid is refused with 409 and the current value; the first save is kept', async () => {
      const other = await login('subject_teacher'); // the same teacher on a second computer
      const s = roster[7];
      const [g1, g2] = await Promise.all([gridOf(gvbm, '6A1', 'LS-DL'), gridOf(other, '6A1', 'LS-DL')]);
      const v1 = cellOf(g1.body, s, 'regular:3').version;
      expect(cellOf(g2.body, s, 'regular:3').version).toBe(v1);
      expect((await save(gvbm, 'LS-DL', [{ studentId: s, kind: 'regular', seq: 3, value: '7', version: v1 }])).status).toBe(200);
      const res = await save(other, 'LS-DL', [
        { studentId: roster[8], kind: 'regular', seq: 3, value: '6', version: 0 },
        { studentId: s, kind: 'regular', seq: 3, value: '5', version: v1 },
      ]);
      expect(res.status).toBe(409);
      expect(res.body.message).toMatch(/Chưa có gì được lưu/);
      expect(res.body.current).toEqual([{ studentId: s, kind: 'regular', seq: 3, value: '7', version: 1 }]);
      expect(await stored('LS-DL', s, 'regular', 3)).toBe('7');
      expect(await stored('LS-DL', roster[8], 'regular', 3)).toBeNull();
      // Re-sending the value that is already there is not a conflict.
      expect((await save(other, 'LS-DL', [{ studentId: s, kind: 'regular', seq: 3, value: '7,0', version: 0 }])).status).toBe(200);
    });

    it("the teacher's comment per student is saved with the grid, and a stale one is refused with the current text", async () => {
      const s = roster[22];
      const first = await save(gvbm, 'GDCD', [], { comments: [{ studentId: s, text: '  Tiến bộ rõ rệt ', version: 0 }] });
      expect(first.status).toBe(200);
      expect(first.body.rows.find((r: any) => r.student.id === s).comment).toEqual({ text: 'Tiến bộ rõ rệt', version: 1 });
      const stale = await save(gvbm, 'GDCD', [{ studentId: roster[23], kind: 'regular', seq: 1, value: '8', version: 0 }], { comments: [{ studentId: s, text: 'Cần cố gắng', version: 0 }] });
      expect(stale.status).toBe(409);
      expect(stale.body.currentComments).toEqual([{ studentId: s, text: 'Tiến bộ rõ rệt', version: 1 }]);
      expect(await stored('GDCD', roster[23], 'regular', 1)).toBeNull();
    });
  });

  describe('cutoffs', () => {
    it("a regular score entered before this week's cutoff is closed after it, and the refusal says which rule and since when", async () => {
      const s = roster[9];
      expect((await save(gvbm, 'LS-DL', [{ studentId: s, kind: 'regular', seq: 1, value: '6', version: 0 }])).status).toBe(200);
      const enteredAt = new Date(Date.now() - 8 * DAY).toISOString();
      await setFirstEntered('LS-DL', s, 'regular', 1, enteredAt);
      const since = regularCutoffAfter(enteredAt, DEFAULT_CUTOFFS);
      const res = await save(gvbm, 'LS-DL', [
        { studentId: roster[10], kind: 'regular', seq: 1, value: '9', version: 0 },
        { studentId: s, kind: 'regular', seq: 1, value: '7', version: 1 },
      ]);
      expect(res.status).toBe(423);
      expect(res.body.closed).toEqual([{ studentId: s, kind: 'regular', seq: 1, rule: 'regular_weekly', since, message: expect.any(String) }]);
      const message = res.body.errors['cells.1'];
      expect(message).toContain('thứ Sáu 15:00');
      expect(message).toContain(`từ ${formatVn(since)}`);
      expect(message).toMatch(/\d\d:\d\d \d\d\/\d\d\/\d{4}/);
      expect(await stored('LS-DL', s, 'regular', 1)).toBe('6');
      expect(await stored('LS-DL', roster[10], 'regular', 1)).toBeNull();
      // The grid shows the cell closed with the same reason; an empty cell of the same column stays open.
      const grid = (await gridOf(gvbm, '6A1', 'LS-DL')).body;
      expect(cellOf(grid, s, 'regular:1').closed).toEqual({ rule: 'regular_weekly', since, message });
      expect(cellOf(grid, roster[10], 'regular:1').closed).toBeNull();
      const en = new Client(srv.url);
      Object.assign(en, { cookie: gvbm.cookie, csrf: gvbm.csrf, lang: 'en' });
      const refused = await save(en, 'LS-DL', [{ studentId: s, kind: 'regular', seq: 1, value: '7', version: 1 }]);
      expect(refused.body.errors['cells.0']).toContain(`Friday 15:00); closed since ${formatVn(since)}`);
    });

    it('is exact to the second: open one second before the cutoff, closed at it and one second after (no timers)', async () => {
      const s = roster[11];
      const cutoff = Date.parse(regularCutoffAfter(nowIso(), DEFAULT_CUTOFFS));
      const enteredAt = new Date(cutoff - 2 * DAY).toISOString(); // its cutoff is `cutoff`
      expect(regularCutoffAfter(enteredAt, DEFAULT_CUTOFFS)).toBe(new Date(cutoff).toISOString());
      await insertCell('LS-DL', s1, s, 'regular', 2, '5');
      await setFirstEntered('LS-DL', s, 'regular', 2, enteredAt);
      // The server reads the clock at request time; only Date is faked (sockets and the database keep real timers).
      vi.setSystemTime(cutoff - 1000);
      const teacher = await login('subject_teacher');
      const open = await save(teacher, 'LS-DL', [{ studentId: s, kind: 'regular', seq: 2, value: '6', version: 1 }]);
      expect(open.status).toBe(200);
      expect(await stored('LS-DL', s, 'regular', 2)).toBe('6');

      vi.setSystemTime(cutoff);
      const atCutoff = await save(teacher, 'LS-DL', [{ studentId: s, kind: 'regular', seq: 2, value: '7', version: 2 }]);
      expect(atCutoff.status).toBe(423);
      expect(atCutoff.body.closed[0]).toMatchObject({ rule: 'regular_weekly', since: new Date(cutoff).toISOString() });

      vi.setSystemTime(cutoff + 1000);
      expect((await save(teacher, 'LS-DL', [{ studentId: s, kind: 'regular', seq: 2, value: '7', version: 2 }])).status).toBe(423);
      // Entered exactly at the cutoff, a score belongs to the next week and is open one second later.
      await setFirstEntered('LS-DL', s, 'regular', 2, new Date(cutoff).toISOString());
      expect((await save(teacher, 'LS-DL', [{ studentId: s, kind: 'regular', seq: 2, value: '7', version: 2 }])).status).toBe(200);
      expect(await stored('LS-DL', s, 'regular', 2)).toBe('7');
    });

    it('periodic scores: no test date → closed; 3 days after → open; 7th day open; 8 days after → closed since midnight', async () => {
      const s = roster[12];
      const put = (k: 'midterm' | 'final', value: string) => save(gvbm, 'LS-DL', [{ studentId: s, kind: k, seq: 1, value, version: 0 }]);
      const testDate = (k: 'midterm' | 'final', d: string, c: Client = gvbm) =>
        c.put('/api/gradebook/test-dates', { classId: cls['6A1'], subjectId: subj['LS-DL'], semesterId: s1, kind: k, testDate: d });

      const none = await put('midterm', '7');
      expect(none.status).toBe(423);
      expect(none.body.closed[0]).toMatchObject({ rule: 'periodic_no_test_date', since: null });
      expect(none.body.errors['cells.0']).toMatch(/nhập ngày kiểm tra/);

      expect((await testDate('midterm', vnDate(-3))).status).toBe(200);
      expect((await put('midterm', '7')).status).toBe(200);
      expect(await stored('LS-DL', s, 'midterm', 1)).toBe('7');
      expect((await gridOf(gvbm, '6A1', 'LS-DL')).body.testDates.midterm).toBe(vnDate(-3));

      // "Within one week of the test": the whole 7th day after it is still open.
      expect((await testDate('final', vnDate(-7))).status).toBe(200);
      expect((await put('final', '8')).status).toBe(200);

      // Scores of the test are in: its date cannot move any more (that would stretch their entry window).
      const withScores = await testDate('final', vnDate(-6));
      expect(withScores.status).toBe(409);
      expect(withScores.body.message).toMatch(/Đã có điểm của bài kiểm tra này/);
      const cleared = await save(gvbm, 'LS-DL', [{ studentId: s, kind: 'final', seq: 1, value: null, version: 1 }]);
      expect(cleared.status).toBe(200);

      // Eight days ago: the window closed at 00:00 today, Vietnam time.
      const s2nd = roster[13];
      const d8 = vnDate(-8);
      // A date whose window has passed closes the column at once: the teacher is told what it closes, and nothing
      // is saved until they confirm.
      const warned = await testDate('final', d8);
      expect(warned.status).toBe(409);
      expect(warned.body.message).toContain(`Ngày kiểm tra ${ddmmyyyy(d8)}: hạn nhập ĐĐGck (7 ngày sau ngày kiểm tra) đã hết từ 00:00 ngày ${ddmmyyyy(vnDate(0))}`);
      expect(warned.body.message).toMatch(/khóa ngay cột ĐĐGck: \d+\/\d+ học sinh chưa có điểm/);
      expect(warned.body.wouldClose).toMatchObject({ kind: 'final', testDate: d8, closesAt: vnMidnight(vnDate(0)) });
      expect((await gridOf(gvbm, '6A1', 'LS-DL')).body.testDates.final).toBe(vnDate(-7));
      // Moving an open window's date (no scores yet) is allowed, once confirmed.
      expect((await gvbm.put('/api/gradebook/test-dates', { classId: cls['6A1'], subjectId: subj['LS-DL'], semesterId: s1, kind: 'final', testDate: d8, confirm: true })).status).toBe(200);
      const closed = await save(gvbm, 'LS-DL', [{ studentId: s2nd, kind: 'final', seq: 1, value: '8', version: 0 }]);
      expect(closed.status).toBe(423);
      const since = vnMidnight(d8, 8);
      expect(since).toBe(vnMidnight(vnDate(0)));
      expect(closed.body.closed[0]).toMatchObject({ rule: 'periodic_window', since });
      expect(closed.body.errors['cells.0']).toBe(`Đã quá hạn nhập điểm định kỳ (7 ngày sau ngày kiểm tra ${ddmmyyyy(d8)}), khóa từ ${formatVn(since)}.`);
      expect(await stored('LS-DL', s2nd, 'final', 1)).toBeNull();

      // Moving the date of a closed window would reopen it: refused, the date stays.
      const move = await testDate('final', vnDate(-1));
      expect(move.status).toBe(423);
      expect(move.body.message).toMatch(/không tự đổi được ngày kiểm tra/);
      expect((await gridOf(gvbm, '6A1', 'LS-DL')).body.testDates.final).toBe(d8);
      // Only the assigned teacher records test dates; and the date must be in the semester.
      expect((await testDate('midterm', vnDate(-2), gvcn)).status).toBe(403);
      const outside = await testDate('midterm', '2027-02-01');
      expect(outside.status).toBe(400);
      expect(outside.body.errors.testDate).toMatch(/trong học kỳ/);
    });

    it('a periodic cell before its test date is closed until that day', async () => {
      const tomorrow = vnDate(1);
      const res = await gvbm.put('/api/gradebook/test-dates', { classId: cls['6A2'], subjectId: subj.GDCD, semesterId: s1, kind: 'midterm', testDate: tomorrow });
      expect(res.status).toBe(200);
      const s = ((await srv.db('enrolments').where({ class_id: cls['6A2'], status: 'active' }).first()) as { student_id: number }).student_id;
      const refused = await gvbm.put('/api/gradebook', { classId: cls['6A2'], subjectId: subj.GDCD, semesterId: s1, cells: [{ studentId: Number(s), kind: 'midterm', seq: 1, value: '7', version: 0 }] });
      expect(refused.status).toBe(423);
      expect(refused.body.closed[0].rule).toBe('periodic_before_test');
      expect(refused.body.errors['cells.0']).toContain(ddmmyyyy(tomorrow));
      // Before the test its date may still move.
      expect((await gvbm.put('/api/gradebook/test-dates', { classId: cls['6A2'], subjectId: subj.GDCD, semesterId: s1, kind: 'midterm', testDate: vnDate(2) })).status).toBe(200);
    });
  });

  describe('who reads and who writes', () => {
    const one = (): CellIn[] => [{ studentId: roster[14], kind: 'regular', seq: 4, value: '8', version: 0 }];

    it('only the assigned subject teacher writes; homeroom teacher, department head, principal and the VP in scope read', async () => {
      for (const [who, c, className, subject] of [
        ['homeroom teacher', () => gvcn, '6A1', 'LS-DL'],
        ['principal', () => principal, '6A1', 'LS-DL'],
        ['VP of grade 6', () => vp, '6A1', 'LS-DL'],
        ['VP of Toán – Tin (grade 8)', () => vp, '8A1', 'TOAN'],
        ['department head of Toán – Tin', () => totruong, '6A1', 'TIN-HOC'],
      ] as const) {
        const res = await gridOf(c(), className, subject);
        expect(res.status, who).toBe(200);
        expect(res.body.canWrite, who).toBe(false);
        expect(res.body.rows.length, who).toBeGreaterThan(0);
        const put = await c().put('/api/gradebook', { classId: cls[className], subjectId: subj[subject], semesterId: s1, cells: one() });
        expect(put.status, who).toBe(403);
        expect(put.body.message).toMatch(/không được phân công/);
      }
      expect(await stored('LS-DL', roster[14], 'regular', 4)).toBeNull();
    });

    it('another teacher may neither write nor read; a VP or department head out of scope may not read', async () => {
      // gvcn teaches Tin học in 6A1, not Lịch sử và Địa lí: reading is allowed as homeroom teacher, writing is not.
      expect((await gvcn.put('/api/gradebook', { classId: cls['6A1'], subjectId: subj['LS-DL'], semesterId: s1, cells: one() })).status).toBe(403);
      // totruong teaches Toán in 6A1 and heads Toán – Tin: Lịch sử và Địa lí is outside both.
      expect((await gridOf(totruong, '6A1', 'LS-DL')).status).toBe(403);
      expect((await totruong.put('/api/gradebook', { classId: cls['6A1'], subjectId: subj['LS-DL'], semesterId: s1, cells: one() })).status).toBe(403);
      // gvbm teaches 6A1, 6A2 and 7A1, not 8A1.
      expect((await gridOf(gvbm, '8A1', 'LS-DL')).status).toBe(403);
      // The VP supervises grades 6–7 and Toán – Tin / KHTN – Công nghệ: 8A1 Lịch sử và Địa lí is out of scope.
      expect((await gridOf(vp, '8A1', 'LS-DL')).status).toBe(403);
      for (const role of ['student', 'accountant']) {
        const c = await login(role);
        expect((await gridOf(c, '6A1', 'LS-DL')).status, role).toBe(403);
      }
      expect(await stored('LS-DL', roster[14], 'regular', 4)).toBeNull();
    });
  });

  describe('audit trail', () => {
    it('one gradebook_save event with before/after of exactly the changed cells; unchanged cells are not audited', async () => {
      const [a, b, c] = [roster[15], roster[16], roster[17]];
      expect((await save(gvbm, 'GDCD', [{ studentId: a, kind: 'regular', seq: 1, value: '5', version: 0 }, { studentId: c, kind: 'regular', seq: 1, value: '4', version: 0 }])).status).toBe(200);
      const before = (await gradebookAudit('GDCD')).body.length;
      const res = await save(
        gvbm,
        'GDCD',
        [
          { studentId: a, kind: 'regular', seq: 1, value: '6,5', version: 1 }, // changed
          { studentId: b, kind: 'regular', seq: 1, value: '9', version: 0 }, // new
          { studentId: c, kind: 'regular', seq: 1, value: '4', version: 1 }, // unchanged, re-sent with the grid
          { studentId: roster[18], kind: 'regular', seq: 1, value: null, version: 0 }, // empty stays empty
        ],
        { reason: 'Nhập bù' },
      );
      expect(res.status).toBe(200);
      expect(res.body.saved).toBe(2);
      const events = (await gradebookAudit('GDCD')).body;
      expect(events).toHaveLength(before + 1);
      const e = events[events.length - 1];
      expect(e.username).toBe(accountFor(srv.accounts, 'subject_teacher').username);
      expect(e.reason).toBe('Nhập bù');
      expect(e.before.cells).toEqual([
        { studentId: a, kind: 'regular', seq: 1, value: '5' },
        { studentId: b, kind: 'regular', seq: 1, value: null },
      ]);
      expect(e.after.cells).toEqual([
        { studentId: a, kind: 'regular', seq: 1, value: '6.5' },
        { studentId: b, kind: 'regular', seq: 1, value: '9' },
      ]);
      // Re-sending the whole grid unchanged writes nothing and audits nothing.
      const grid = (await gridOf(gvbm, '6A1', 'GDCD')).body;
      const all = grid.rows.flatMap((r: any) =>
        Object.entries(r.cells).map(([key, cell]: [string, any]) => ({ studentId: r.student.id, kind: key.split(':')[0], seq: Number(key.split(':')[1]), value: cell.value, version: cell.version })),
      );
      const same = await save(gvbm, 'GDCD', all);
      expect(same.status).toBe(200);
      expect(same.body.saved).toBe(0);
      expect((await gradebookAudit('GDCD')).body).toHaveLength(before + 1);
      // The chain is intact after all of this.
      expect((await principal.get('/api/audit-events/verify')).body.ok).toBe(true);
    });
  });

  describe('semester II', () => {
    it('shows the semester I result and the year result (ĐTBmcn = (HK I + 2·HK II) / 3, from the rounded semesters)', async () => {
      const [a, b] = [roster[19], roster[20]];
      // Semester I: (8 + 9 + 2·7 + 3·8) / 7 = 7.857… → 7.9.
      for (const [k, seq, v] of [['regular', 1, '8'], ['regular', 2, '9'], ['midterm', 1, '7'], ['final', 1, '8']] as const) await insertCell('GDCD', s1, a, k, seq, v);
      const first = await gridOf(gvbm, '6A1', 'GDCD', s2);
      expect(first.status).toBe(200);
      const rowA = first.body.rows.find((r: any) => r.student.id === a);
      expect(rowA.firstSemesterResult).toBe('7.9');
      expect(rowA.yearResult).toBeNull();
      // Semester II: all 9 → 9.0; year (7.9 + 18) / 3 = 8.633… → 8.6.
      for (const [k, seq] of [['regular', 1], ['regular', 2], ['midterm', 1], ['final', 1]] as const) await insertCell('GDCD', s2, a, k, seq, '9');
      const year = (await gridOf(gvbm, '6A1', 'GDCD', s2)).body.rows.find((r: any) => r.student.id === a);
      expect(year).toMatchObject({ semesterResult: '9', firstSemesterResult: '7.9', yearResult: '8.6' });
      const rowB = (await gridOf(gvbm, '6A1', 'GDCD', s2)).body.rows.find((r: any) => r.student.id === b);
      expect(rowB).toMatchObject({ firstSemesterResult: null, yearResult: null });
      // Semester I's grid carries no year columns.
      expect('yearResult' in (await gridOf(gvbm, '6A1', 'GDCD')).body.rows[0]).toBe(false);
    });
  });

  describe('conduct and absences', () => {
    const conductUrl = () => `/api/gradebook/conduct?classId=${cls['6A1']}&semesterId=${s1}`;
    const row = (studentId: number, over: Record<string, unknown> = {}) => ({
      studentId,
      conduct: 'T',
      absencesExcused: 2,
      absencesUnexcused: 1,
      homeroomComment: 'Chăm ngoan, lễ phép',
      version: 0,
      ...over,
    });

    it('only the homeroom teacher of the class writes conduct and absences; others read within scope', async () => {
      const sheet = await gvcn.get(conductUrl());
      expect(sheet.status).toBe(200);
      expect(sheet.body.canWrite).toBe(true);
      expect(sheet.body.rows.map((r: any) => r.student.id).sort()).toEqual([...roster].sort());
      const res = await gvcn.put('/api/gradebook/conduct', { classId: cls['6A1'], semesterId: s1, rows: [row(roster[0])] });
      expect(res.status).toBe(200);
      expect(res.body.rows.find((r: any) => r.student.id === roster[0])).toMatchObject({ conduct: 'T', absencesExcused: 2, absencesUnexcused: 1, homeroomComment: 'Chăm ngoan, lễ phép', version: 1 });

      for (const [who, c] of [
        ['subject teacher', gvbm],
        ['principal', principal],
        ['VP', vp],
      ] as const) {
        const put = await c.put('/api/gradebook/conduct', { classId: cls['6A1'], semesterId: s1, rows: [row(roster[1])] });
        expect(put.status, who).toBe(403);
      }
      const read = await principal.get(conductUrl());
      expect(read.status).toBe(200);
      expect(read.body.canWrite).toBe(false);
      // gvcn is homeroom teacher of 6A1 only.
      expect((await gvcn.put('/api/gradebook/conduct', { classId: cls['6A2'], semesterId: s1, rows: [] })).status).toBe(403);
      expect(await srv.db('conduct_records').where({ student_id: roster[1] })).toEqual([]);

      const events = (await principal.get(`/api/audit-events${q({ entity: 'conduct', action: 'conduct_save' })}`)).body;
      expect(events.at(-1).after).toEqual([
        { studentId: roster[0], conduct: 'T', absences_excused: 2, absences_unexcused: 1, homeroom_comment: 'Chăm ngoan, lễ phép' },
      ]);
    });

    it('a stale conduct save is refused with 409, the first kept; bad rows are refused whole', async () => {
      const s = roster[2];
      const other = await login('homeroom_teacher');
      expect((await gvcn.put('/api/gradebook/conduct', { classId: cls['6A1'], semesterId: s1, rows: [row(s, { conduct: 'K' })] })).status).toBe(200);
      const stale = await other.put('/api/gradebook/conduct', { classId: cls['6A1'], semesterId: s1, rows: [row(s, { conduct: 'D' })] });
      expect(stale.status).toBe(409);
      expect(((await srv.db('conduct_records').where({ student_id: s }).first()) as { conduct: string }).conduct).toBe('K');

      const notInClass = (await srv.db('enrolments').where({ class_id: cls['6A2'], status: 'active' }).first()) as { student_id: number };
      const bad = await gvcn.put('/api/gradebook/conduct', { classId: cls['6A1'], semesterId: s1, rows: [row(roster[3]), row(Number(notInClass.student_id))] });
      expect(bad.status).toBe(400);
      expect(bad.body.errors['rows.1.studentId']).toBeDefined();
      expect(await srv.db('conduct_records').where({ student_id: roster[3] })).toEqual([]);
      const level = await gvcn.put('/api/gradebook/conduct', { classId: cls['6A1'], semesterId: s1, rows: [row(roster[3], { conduct: 'X' })] });
      expect(level.status).toBe(400);
      expect(level.body.errors['rows.0.conduct']).toBeDefined();
    });
  });

  describe('school settings', () => {
    const url = () => `/api/school-settings/${schoolId}`;

    it('a teacher may read but not change them; bad values are refused', async () => {
      expect((await gvbm.get(url())).body).toMatchObject({ schoolId, regularCutoffWeekday: 5, regularCutoffTime: '15:00', periodicWindowDays: 7 });
      expect((await gvbm.put(url(), { regularCutoffWeekday: 4 })).status).toBe(403);
      expect((await vp.put(url(), { regularCutoffWeekday: 4 })).status).toBe(403);
      const bad = await principal.put(url(), { regularCutoffWeekday: 8, regularCutoffTime: '25:00' });
      expect(bad.status).toBe(400);
      expect(Object.keys(bad.body.errors).sort()).toEqual(['regularCutoffTime', 'regularCutoffWeekday']);
      for (const body of [{ regularCutoffWeekday: 0 }, { regularCutoffTime: '9:00' }, { regularCutoffTime: '10:60' }, { periodicWindowDays: 0 }, { surprise: true }]) {
        expect((await principal.put(url(), body)).status, JSON.stringify(body)).toBe(400);
      }
      expect((await principal.get(url())).body).toMatchObject({ regularCutoffWeekday: 5, regularCutoffTime: '15:00', periodicWindowDays: 7 });
    });

    it('the principal moves the cutoff to Thursday 10:00 and the closure follows at once', async () => {
      const s = roster[21];
      // A Thursday 10:30 Vietnam time, after the present; a score entered at 09:00 that morning.
      const thursday10 = Date.parse(regularCutoffAfter(nowIso(), { ...DEFAULT_CUTOFFS, regularCutoffWeekday: 4, regularCutoffTime: '10:00' }));
      await insertCell('LS-DL', s1, s, 'regular', 3, '6');
      await setFirstEntered('LS-DL', s, 'regular', 3, new Date(thursday10 - 3_600_000).toISOString());
      vi.setSystemTime(thursday10 + 30 * 60_000);
      const [teacher, head] = [await login('subject_teacher'), await login('principal')];
      try {
        expect(cellOf((await gridOf(teacher, '6A1', 'LS-DL')).body, s, 'regular:3').closed).toBeNull();
        const changed = await head.put(url(), { regularCutoffWeekday: 4, regularCutoffTime: '10:00', reason: 'Họp hội đồng' });
        expect(changed.status).toBe(200);
        expect(changed.body).toMatchObject({ regularCutoffWeekday: 4, regularCutoffTime: '10:00' });
        const refused = await save(teacher, 'LS-DL', [{ studentId: s, kind: 'regular', seq: 3, value: '7', version: 1 }]);
        expect(refused.status).toBe(423);
        expect(refused.body.closed[0]).toMatchObject({ rule: 'regular_weekly', since: new Date(thursday10).toISOString() });
        expect(refused.body.errors['cells.0']).toContain(`(thứ Năm 10:00), từ ${formatVn(new Date(thursday10).toISOString())}`);
        expect((await gridOf(teacher, '6A1', 'LS-DL')).body.settings).toMatchObject({ regularCutoffWeekday: 4, regularCutoffTime: '10:00' });
      } finally {
        expect((await head.put(url(), { regularCutoffWeekday: 5, regularCutoffTime: '15:00' })).status).toBe(200);
      }
      const audit = (await head.get(`/api/audit-events${q({ entity: 'school-settings' })}`)).body;
      expect(audit.at(-2)).toMatchObject({ reason: 'Họp hội đồng', before: { regularCutoffWeekday: 5 }, after: { regularCutoffWeekday: 4, regularCutoffTime: '10:00' } });
    });
  });
});
