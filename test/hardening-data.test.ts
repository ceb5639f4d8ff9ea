import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvLine, nameProblem, normalizeName, spreadsheetSafe } from '../domain/text';
import { MAX_CONCURRENT_IMPORTS, withImportSlot } from '../server/imports/limits';
import { accountFor, Client } from './helpers/client';
import { testDatabases } from './helpers/databases';
import { applyChanges, loadCells } from '../server/gradebook/cells';
import { loadGradebook } from '../server/gradebook/target';
import { startServer, type TestServer } from './helpers/server';

/** Issue 8 ("Hardening … found by an outside probe"): data and input. */

const DAY = 86_400_000;
const enc = (v: unknown) => encodeURIComponent(JSON.stringify(v));

/** A ZIP of the given entries (deflated), with the sizes it declares overridable: a bomb may lie about them. */
function zip(entries: Array<{ name: string; data: Buffer; deflated?: Buffer; declaredSize?: number }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const body = e.deflated ?? zlib.deflateRawSync(e.data);
    const name = Buffer.from(e.name);
    const size = e.declaredSize ?? e.data.length;
    const crc = e.deflated ? 0 : zlib.crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** `copies` MB of sheet rows as raw deflate, built from one compressed megabyte repeated (full flushes make blocks independent). */
function deflateBomb(copies: number): Buffer {
  // deflateRawSync with Z_FULL_FLUSH: a non-final block that does not refer to earlier data, so copies concatenate.
  const one = zlib.deflateRawSync(Buffer.alloc(1024 * 1024, ' '), { finishFlush: zlib.constants.Z_FULL_FLUSH });
  return Buffer.concat([...Array.from({ length: copies }, () => one), Buffer.from([0x03, 0x00])]);
}

const XLSX_SHELL = [
  { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>') },
  { name: 'xl/workbook.xml', data: Buffer.from('<?xml version="1.0"?><workbook/>') },
];

/** Every list endpoint that takes ra-data-simple-rest's sort / filter / range. */
const LISTS = [
  'schools',
  'school-years',
  'semesters',
  'departments',
  'subjects',
  'classes',
  'teaching-assignments',
  'staff',
  'students',
  'enrolments',
  'users',
  'audit-events',
  'correction-requests',
  'locks',
  'entry-delegations',
  'unlock-requests',
  'staff-post-changes',
  'student-transfers',
  'retest-results',
  'summer-training-results',
];

describe.each(testDatabases())('hardening (issue 8): data and input on %s', (kind) => {
  let srv: TestServer;
  let teacher: Client;
  let teacherTab2: Client;
  let principal: Client;
  let vp: Client;
  let admin: Client;
  let teacherId: number;
  let principalId: number;
  let vpId: number;
  let book: { classId: number; subjectId: number; semesterId: number };
  let students: Array<{ id: number; fullName: string }>;

  beforeAll(async () => {
    srv = await startServer(kind);
    const login = (role: string) => new Client(srv.url).loginAs(accountFor(srv.accounts, role));
    [teacher, teacherTab2, principal, vp, admin] = await Promise.all(['subject_teacher', 'subject_teacher', 'principal', 'vice_principal', 'admin'].map(login));
    const user = (username: string) => srv.db('users').where({ username }).first() as Promise<{ id: number; staff_id: number }>;
    const [t, p, v] = await Promise.all(['gvbm', 'hieutruong', 'phohieutruong'].map(user));
    teacherId = Number(t.id);
    principalId = Number(p.id);
    vpId = Number(v.id);
    // A scored subject gvbm teaches in a grade phohieutruong supervises (grades 6–7).
    const a = (await srv.db('teaching_assignments as a')
      .join('classes as c', 'c.id', 'a.class_id')
      .join('subjects as s', 's.id', 'a.subject_id')
      .where({ 'a.staff_id': t.staff_id, 's.assessment_type': 'scored' })
      .whereIn('c.grade', [6, 7])
      .orderBy('c.name')
      .first('a.class_id', 'a.subject_id', 'a.school_year_id')) as { class_id: number; subject_id: number; school_year_id: number };
    const semester = (await srv.db('semesters').where({ school_year_id: a.school_year_id, number: 1 }).first('id')) as { id: number };
    book = { classId: Number(a.class_id), subjectId: Number(a.subject_id), semesterId: Number(semester.id) };
    const grid = await teacher.get(`/api/gradebook?classId=${book.classId}&subjectId=${book.subjectId}&semesterId=${book.semesterId}`);
    expect(grid.status).toBe(200);
    students = grid.body.rows.map((r: { student: { id: number; fullName: string } }) => r.student);
  });
  afterAll(async () => srv?.close());

  const gridNow = async () => (await teacher.get(`/api/gradebook?classId=${book.classId}&subjectId=${book.subjectId}&semesterId=${book.semesterId}`)).body;

  it('#1 two writers saving the same empty cell at once: one wins, the other gets 409 with the current value (many rounds)', async () => {
    const grid = await gridNow();
    const empty: Array<{ studentId: number; kind: string; seq: number }> = [];
    for (const row of grid.rows) {
      for (const [key, cell] of Object.entries(row.cells as Record<string, { value: string | null; version: number; closed: unknown }>)) {
        const [k, seq] = key.split(':');
        if (k === 'regular' && cell.value === null && cell.version === 0 && cell.closed === null) empty.push({ studentId: row.student.id, kind: k, seq: Number(seq) });
      }
    }
    const rounds = empty.slice(0, 40);
    expect(rounds.length).toBeGreaterThanOrEqual(20);
    for (const [i, c] of rounds.entries()) {
      const [a, b] = await Promise.all([
        teacher.put('/api/gradebook', { ...book, cells: [{ ...c, value: '7', version: 0 }] }),
        teacherTab2.put('/api/gradebook', { ...book, cells: [{ ...c, value: '3', version: 0 }] }),
      ]);
      const statuses = [a.status, b.status].sort();
      expect(statuses, `round ${i}`).toEqual([200, 409]);
      const [won, lost] = a.status === 200 ? [a, b] : [b, a];
      const winner = a.status === 200 ? '7' : '3';
      expect(lost.body.current).toEqual([expect.objectContaining({ studentId: c.studentId, kind: c.kind, seq: c.seq, value: winner, version: 1 })]);
      expect(won.body.saved).toBe(1);
      const row = (await srv.db('assessment_scores').where({ ...{ class_id: book.classId, subject_id: book.subjectId, semester_id: book.semesterId }, student_id: c.studentId, kind: c.kind, seq: c.seq }).first()) as Record<string, unknown>;
      expect(Number(row.score)).toBe(Number(winner));
      expect(Number(row.version)).toBe(1);
    }
    // The audit trail holds one save per cell, each with an empty "before" and the stored value "after".
    const audits = (await srv.db('audit_events').where({ action: 'gradebook_save', entity_id: `${book.classId}:${book.subjectId}:${book.semesterId}` })) as Array<Record<string, unknown>>;
    const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as { cells: Array<{ studentId: number; kind: string; seq: number; value: string | null }> };
    for (const c of rounds) {
      const touching = audits.filter((e) => parse(e.after_json ?? e.after).cells.some((x) => x.studentId === c.studentId && x.kind === c.kind && x.seq === c.seq));
      expect(touching).toHaveLength(1);
      expect(parse(touching[0].before_json ?? touching[0].before).cells.find((x) => x.studentId === c.studentId && x.seq === c.seq)!.value).toBeNull();
    }
  }, 120_000);

  /** Open regular cells of the grid nobody has entered yet (version 0). */
  const emptyOpenCells = async () => {
    const empty: Array<{ studentId: number; kind: string; seq: number }> = [];
    for (const row of (await gridNow()).rows) {
      for (const [key, cell] of Object.entries(row.cells as Record<string, { value: string | null; version: number; closed: unknown }>)) {
        const [k, seq] = key.split(':');
        if (k === 'regular' && cell.value === null && cell.version === 0 && cell.closed === null) empty.push({ studentId: row.student.id, kind: k, seq: Number(seq) });
      }
    }
    return empty;
  };
  const storedCell = async (c: { studentId: number; kind: string; seq: number }) =>
    (await srv.db('assessment_scores').where({ class_id: book.classId, subject_id: book.subjectId, semester_id: book.semesterId, student_id: c.studentId, kind: c.kind, seq: c.seq }).first()) as
      | { score: unknown; version: unknown }
      | undefined;

  it('#1 two writers overwriting the same stored score at once: one wins, the other gets 409 with the current value (many rounds)', async () => {
    const cells = (await emptyOpenCells()).slice(0, 20);
    expect(cells.length).toBe(20);
    expect((await teacher.put('/api/gradebook', { ...book, cells: cells.map((c) => ({ ...c, value: '5', version: 0 })) })).status).toBe(200);
    for (const [i, c] of cells.entries()) {
      const [a, b] = await Promise.all([
        teacher.put('/api/gradebook', { ...book, cells: [{ ...c, value: '8', version: 1 }] }),
        teacherTab2.put('/api/gradebook', { ...book, cells: [{ ...c, value: '2', version: 1 }] }),
      ]);
      expect([a.status, b.status].sort(), `round ${i}`).toEqual([200, 409]);
      const winner = a.status === 200 ? '8' : '2';
      expect((a.status === 409 ? a : b).body.current).toEqual([{ ...c, value: winner, version: 2 }]);
      const row = await storedCell(c);
      expect([Number(row!.score), Number(row!.version)]).toEqual([Number(winner), 2]);
    }
    // One writer saves two stored scores, the other one of them: a 409 names only the score the two shared.
    for (const [i, [c, d]] of [[cells[0], cells[1]], [cells[2], cells[3]], [cells[4], cells[5]]].entries()) {
      const [a, b] = await Promise.all([
        teacher.put('/api/gradebook', { ...book, cells: [{ ...c, value: '9', version: 2 }, { ...d, value: '9', version: 2 }] }),
        teacherTab2.put('/api/gradebook', { ...book, cells: [{ ...c, value: '1', version: 2 }] }),
      ]);
      expect([a.status, b.status].sort(), `pair ${i}`).toEqual([200, 409]);
      expect((a.status === 409 ? a : b).body.current).toEqual([{ ...c, value: a.status === 200 ? '9' : '1', version: 3 }]);
      expect(Number((await storedCell(d))!.version)).toBe(a.status === 200 ? 3 : 2);
    }
  }, 120_000);

  it('#1 an approved correction or a clearing that read a score before a colleague saved it changes nothing and says so (409 with the current value)', async () => {
    const [c, d] = (await emptyOpenCells()).slice(0, 2);
    expect((await teacher.put('/api/gradebook', { ...book, cells: [c, d].map((x) => ({ ...x, value: '5', version: 0 })) })).status).toBe(200);
    const gb = await loadGradebook(srv.db, book.classId, book.subjectId, book.semesterId);
    const readBefore = await loadCells(srv.db, gb);
    // A colleague's save lands between the read and the write (as it can while a correction is being approved).
    expect((await teacherTab2.put('/api/gradebook', { ...book, cells: [c, d].map((x) => ({ ...x, value: '6', version: 1 })) })).status).toBe(200);
    for (const [cell, value] of [[c, '9'], [d, null]] as const) {
      const write = srv.db.transaction((trx) => applyChanges(trx, gb, readBefore, [{ ...cell, kind: 'regular', value }], teacherId, new Date().toISOString()));
      await expect(write).rejects.toMatchObject({ key: 'staleGrid', extra: { current: [{ ...cell, value: '6', version: 2 }] } });
      const row = await storedCell(cell);
      expect([Number(row!.score), Number(row!.version)]).toEqual([6, 2]);
    }
  });

  it('#1 two writers saving the same comment at once, new or stored: one wins, the other gets 409 with the current text', async () => {
    for (const s of students.slice(0, 10)) {
      const [a, b] = await Promise.all([
        teacher.put('/api/gradebook', { ...book, cells: [], comments: [{ studentId: s.id, text: 'Chăm chỉ', version: 0 }] }),
        teacherTab2.put('/api/gradebook', { ...book, cells: [], comments: [{ studentId: s.id, text: 'Cần cố gắng', version: 0 }] }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const lost = a.status === 409 ? a : b;
      expect(lost.body.currentComments).toEqual([expect.objectContaining({ studentId: s.id, version: 1 })]);
      // And both overwriting the comment now stored, from the version they both hold.
      const [c, d] = await Promise.all([
        teacher.put('/api/gradebook', { ...book, cells: [], comments: [{ studentId: s.id, text: 'Tiến bộ', version: 1 }] }),
        teacherTab2.put('/api/gradebook', { ...book, cells: [], comments: [{ studentId: s.id, text: 'Cần ôn tập', version: 1 }] }),
      ]);
      expect([c.status, d.status].sort()).toEqual([200, 409]);
      expect((c.status === 409 ? c : d).body.currentComments).toEqual([{ studentId: s.id, text: c.status === 200 ? 'Tiến bộ' : 'Cần ôn tập', version: 2 }]);
    }
  }, 120_000);

  it('#5 the witness is a fourth person: never the requester, the approving principal or the supervising VP', async () => {
    const gridCell = async (studentId: number, key: string) => (await gridNow()).rows.find((r: { student: { id: number } }) => r.student.id === studentId).cells[key];
    const closedCell = async (studentId: number, seq: number, value: string) => {
      const saved = await teacher.put('/api/gradebook', { ...book, cells: [{ studentId, kind: 'regular', seq, value, version: (await gridCell(studentId, `regular:${seq}`)).version }] });
      expect(saved.status).toBe(200);
      await srv
        .db('assessment_scores')
        .where({ class_id: book.classId, subject_id: book.subjectId, semester_id: book.semesterId, student_id: studentId, kind: 'regular', seq })
        .update({ first_entered_at: new Date(Date.now() - 30 * DAY).toISOString() });
    };
    const seq = Math.max(...(await gridNow()).columns.filter((c: { kind: string }) => c.kind === 'regular').map((c: { seq: number }) => c.seq));
    const file = (studentId: number, extra: Record<string, unknown> = {}) =>
      teacher.post('/api/correction-requests', { ...book, studentId, kind: 'regular', seq, newValue: '9', reason: 'Nhập nhầm', ...extra });
    const candidatesQuery = `classId=${book.classId}&subjectId=${book.subjectId}&semesterId=${book.semesterId}`;

    // The teacher filing is not offered the principal (who will approve), themselves or the VP; naming the principal is refused.
    const offered = (await teacher.get(`/api/correction-requests/witness-candidates?${candidatesQuery}`)).body.map((c: { id: number }) => c.id);
    expect(offered.length).toBeGreaterThan(0);
    for (const party of [principalId, teacherId, vpId]) expect(offered).not.toContain(party);
    const s0 = students[students.length - 1];
    await closedCell(s0.id, seq, '5');
    const namedPrincipal = await file(s0.id, { witnessUserId: principalId });
    expect(namedPrincipal.status).toBe(400);
    expect(namedPrincipal.body.errors.witnessUserId).toMatch(/người thứ tư/);

    // The principal approving cannot name themselves, and is not offered to themselves.
    const filed = await file(s0.id);
    expect(filed.status).toBe(201);
    const byRequest = (await principal.get(`/api/correction-requests/witness-candidates?requestId=${filed.body.id}`)).body.map((c: { id: number }) => c.id);
    for (const party of [principalId, teacherId, vpId]) expect(byRequest).not.toContain(party);
    const self = await principal.post(`/api/correction-requests/${filed.body.id}/approve`, { witnessUserId: principalId });
    expect(self.status).toBe(400);
    expect(self.body.errors.witnessUserId).toMatch(/người thứ tư/);
    expect((await principal.get(`/api/correction-requests/${filed.body.id}`)).body.status).toBe('pending');

    // Approved without a witness: the VP confirming cannot name the approver either; the candidates omit them.
    expect((await principal.post(`/api/correction-requests/${filed.body.id}/approve`, {})).status).toBe(200);
    const afterApproval = (await vp.get(`/api/correction-requests/witness-candidates?requestId=${filed.body.id}`)).body.map((c: { id: number }) => c.id);
    for (const party of [principalId, teacherId, vpId]) expect(afterApproval).not.toContain(party);
    const vpNamesPrincipal = await vp.post(`/api/correction-requests/${filed.body.id}/confirm`, { witnessUserId: principalId });
    expect(vpNamesPrincipal.status).toBe(400);
    expect(vpNamesPrincipal.body.errors.witnessUserId).toMatch(/người thứ tư/);

    // A request that names the approver as witness anyway (data from before the rule): the approver may not confirm as witness,
    // nor approve a request they witness.
    await srv.db('correction_requests').where({ id: filed.body.id }).update({ witness_user_id: principalId });
    const confirmSelf = await principal.post(`/api/correction-requests/${filed.body.id}/confirm`, {});
    expect(confirmSelf.status).toBe(403);
    expect((await principal.get(`/api/correction-requests/${filed.body.id}`)).body.witnessConfirmedAt).toBeNull();
    const s1 = students[students.length - 2];
    await closedCell(s1.id, seq, '5');
    const other = await file(s1.id);
    expect(other.status).toBe(201);
    await srv.db('correction_requests').where({ id: other.body.id }).update({ witness_user_id: principalId });
    const approveWitnessed = await principal.post(`/api/correction-requests/${other.body.id}/approve`, {});
    expect(approveWitnessed.status).toBe(400);
    expect((await principal.get(`/api/correction-requests/${other.body.id}`)).body.status).toBe('pending');
  }, 120_000);

  it('#8 sort and filter keys that are not own fields (constructor, __proto__, toString, valueOf, …_gte) give 400 on every list endpoint', async () => {
    const bad = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'nope'];
    for (const list of LISTS) {
      const ok = await admin.get(`/api/${list}?sort=${enc(['id', 'ASC'])}`);
      const client = ok.status === 200 ? admin : principal;
      expect((await client.get(`/api/${list}?sort=${enc(['id', 'ASC'])}`)).status, list).toBe(200);
      for (const f of bad) {
        const sorted = await client.get(`/api/${list}?sort=${enc([f, 'ASC'])}`);
        expect(sorted.status, `${list} sort ${f}`).toBe(400);
        expect(sorted.body.message).toContain(f);
        for (const key of [f, `${f}_gte`, `${f}_lt`]) {
          const filtered = await client.get(`/api/${list}?filter=${encodeURIComponent(`{"${key}":1}`)}`);
          expect(filtered.status, `${list} filter ${key}`).toBe(400);
          expect(filtered.body.message).toContain(key.replace(/_(gte|lt)$/, ''));
        }
      }
    }
  }, 120_000);

  it('#4 XLSX decompression bombs, 600,000-row files and too many imports at once are refused early; the server keeps answering', async () => {
    const clerk = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'academic_staff'));
    const send = (fileName: string, buf: Buffer) => clerk.post('/api/imports/students?mode=dry-run', { fileName, contentBase64: buf.toString('base64') });
    const bombData = deflateBomb(1500); // 1.5 GB of cells in about 1.5 MB
    expect(bombData.length).toBeLessThan(2_500_000);
    const honest = zip([...XLSX_SHELL, { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(0), deflated: bombData, declaredSize: 1500 * 1024 * 1024 }]);
    const lying = zip([...XLSX_SHELL, { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(0), deflated: bombData, declaredSize: 1000 }]);
    const manyRows = zip([...XLSX_SHELL, { name: 'xl/worksheets/sheet1.xml', data: Buffer.from(`<worksheet><sheetData>${Array.from({ length: 600_000 }, (_, i) => `<row r="${i + 1}"/>`).join('')}</sheetData></worksheet>`) }]);
    const wide = zip([...XLSX_SHELL, { name: 'xl/worksheets/sheet1.xml', data: Buffer.from('<worksheet><dimension ref="A1:XFD3"/><sheetData/></worksheet>') }]);
    const csvRows = Buffer.from('a;b\n'.repeat(600_000));

    for (const [name, file, fileName] of [['honest bomb', honest, 'bom.xlsx'], ['lying bomb', lying, 'bom2.xlsx'], ['600,000 rows', manyRows, 'rows.xlsx'], ['16,384 columns', wide, 'wide.xlsx'], ['600,000 CSV rows', csvRows, 'rows.csv']] as const) {
      const started = Date.now();
      const res = await send(fileName, file);
      expect(res.status, name).toBe(400);
      expect(res.body.message, name).toMatch(/Tệp quá lớn sau khi giải nén/);
      // Refused in well under the seconds a whole parse took (generous: the test machine is shared).
      expect(Date.now() - started, name).toBeLessThan(10_000);
    }

    // Bombs uploaded in parallel while another user works: every bomb is refused (400, or 503 when the slots are
    // taken), the other user's request answers quickly, and the server is still up afterwards.
    // The same request without bombs first: a slow shared test machine sets the scale, not the bombs.
    const b0 = Date.now();
    expect((await principal.get('/api/classes')).status).toBe(200);
    const baselineMs = Date.now() - b0;
    const bombs = Array.from({ length: 6 }, (_, i) => send(`bom${i}.xlsx`, i % 2 ? honest : lying));
    await new Promise((r) => setTimeout(r, 20));
    const t0 = Date.now();
    const other = await principal.get('/api/classes');
    const otherMs = Date.now() - t0;
    expect(other.status).toBe(200);
    expect(otherMs).toBeLessThan(Math.max(1500, 5 * baselineMs));
    for (const r of await Promise.all(bombs)) expect([400, 503]).toContain(r.status);
    expect((await principal.get('/api/health')).status).toBe(200);

    // Beyond the concurrent imports the server reads at once: 503, in Vietnamese, with Retry-After.
    const release: Array<() => void> = [];
    const held = Array.from({ length: MAX_CONCURRENT_IMPORTS }, () => withImportSlot(() => new Promise<void>((r) => release.push(r))));
    try {
      const busy = await send('a.csv', Buffer.from('a;b\n'));
      expect(busy.status).toBe(503);
      expect(busy.body.message).toBe('Máy chủ đang xử lý nhiều tệp nhập cùng lúc. Vui lòng thử lại sau ít phút.');
      expect(busy.headers.get('retry-after')).toBeTruthy();
    } finally {
      release.forEach((r) => r());
      await Promise.all(held);
    }

    // The 413 names the limit of the route that refused it: 4 MB for imports, 1 MB elsewhere.
    const huge = await clerk.post('/api/imports/students?mode=dry-run', { fileName: 'big.csv', contentBase64: 'x'.repeat(4_300_000) });
    expect(huge.status).toBe(413);
    expect(huge.body.message).toBe('Dữ liệu gửi lên quá lớn (tối đa 4 MB).');
    const hugeElsewhere = await admin.post('/api/departments', { name: 'x'.repeat(1_100_000) });
    expect(hugeElsewhere.status).toBe(413);
    expect(hugeElsewhere.body.message).toBe('Dữ liệu gửi lên quá lớn (tối đa 1 MB).');
  }, 120_000);

  it('#11 names: NFC, no control or invisible characters, at least a letter (a class: a letter or digit); plausible dates', async () => {
    const giaovu = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'academic_staff'));
    const year = (await srv.db('school_years').where({ is_current: true }).first('id')) as { id: number };
    const badNames = ['\u200b\u200b', '\u0007\u0008', '\u2060', '\ufeff', ' \u00a0 ', '\u3164', '\u034f\u0301'];
    for (const n of [...badNames, '123', '--']) {
      const dept = await admin.post('/api/departments', { code: `X${Math.random().toString(36).slice(2, 7)}`, name: n });
      expect(dept.status, JSON.stringify(n)).toBe(400);
      expect(dept.body.errors).toHaveProperty('name');
    }
    for (const n of [...badNames, '6A1\u200b', '6A1\u202e', '---']) {
      const cls = await admin.post('/api/classes', { schoolYearId: Number(year.id), grade: 6, name: n });
      expect(cls.status, JSON.stringify(n)).toBe(400);
      expect(cls.body.errors).toHaveProperty('name');
    }
    const student = (extra: Record<string, unknown>) =>
      giaovu.post('/api/students', { studentCode: `HS${Math.random().toString(36).slice(2, 9)}`, fullName: 'Lê Văn An', birthDate: '2014-05-02', sex: 'male', ...extra });
    for (const fullName of badNames) expect((await student({ fullName })).status, JSON.stringify(fullName)).toBe(400);
    expect((await student({ fatherName: '\u200b' })).status).toBe(400);
    expect((await student({ address: 'Thôn 2\u200b' })).status).toBe(400);
    // Comments are free text: line breaks are fine, invisible characters are not.
    const comment = (text: string) => teacher.put('/api/gradebook', { ...book, cells: [], comments: [{ studentId: students[0].id, text, version: 0 }] });
    expect((await comment('Chăm\u200b chỉ')).status).toBe(400);
    expect((await comment('Chăm\u0007')).status).toBe(400);
    for (const birthDate of ['0000-01-01', '1899-12-31', '9999-12-31', '2999-01-01']) {
      const res = await student({ birthDate });
      expect(res.status, birthDate).toBe(400);
      expect(res.body.errors).toHaveProperty('birthDate');
    }
    expect((await admin.post('/api/school-years', { name: '1800-1801', startDate: '1800-09-05', endDate: '1801-05-31' })).status).toBe(400);
    // A decomposed name and odd spaces are stored NFC with plain spaces; a valid name still works.
    const ok = await student({ fullName: 'Nguye\u0302\u0303n\u00a0Thi\u0323  Ánh', birthDate: '2014-01-31' });
    expect(ok.status).toBe(201);
    expect(ok.body.fullName).toBe('Nguyễn Thị Ánh');

    // The same rules in an import: an invisible name and a year-0 birth date are row errors.
    const header = 'Mã học sinh;Họ và tên;Ngày sinh;Giới tính;Mã định danh;Dân tộc;Lớp';
    const file = [header, 'IMP1;\u200b\u200b;01/01/2014;Nam;;;6A1', 'IMP2;Lê Thị Hoa;01/01/0000;Nữ;;;6A1'].join('\n');
    const dry = await giaovu.post('/api/imports/students?mode=dry-run', { fileName: 'hs.csv', contentBase64: Buffer.from(file).toString('base64') });
    expect(dry.status).toBe(200);
    expect(dry.body.rows.map((r: { errors?: Record<string, string> }) => Object.keys(r.errors ?? {}))).toEqual([['Họ và tên'], ['Ngày sinh']]);
  }, 120_000);

  it('#11 a Content-Encoding other than identity/gzip/deflate/br, or a corrupt compressed body, gives 400', async () => {
    const post = (encoding: string, body: Buffer) =>
      fetch(`${srv.url}/api/departments`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Encoding': encoding, Cookie: admin.cookie, 'X-CSRF-Token': admin.csrf }, body: new Uint8Array(body) });
    const json = Buffer.from(JSON.stringify({ code: 'ZIPD', name: 'Tổ Nén' }));
    const cases: Array<[string, Buffer]> = [
      ['x-garbage', json],
      ['compress', json],
      ['gzip', Buffer.from('not gzip at all')],
      ['deflate', Buffer.from('not deflate')],
      ['br', Buffer.from([0xff, 0xff, 0xff, 0xff])],
      ['gzip', zlib.gzipSync(json).subarray(0, 12)],
    ];
    for (const [encoding, body] of cases) {
      const res = await post(encoding, body);
      expect(res.status, encoding).toBe(400);
      expect((await res.json()).message).toMatch(/nén sai/);
    }
    // A well-formed gzip body is read as usual.
    const good = await post('gzip', zlib.gzipSync(json));
    expect(good.status).toBe(201);
  }, 120_000);

  it('#9 a NUL character anywhere and integers beyond 2³¹−1 give 400, never 500', async () => {
    const anon = new Client(srv.url);
    const login = await anon.post('/api/auth/login', { username: 'admin\u0000', password: 'x' });
    expect(login.status).toBe(400);
    const checks: Array<[string, () => Promise<{ status: number }>]> = [
      ['path id', () => admin.get('/api/students/2147483648')],
      ['path id 1e10', () => admin.get('/api/students/1e10')],
      ['path NUL', () => admin.get('/api/students/1%00')],
      ['path NUL, custom route', () => admin.get('/api/correction-requests/%00/minutes')],
      ['put id', () => admin.put('/api/classes/4294967296', { name: 'X' })],
      ['delete id', () => admin.delete('/api/classes/99999999999')],
      ['query id', () => teacher.get(`/api/gradebook?classId=2147483648&subjectId=${book.subjectId}&semesterId=${book.semesterId}`)],
      ['query NUL', () => teacher.get(`/api/gradebook?classId=${book.classId}%00&subjectId=${book.subjectId}&semesterId=${book.semesterId}`)],
      ['filter id', () => admin.get(`/api/students?filter=${enc({ id: 2147483648 })}`)],
      ['filter ids', () => admin.get(`/api/students?filter=${enc({ id: [1, 3000000000] })}`)],
      ['filter id as text', () => admin.get(`/api/students?filter=${enc({ id: '2147483648' })}`)],
      ['filter gte', () => admin.get(`/api/students?filter=${enc({ id_gte: -2147483649 })}`)],
      ['filter NUL', () => admin.get(`/api/students?filter=${enc({ q: 'Nguy\u0000' })}`)],
      ['filter NUL in value', () => admin.get(`/api/classes?filter=${enc({ name: '6A1\u0000' })}`)],
      ['body id', () => teacher.put('/api/gradebook', { ...book, classId: 2147483648, cells: [] })],
      ['body version', () => teacher.put('/api/gradebook', { ...book, cells: [{ studentId: students[0].id, kind: 'regular', seq: 1, value: '5', version: 2 ** 40 }] })],
      ['body NUL', () => admin.post('/api/departments', { name: 'Tổ\u0000 Văn' })],
      ['body NUL key', () => admin.post('/api/departments', { ['name\u0000']: 'Tổ Văn' })],
      ['nested NUL', () => teacher.put('/api/gradebook', { ...book, cells: [], comments: [{ studentId: students[0].id, text: 'a\u0000b', version: 0 }] })],
    ];
    for (const [name, run] of checks) expect((await run()).status, name).toBe(400);
    // Ordinary values still work.
    expect((await admin.get(`/api/students?filter=${enc({ id: [1, 2147483647] })}`)).status).toBe(200);
    expect((await admin.get('/api/students/2147483647')).status).toBe(404);
  }, 120_000);
});

describe('#11 spreadsheet export cells cannot run as formulas', () => {
  it('#11 prefixes text starting with = + - @ tab or CR with an apostrophe, in CSV lines too', () => {
    for (const v of ['=1+1', '+84912', '-2', '@SUM(A1)', '\t=cmd', '\r=x', '=HYPERLINK("http://x")']) expect(spreadsheetSafe(v)).toBe(`'${v}`);
    for (const v of ['Nguyễn', '6A1', '', 'a=b']) expect(spreadsheetSafe(v)).toBe(v);
    expect(spreadsheetSafe(-2)).toBe(-2);
    expect(spreadsheetSafe(null)).toBeNull();
    expect(csvLine(['=1+1', 'Lê "Tí"', 'a,b', 8.5, null])).toBe(`'=1+1,"Lê ""Tí""","a,b",8.5,`);
    expect(csvLine(['@x', 'y;z'], ';')).toBe(`'@x;"y;z"`);
  });
  it('#11 the text rules are pure (domain/text.ts)', () => {
    expect(normalizeName('  Nguye\u0302\u0303n\u2003An ')).toBe('Nguyễn An');
    expect(nameProblem('6A1', 'code')).toBeNull();
    expect(nameProblem('6A1\u200b', 'code')).toBe('textInvisibleCode');
    expect(nameProblem('123', 'person')).toBe('textInvisible');
    expect(nameProblem('Đặng Thùy Dương')).toBeNull();
  });
});
