/**
 * Chuyển trường with the transcripts (issue 13, docs/transfers.md), on SQLite and PostgreSQL, through the API:
 * a school issues a transfer package (every sealed version + a record sealed with the school seal) and the student
 * becomes read-only history there; a second school of the same deployment, and a school of another deployment (a
 * fresh database that registered the sending school's root), import it after checking every signature. A tampered
 * document or record is refused naming the broken signature; hostile XML and a zip bomb get a 4xx; nothing is written.
 */
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../server/demo/seed';
import { wholeDocumentSealProblem } from '../server/sync/manifest';
import { readRecord } from '../server/transfers/record-xml';
import { assembleTranscript } from '../server/transcripts/assemble';
import { DEMO_PIN, seedDemoSigning } from '../server/transcripts/seed';
import { accountFor, Client } from './helpers/client';
import { testDatabases } from './helpers/databases';
import { startServer, type TestServer } from './helpers/server';
import { addSecondSchool, editInZip, filesOf } from './helpers/transfer';

interface Leaver {
  id: number;
  code: string;
  classId: number;
  grade: number;
  startDate: string;
  sealedVersions: number;
}

describe.each(testDatabases())('transfers of sealed transcripts (%s)', (kind) => {
  let a: TestServer;
  let other: TestServer;
  let vp: Client;
  let newSchool: { schoolId: number; classId: number; username: string };
  let vpNew: Client;
  let leaver: Leaver;
  let second: Leaver;
  let yearName: string;
  let zip: Buffer;
  let packageId: number;

  const count = async (srv: TestServer, table: string) => Number(((await srv.db(table).count({ n: '*' }).first()) as { n: number | string }).n);
  const b64 = (bytes: Uint8Array | Buffer) => Buffer.from(bytes).toString('base64');

  async function login(srv: TestServer, username: string, totpSecret?: string): Promise<Client> {
    const c = new Client(srv.url);
    const r = await c.login(username, DEMO_PASSWORD, totpSecret);
    expect(r.body.stage, username).toBe('ok');
    return c;
  }

  /** Students studying now (a class of the current year) whose earlier year is sealed, with their sealed versions. */
  async function leavers(): Promise<Leaver[]> {
    const rows = (await a.db('transcript_versions as v')
      .join('transcripts as t', 't.id', 'v.transcript_id')
      .join('students as s', 's.id', 't.student_id')
      .join('enrolments as e', 'e.student_id', 's.id')
      .join('classes as c', 'c.id', 'e.class_id')
      .join('school_years as y', 'y.id', 'c.school_year_id')
      .where({ 'v.status': 'sealed', 's.status': 'studying', 'e.status': 'active', 'y.is_current': true })
      .orderBy('s.id')
      .limit(2)
      .select('s.id', 's.student_code', 'c.id as class_id', 'c.grade')) as Array<Record<string, unknown>>;
    const out: Leaver[] = [];
    for (const r of rows) {
      const sealed = (await a.db('transcript_versions as v').join('transcripts as t', 't.id', 'v.transcript_id').where({ 't.student_id': r.id }).whereIn('v.status', ['sealed', 'superseded']).count({ n: '*' }).first()) as { n: number };
      // The transfer date: not before any of the student's active enrolments began.
      const start = (await a.db('enrolments').where({ student_id: r.id, status: 'active' }).max({ d: 'start_date' }).first()) as { d: string };
      out.push({ id: Number(r.id), code: String(r.student_code), classId: Number(r.class_id), grade: Number(r.grade), startDate: String(start.d), sealedVersions: Number(sealed.n) });
    }
    return out;
  }

  beforeAll(async () => {
    a = await startServer(kind, { students: 40 });
    const seeded = await seedDemoSigning(a.db, { secretBox: a.box });
    expect(seeded.sealed).toBeGreaterThan(5);
    yearName = seeded.previousYear!.name;
    [leaver, second] = await leavers();
    newSchool = await addSecondSchool(a.db, { code: 'THCS-NT', name: 'Trường THCS Nguyễn Trãi', grade: leaver.grade, username: 'phohieutruong.nt' });
    vp = await login(a, accountFor(a.accounts, 'vice_principal').username);
    vpNew = await login(a, newSchool.username);
    other = await startServer(kind, { students: 12, demo: { code: 'THCS-LL', seed: 77 } });
  }, 900_000);

  afterAll(async () => {
    await a?.close();
    await other?.close();
  });

  const issue = (c: Client, student: Leaver, extra: Record<string, unknown> = {}) =>
    c.post('/api/transfers/packages', { studentId: student.id, toSchoolName: 'Trường THCS Nguyễn Trãi', toSchoolCode: 'THCS-NT', transferDate: student.startDate, reason: 'Gia đình chuyển nơi ở', pin: DEMO_PIN, ...extra });

  it('refuses a teacher who would issue or import, and a wrong seal PIN, writing nothing', async () => {
    const teacher = await login(a, accountFor(a.accounts, 'subject_teacher').username);
    expect((await issue(teacher, leaver)).status).toBe(403);
    expect((await teacher.post('/api/transfers/imports', { contentBase64: b64(Buffer.from('x')), dryRun: true })).status).toBe(403);
    expect((await teacher.get('/api/transfers/packages')).status).toBe(403);
    const wrong = await issue(vp, leaver, { pin: '000000' });
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(wrong.body)).toMatch(/PIN/);
    expect(await count(a, 'transfer_packages')).toBe(0);
    expect(((await a.db('students').where({ id: leaver.id }).first('status')) as { status: string }).status).toBe('studying');
  });

  it('issues a package of every sealed version with a sealed record; the student is read-only history at the old school', async () => {
    const r = await issue(vp, leaver);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.documents).toBe(leaver.sealedVersions);
    packageId = r.body.id;
    const dl = await vp.download(`/api/transfers/packages/${packageId}/zip`);
    expect(dl.status).toBe(200);
    expect(dl.headers.get('content-type')).toMatch(/zip/);
    zip = dl.bytes;
    expect((await vp.download(`/api/transfers/packages/${packageId}/zip`)).bytes.equals(zip)).toBe(true);
    const files = filesOf(zip);
    const record = readRecord(files['manifest.xml']);
    expect(record.student.studentCode).toBe(leaver.code);
    expect(record.fromSchool.code).toBe('THCS-KP');
    expect(record.documents.map((d) => d.schoolYear)).toContain(yearName);
    expect(Object.keys(files).sort()).toEqual(['manifest.xml', ...record.documents.map((d) => d.file)].sort());
    const roots = ((await a.db('certificates').where({ kind: 'root' }).select('pem')) as Array<{ pem: string }>).map((x) => x.pem);
    expect(wholeDocumentSealProblem(files['manifest.xml'], 'sig-chuyentruong-condau', 'THCS-KP', roots, 'hồ sơ')).toBeNull();
    // The log and the audit.
    expect((await vp.get(`/api/transfers/packages?studentId=${leaver.id}`)).body).toMatchObject([{ id: packageId, documents: leaver.sealedVersions, toSchool: { code: 'THCS-NT' } }]);
    expect(await a.db('audit_events').where({ entity: 'transfer-packages', action: 'create' }).first('id')).toBeTruthy();
    expect(await a.db('audit_events').where({ entity: 'transfer-packages', action: 'download' }).first('id')).toBeTruthy();
    // The transfer out is recorded: enrolment ended, status transferred_out.
    expect(((await a.db('students').where({ id: leaver.id }).first('status')) as { status: string }).status).toBe('transferred_out');
    expect(await a.db('student_transfers').where({ student_id: leaver.id, direction: 'out', other_school: 'Trường THCS Nguyễn Trãi' }).first('id')).toBeTruthy();
  });

  it('refuses the old school’s grade book and transcript writes for the student who left, saying why', async () => {
    const assignment = (await a.db('teaching_assignments as t').join('users as u', 'u.staff_id', 't.staff_id').join('subjects as s', 's.id', 't.subject_id').where({ 't.class_id': leaver.classId, 's.assessment_type': 'scored' }).first('u.username', 't.subject_id')) as { username: string; subject_id: number };
    const semester = (await a.db('semesters as m').join('classes as c', 'c.school_year_id', 'm.school_year_id').where({ 'c.id': leaver.classId, 'm.number': 1 }).first('m.id')) as { id: number };
    const teacher = await login(a, assignment.username);
    const put = await teacher.put('/api/gradebook', { classId: leaver.classId, subjectId: Number(assignment.subject_id), semesterId: Number(semester.id), cells: [{ studentId: leaver.id, kind: 'regular', seq: 1, value: '8', version: 0 }] });
    expect(put.status).toBe(423);
    expect(put.body.message).toMatch(/đã chuyển trường/);
    const transcript = (await a.db('transcripts').where({ student_id: leaver.id }).first('id')) as { id: number };
    const principal = await login(a, accountFor(a.accounts, 'principal').username, accountFor(a.accounts, 'principal').totpSecret);
    const reopen = await principal.post(`/api/transcripts/${transcript.id}/reopen`, { reason: 'Sửa điểm môn Toán sau phúc khảo' });
    expect(reopen.status).toBe(423);
    expect(reopen.body.message).toMatch(/đã chuyển trường/);
  });

  it('refuses a tampered document or record naming the broken signature, hostile XML and a zip bomb, writing nothing', async () => {
    const post = (bytes: Uint8Array | Buffer) => vpNew.post('/api/transfers/imports', { contentBase64: b64(bytes), dryRun: false, classId: newSchool.classId });
    const doc = Object.keys(filesOf(zip)).find((n) => n !== 'manifest.xml' && filesOf(zip)[n].includes(`Id="bd-${yearName}-TOAN"`))!;
    const tampered = editInZip(zip, (n) => n === doc, (xml) => changeToanScore(xml, yearName));
    let r = await post(tampered);
    expect(r.status).toBe(400);
    expect(r.body.message).toContain(`năm học ${yearName}`);
    expect(r.body.message).toContain(`sig-gvbm-${yearName}-TOAN (giáo viên bộ môn TOAN)`);
    expect(r.body.message).toContain('sig-condau');
    const record = editInZip(zip, (n) => n === 'manifest.xml', (xml) => xml.replace('Gia đình chuyển nơi ở', 'Gia đình chuyển nơi ờ'));
    r = await post(record);
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/sig-chuyentruong-condau không hợp lệ/);
    const xxe = '<?xml version="1.0"?>\n<!DOCTYPE h [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<hosochuyentruong xmlns="urn:hocbaso:transfer:v1">&x;</hosochuyentruong>';
    r = await post(zipSync({ 'manifest.xml': new TextEncoder().encode(xxe) }));
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/DOCTYPE/);
    r = await post(zipSync({ 'manifest.xml': new Uint8Array(30_000_000) }));
    expect(r.status).toBe(413);
    expect(r.body.message).toMatch(/quá lớn/);
    expect(await count(a, 'transfer_imports')).toBe(0);
    expect(await count(a, 'imported_transcripts')).toBe(0);
    expect(await a.db('students').where({ school_id: newSchool.schoolId }).first('id')).toBeUndefined();
  });

  it('imports within one deployment: a dry run shows every signature verified, then the earlier years arrive read-only', async () => {
    const dry = await vpNew.post('/api/transfers/imports', { contentBase64: b64(zip), dryRun: true });
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body.student).toMatchObject({ studentCode: leaver.code, match: 'new' });
    expect(dry.body.documents).toHaveLength(leaver.sealedVersions);
    for (const d of dry.body.documents) {
      expect(d.signatures.length).toBeGreaterThan(3);
      expect(d.signatures.every((s: { valid: boolean }) => s.valid)).toBe(true);
      expect(d.signatures.map((s: { id: string }) => s.id)).toContain('sig-condau');
    }
    expect(await count(a, 'imported_transcripts')).toBe(0);
    const done = await vpNew.post('/api/transfers/imports', { contentBase64: b64(zip), dryRun: false, classId: newSchool.classId });
    expect(done.status, JSON.stringify(done.body)).toBe(201);
    const arrived = (await a.db('students').where({ id: done.body.studentId }).first('school_id', 'status', 'student_code')) as Record<string, unknown>;
    expect(arrived).toMatchObject({ school_id: newSchool.schoolId, status: 'studying', student_code: leaver.code });
    expect(await a.db('enrolments').where({ student_id: done.body.studentId, class_id: newSchool.classId, status: 'active' }).first('id')).toBeTruthy();
    // The earlier years: read-only, the signed XML byte for byte as the old school sealed it.
    const years = await vpNew.get(`/api/transfers/students/${done.body.studentId}/imported`);
    expect(years.status).toBe(200);
    expect(years.body.map((y: { schoolYear: string }) => y.schoolYear)).toContain(yearName);
    expect(years.body.every((y: { readOnly: boolean; school: { code: string } }) => y.readOnly && y.school.code === 'THCS-KP')).toBe(true);
    const sealedXml = (await a.db('transcript_versions as v').join('transcripts as t', 't.id', 'v.transcript_id').where({ 't.student_id': leaver.id, 'v.status': 'sealed' }).first('v.xml')) as { xml: string };
    const one = years.body.find((y: { schoolYear: string }) => y.schoolYear === yearName);
    const xml = await vpNew.download(`/api/transfers/imported/${one.id}/xml`);
    expect(xml.bytes.toString('utf8')).toBe(sealedXml.xml);
    expect(await a.db('audit_events').where({ entity: 'transfer-imports', action: 'create', school_id: newSchool.schoolId }).first('id')).toBeTruthy();
    // The new school's own transcript continues: its school-history table starts with the earlier school's years.
    const content = await assembleTranscript(a.db, { studentId: done.body.studentId, transcriptUid: '00000000-0000-4000-8000-000000000000', version: 1, schoolYearIds: [], verificationCode: 'X', issuedAt: '2026-12-01' });
    const oldSchool = ((await a.db('schools').where({ code: 'THCS-KP' }).first('name')) as { name: string }).name;
    expect(content.history[0]).toMatchObject({ schoolYear: yearName, schoolName: oldSchool });
    expect(content.history[content.history.length - 1]).toMatchObject({ schoolName: 'Trường THCS Nguyễn Trãi' });
    // Read-only in the database too: an imported version cannot be changed or removed.
    await expect(a.db('imported_transcripts').where({ id: one.id }).update({ xml: '<x/>' })).rejects.toThrow(/read-only/);
    await expect(a.db('imported_transcripts').where({ id: one.id }).del()).rejects.toThrow(/read-only/);
    // The same package again is refused.
    const again = await vpNew.post('/api/transfers/imports', { contentBase64: b64(zip), dryRun: true });
    expect(again.status).toBe(409);
    // The old school's VP does not see the new school's student.
    expect((await vp.get(`/api/transfers/students/${done.body.studentId}/imported`)).status).toBe(404);
  });

  it('imports into another deployment (a fresh database) once the sending school’s root is registered there', async () => {
    const issued = await issue(vp, second, { toSchoolName: 'Trường THCS Lê Lợi', toSchoolCode: 'THCS-LL' });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    const pkg = (await vp.download(`/api/transfers/packages/${issued.body.id}/zip`)).bytes;
    const vpOther = await login(other, accountFor(other.accounts, 'vice_principal').username);
    // Not yet trusting the sending school: its seal does not chain to anything registered here.
    let r = await vpOther.post('/api/transfers/imports', { contentBase64: b64(pkg), dryRun: true });
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/sig-chuyentruong-condau/);
    // Addressed elsewhere: the new school of the same deployment refuses it.
    expect((await vpNew.post('/api/transfers/imports', { contentBase64: b64(pkg), dryRun: true })).status).toBe(409);
    const root = ((await a.db('certificates').where({ kind: 'root' }).first('pem')) as { pem: string }).pem;
    const adminOther = await login(other, accountFor(other.accounts, 'admin').username, accountFor(other.accounts, 'admin').totpSecret);
    expect((await adminOther.post('/api/certificates', { kind: 'root', pem: root })).status).toBe(201);
    const cls = (await other.db('classes').where({ grade: second.grade }).orderBy('id').first('id')) as { id: number };
    r = await vpOther.post('/api/transfers/imports', { contentBase64: b64(pkg), dryRun: false, classId: Number(cls.id) });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.documents.every((d: { signatures: Array<{ valid: boolean }> }) => d.signatures.every((s) => s.valid))).toBe(true);
    expect(await other.db('imported_transcripts').where({ student_id: r.body.studentId }).count({ n: '*' }).first()).toMatchObject({ n: expect.anything() });
    expect(await count(other, 'imported_transcripts')).toBe(second.sealedVersions);
    expect(((await other.db('students').where({ id: r.body.studentId }).first('student_code')) as { student_code: string }).student_code).toBe(second.code);
  });
});

function changeToanScore(xml: string, year: string): string {
  const start = xml.indexOf(`Id="bd-${year}-TOAN"`);
  const end = xml.indexOf('</bangdiem>', start);
  const part = xml.slice(start, end);
  const changed = part.replace(/<diemcanam>(\d+),(\d)<\/diemcanam>/, (_m, i: string, d: string) => `<diemcanam>${i === '9' ? '8' : '9'},${d}</diemcanam>`);
  if (changed === part) throw new Error('no Toán year score to change');
  return xml.slice(0, start) + changed + xml.slice(end);
}
