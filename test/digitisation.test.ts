import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../server/demo/seed';
import { DEMO_PIN, seedDemoSigning } from '../server/transcripts/seed';
import { validateTranscriptXml } from '../server/transcripts/xsd';
import { accountFor, Client, totpNow } from './helpers/client';
import { testDatabases } from './helpers/databases';
import { startServer, type TestServer } from './helpers/server';
import { integration } from './helpers/integrations';

const PDFSIG = integration('pdfsig');

/**
 * Số hóa học bạ giấy (docs/digitisation.md, seed 003 V): the academic staff enter an old year from the paper book;
 * a teacher still at the school signs their own subjects; for a teacher who has left, the academic staff review
 * and the principal signs in their place — recorded in the data, the XML and the audit; then the seal. Double
 * entry (a school setting) shows the differences and blocks signing until they are reconciled.
 */
describe.each(testDatabases())('digitising old paper transcripts (%s)', (kind) => {
  let s: TestServer;
  const clients = new Map<string, Client>();
  let schoolId: number;
  let oldYear: { id: number; name: string };
  let classId: number;
  let other: { yearId: number; classId: number };
  let current: { staffId: number; username: string; name: string };
  let departed: { staffId: number; username: string; name: string };
  let subjects: Array<{ id: number; code: string; comment: boolean }>;
  let paperStudent: number;

  async function as(username: string): Promise<Client> {
    const cached = clients.get(username);
    if (cached) return cached;
    const demo = s.accounts.find((a) => a.username === username);
    const c = new Client(s.url);
    expect((await c.login(username, DEMO_PASSWORD, demo?.totpSecret)).body.stage, `${username} signs in`).toBe('ok');
    clients.set(username, c);
    return c;
  }
  const giaovu = () => accountFor(s.accounts, 'academic_staff').username;
  const principal = () => accountFor(s.accounts, 'principal');
  const admin = () => accountFor(s.accounts, 'admin');

  async function sign(username: string, task: Record<string, unknown>, extra: Record<string, unknown> = {}) {
    const c = await as(username);
    const r = await c.post('/api/signing/batches', { task, pin: DEMO_PIN, ...extra });
    if (r.status !== 202) return { status: r.status, body: r.body, batch: null };
    for (let i = 0; i < 600; i++) {
      const b = await c.get(`/api/signing/batches/${r.body.batchId}`);
      if (b.body.status !== 'running') return { status: r.status, body: r.body, batch: b.body };
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error('batch did not finish');
  }

  /** The paper book's page: three subjects (the comment one with Đ), the current teacher teaching two of them. */
  function entry(overrides: { hk1?: string; absences?: number } = {}) {
    return {
      subjects: subjects.map((x, i) => ({
        subjectId: x.id,
        hk1: x.comment ? 'Đ' : (overrides.hk1 ?? '7,5'),
        hk2: x.comment ? 'Đ' : '8',
        year: x.comment ? 'Đ' : '7.8',
        comment: i === 0 ? 'Chăm chỉ, tiến bộ' : null,
        teacherStaffId: i === 1 ? departed.staffId : current.staffId,
      })),
      summary: {
        learning: { hk1: 'K', hk2: 'K', year: 'K' },
        conduct: { hk1: 'T', hk2: 'T', year: 'T' },
        absences: overrides.absences ?? 2,
        promoted: true,
        homeroomComment: 'Ngoan, lễ phép',
      },
      homeroomStaffId: departed.staffId,
      principalStaffId: null,
    };
  }

  async function studentWithoutTranscript(offset: number): Promise<number> {
    const row = (await s.db('students as st').leftJoin('transcripts as t', 't.student_id', 'st.id').whereNull('t.id').orderBy('st.id').offset(offset).first('st.id')) as { id: number };
    return Number(row.id);
  }

  beforeAll(async () => {
    s = await startServer(kind, { students: 40 });
    await seedDemoSigning(s.db, { secretBox: s.box, sign: false, previousYear: false });
    schoolId = Number(((await s.db('schools').orderBy('id').first('id')) as { id: number }).id);
    // Old school years, known only from the paper book: the year and its class exist as school data.
    const mkYear = async (name: string, start: string, end: string, cls: string) => {
      const [y] = await s.db('school_years').insert({ school_id: schoolId, name, start_date: start, end_date: end, is_current: false }).returning('id');
      const yearId = Number(typeof y === 'object' ? y.id : y);
      const [c] = await s.db('classes').insert({ school_id: schoolId, school_year_id: yearId, grade: 6, name: cls, search_text: cls.toLowerCase() }).returning('id');
      return { yearId, classId: Number(typeof c === 'object' ? c.id : c) };
    };
    const a = await mkYear('2021-2022', '2021-09-05', '2022-05-31', '6A-2021');
    oldYear = { id: a.yearId, name: '2021-2022' };
    classId = a.classId;
    other = await mkYear('2020-2021', '2020-09-05', '2021-05-31', '6A-2020');
    // Two teachers with accounts and certificates; one of them has since left the school.
    const teachers = (await s.db('staff as st')
      .join('users as u', 'u.staff_id', 'st.id')
      .join('user_roles as r', 'r.user_id', 'u.id')
      .join('certificates as c', 'c.staff_id', 'st.id')
      .where({ 'r.role': 'subject_teacher', 'st.post': 'teacher' })
      .orderBy('st.id')
      .distinct('st.id', 'u.username', 'st.full_name')
      .limit(2)) as Array<{ id: number; username: string; full_name: string }>;
    current = { staffId: Number(teachers[0].id), username: teachers[0].username, name: teachers[0].full_name };
    departed = { staffId: Number(teachers[1].id), username: teachers[1].username, name: teachers[1].full_name };
    await s.db('staff').where({ id: departed.staffId }).update({ status: 'left' });
    const rows = (await s.db('subjects').where({ school_id: schoolId }).orderBy('id').select('id', 'code', 'assessment_type')) as Array<Record<string, unknown>>;
    const scored = rows.filter((r) => r.assessment_type === 'scored').slice(0, 2);
    const comment = rows.filter((r) => r.assessment_type === 'comment').slice(0, 1);
    subjects = [...scored, ...comment].map((r) => ({ id: Number(r.id), code: String(r.code), comment: r.assessment_type === 'comment' }));
  }, 300_000);

  afterAll(async () => {
    await s?.close();
  });

  it('refuses a subject teacher who tries to enter a paper transcript', async () => {
    const t = await as(current.username);
    const r = await t.post('/api/transcript-digitisations', { studentId: await studentWithoutTranscript(0), schoolYearId: oldYear.id, classId, entry: entry() });
    expect(r.status).toBe(403);
  });

  it('signs a digitised old year for a departed teacher: review, the principal in place, the current teacher, the seal', async () => {
    const g = await as(giaovu());
    const studentId = await studentWithoutTranscript(0);
    paperStudent = studentId;
    const created = await g.post('/api/transcript-digitisations', { studentId, schoolYearId: oldYear.id, classId, entry: entry() });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.status).toBe('entering');
    const submitted = await g.post(`/api/transcript-digitisations/${created.body.id}/submit`, {});
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    expect(submitted.body.status).toBe('reviewing');
    const versionId = submitted.body.versionId as number;

    // The document says it is extracted from paper and who signs in place of the departed teacher.
    const draft = (await s.db('transcript_versions').where({ id: versionId }).first('xml')) as { xml: string };
    expect(draft.xml).toContain(`namhoc="${oldYear.name}" trichluc="true"`);
    expect(draft.xml).toContain(`Hiệu trưởng ký thay cho GV ${departed.name} đã nghỉ việc`);

    // The departed teacher can never sign; the principal waits for the academic staff's review.
    const byDeparted = await sign(departed.username, { step: 'subject', versionIds: [versionId] });
    expect(byDeparted.status).toBe(403);
    const early = await sign(principal().username, { step: 'subject', versionIds: [versionId] });
    expect(early.status).toBe(409);
    expect(early.body.message).toMatch(/Giáo vụ rà soát/);

    // Marking a current teacher's content reviewed for them is refused; the departed teacher's is recorded.
    const slotOf = (code: string) => `sig-gvbm-${oldYear.name}-${code}`;
    const notForCurrent = await g.post(`/api/transcript-digitisations/${created.body.id}/reviews`, { signatureId: slotOf(subjects[0].code) });
    expect(notForCurrent.status).toBe(409);
    expect(notForCurrent.body.message).toContain('tự rà soát và ký');
    for (const signatureId of [slotOf(subjects[1].code), `sig-gvcn-${oldYear.name}`]) {
      expect((await g.post(`/api/transcript-digitisations/${created.body.id}/reviews`, { signatureId })).status).toBe(201);
    }

    // The principal signs in place of the departed teacher only: never the current teacher's subjects.
    const totp = async () => ({ totp: await totpNow(s.db, principal()) });
    const inPlace = await sign(principal().username, { step: 'subject', versionIds: [versionId] }, await totp());
    expect(inPlace.status, JSON.stringify(inPlace.body)).toBe(202);
    expect(inPlace.batch).toMatchObject({ status: 'done', total: 1, done: 1 });
    expect((await sign(principal().username, { step: 'subject', versionIds: [versionId] })).status).toBe(409);
    expect((await sign(principal().username, { step: 'homeroom', versionIds: [versionId] }, await totp())).batch).toMatchObject({ done: 1 });
    const bySubject = await s.db('transcript_signatures').where({ version_id: versionId }).select('signature_id', 'signer_user_id', 'in_place_of_staff_id');
    expect(bySubject.find((r) => r.signature_id === slotOf(subjects[0].code))).toBeUndefined();
    const principalUser = Number(((await s.db('users').where({ username: principal().username }).first('id')) as { id: number }).id);
    expect(bySubject.map((r) => [r.signature_id, Number(r.signer_user_id), Number(r.in_place_of_staff_id)]).sort()).toEqual(
      [
        [slotOf(subjects[1].code), principalUser, departed.staffId],
        [`sig-gvcn-${oldYear.name}`, principalUser, departed.staffId],
      ].sort(),
    );

    // The current teacher reviews and signs their own two subjects.
    const own = await sign(current.username, { step: 'subject', versionIds: [versionId] });
    expect(own.batch).toMatchObject({ status: 'done', done: 2 });
    const mine = await s.db('transcript_signatures').where({ version_id: versionId, signature_id: slotOf(subjects[0].code) }).first('in_place_of_staff_id');
    expect(mine.in_place_of_staff_id).toBeNull();

    // Then the normal approval and seal.
    expect((await sign(principal().username, { step: 'approver', versionIds: [versionId] }, { totp: await totpNow(s.db, principal()) })).batch).toMatchObject({ done: 1 });
    await as(admin().username); // signed in before its code is taken: the server refuses an older step
    const seal = await sign(admin().username, { step: 'seal', versionIds: [versionId] }, { totp: await totpNow(s.db, admin()) });
    expect(seal.batch, JSON.stringify(seal.body)).toMatchObject({ done: 1, failed: 0 });
    const sealed = (await s.db('transcript_versions').where({ id: versionId }).first('status', 'xml', 'pdf')) as { status: string; xml: string; pdf: Buffer };
    expect(sealed.status).toBe('sealed');
    if (PDFSIG) {
      // The PDF's results page carries the line and who signed in place (poppler's pdftotext, beside pdfsig).
      const text = execFileSync(path.join(path.dirname(PDFSIG), 'pdftotext'), ['-', '-'], { input: Buffer.from(sealed.pdf) }).toString('utf8').normalize('NFC');
      expect(text).toContain('Trích lục từ học bạ giấy');
      expect(text.replace(/\s+/g, ' ')).toContain(`Hiệu trưởng ký thay cho GV ${departed.name} đã nghỉ việc`);
    }
    const list = await g.get('/api/transcript-digitisations');
    expect(list.body.find((r: { id: number }) => r.id === created.body.id)).toMatchObject({ status: 'sealed', versionId });

    // The sealed XML validates against the XSD and every signature verifies, the principal's among them.
    expect(await validateTranscriptXml(sealed.xml)).toEqual({ ok: true });
    const verified = await (await as(principal().username)).request('POST', '/api/transcripts/verify', sealed.xml, { 'Content-Type': 'application/xml' });
    expect(verified.status).toBe(200);
    expect(verified.body.valid).toBe(true);
    expect(verified.body.signatures.map((x: { role: string }) => x.role).sort()).toEqual(['approver', 'homeroom', 'seal', 'subject', 'subject', 'subject']);

    // The audit says who signed in whose place.
    const audit = (await s.db('audit_events').where({ action: 'sign_in_place', entity_id: String(versionId) }).select('reason')) as Array<{ reason: string }>;
    expect(audit.length).toBe(2);
    expect(audit.every((a) => a.reason === `Hiệu trưởng ký thay cho GV ${departed.name} đã nghỉ việc`)).toBe(true);
    const ev = (await s.db('audit_events').where({ action: 'sign_in_place', entity_id: String(versionId) }).first('id')) as { id: number };
    const shown = await (await as(principal().username)).get(`/api/audit-events/${ev.id}`);
    expect(shown.body).toMatchObject({ actionLabel: 'Hiệu trưởng ký thay GV đã nghỉ việc', changes: [`Hiệu trưởng ký thay cho GV ${departed.name} đã nghỉ việc`] });
  }, 240_000);

  it('with double entry on, shows the differences field by field and opens signing only once they are reconciled', async () => {
    // The principal turns double entry on in the school settings.
    const set = await (await as(principal().username)).put(`/api/school-settings/${schoolId}`, { digitisationDoubleEntry: true });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.digitisationDoubleEntry).toBe(true);
    const g = await as(giaovu());
    const studentId = paperStudent;
    const created = await g.post('/api/transcript-digitisations', { studentId, schoolYearId: other.yearId, classId: other.classId, entry: entry() });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.doubleEntry).toBe(true);
    const submitted = await g.post(`/api/transcript-digitisations/${created.body.id}/submit`, {});
    expect(submitted.body).toMatchObject({ status: 'awaiting_second' });
    expect(submitted.body.versionId).toBeUndefined();

    // The same person cannot be the second enterer; a second academic staff account can.
    expect((await g.post(`/api/transcript-digitisations/${created.body.id}/second-entry`, { entry: entry() })).status).toBe(409);
    const second = await secondEnterer();
    const r = await second.post(`/api/transcript-digitisations/${created.body.id}/second-entry`, { entry: entry({ hk1: '6,5', absences: 3 }) });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.status).toBe('to_reconcile');
    const differences = (await g.get(`/api/transcript-digitisations/${created.body.id}/differences`)).body.differences as Array<{ path: string; first: unknown; second: unknown }>;
    expect(differences).toEqual(
      expect.arrayContaining([
        { path: `subjects.${subjects[0].id}.hk1`, first: '7.5', second: '6.5' },
        { path: `subjects.${subjects[1].id}.hk1`, first: '7.5', second: '6.5' },
        { path: 'summary.absences', first: 2, second: 3 },
      ]),
    );
    expect(differences.length).toBe(3);
    // Nothing can be signed yet: no version exists, and reconciling needs a choice for every difference.
    expect(await s.db('transcript_digitisations').where({ id: created.body.id }).first('version_id')).toEqual({ version_id: null });
    const partial = await g.post(`/api/transcript-digitisations/${created.body.id}/reconcile`, { choices: { 'summary.absences': 'second' } });
    expect(partial.status).toBe(400);
    expect(partial.body.message).toMatch(/còn 2 chỗ/);
    const choices = Object.fromEntries(differences.map((d) => [d.path, d.path === 'summary.absences' ? 'second' : 'first']));
    const done = await g.post(`/api/transcript-digitisations/${created.body.id}/reconcile`, { choices });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.status).toBe('reviewing');
    const v = (await s.db('transcript_versions').where({ id: done.body.versionId }).first('content')) as { content: string };
    const year = JSON.parse(v.content).years.find((y: { schoolYear: string }) => y.schoolYear === '2020-2021');
    expect(year.summary.absences).toBe(3);
    expect(year.subjects[0].hk1).toBe('7.5');
    expect(year.extractedFromPaper).toBe(true);
    // The transcript in force (the 2021-2022 paper year sealed above) is carried into the new version.
    expect(JSON.parse(v.content).years.map((y: { schoolYear: string }) => y.schoolYear)).toEqual(['2020-2021', '2021-2022']);
  }, 120_000);

  it('reopens an entry sent to signing when a mistake is found: the version revoked with its signatures, corrected, opened again', async () => {
    const g = await as(giaovu());
    const d = (await s.db('transcript_digitisations').where({ student_id: paperStudent, school_year_id: other.yearId }).first('id', 'version_id')) as { id: number; version_id: number };
    const firstVersion = Number(d.version_id);
    // The current teacher has already signed their two subjects when the mistake is noticed.
    expect((await sign(current.username, { step: 'subject', versionIds: [firstVersion] })).batch).toMatchObject({ done: 2 });
    expect((await (await as(current.username)).post(`/api/transcript-digitisations/${d.id}/reopen`, { reason: 'Nhập sai điểm HK I môn thứ nhất' })).status).toBe(403);
    expect((await g.post(`/api/transcript-digitisations/${d.id}/reopen`, { reason: 'sai' })).status).toBe(400);
    const sealedEntry = (await s.db('transcript_digitisations').where({ student_id: paperStudent, school_year_id: oldYear.id }).first('id')) as { id: number };
    const sealedTry = await g.post(`/api/transcript-digitisations/${sealedEntry.id}/reopen`, { reason: 'Nhập sai điểm HK I môn thứ nhất' });
    expect(sealedTry.status).toBe(409);
    expect(sealedTry.body.message).toMatch(/đã được đóng dấu/);

    const r = await g.post(`/api/transcript-digitisations/${d.id}/reopen`, { reason: 'Nhập sai điểm HK I môn thứ nhất' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ status: 'entering', revokedVersionId: firstVersion, signatures: 2 });
    expect(((await s.db('transcript_versions').where({ id: firstVersion }).first('status')) as { status: string }).status).toBe('revoked');
    expect(Number(((await s.db('transcript_signatures').where({ version_id: firstVersion }).count({ n: '*' }).first()) as { n: number }).n)).toBe(2);
    const shown = (await g.get(`/api/transcript-digitisations/${d.id}`)).body;
    expect(shown).toMatchObject({ status: 'entering', versionId: null, entry2: null });
    expect(shown.entry1.summary.absences).toBe(3); // the reconciled entry, now the reopener's first entry
    // Corrected and submitted again: double entry was on for this book, so a second person checks the fix.
    const fixed = { ...entry({ hk1: '8', absences: 3 }) };
    expect((await g.put(`/api/transcript-digitisations/${d.id}/entry`, { entry: fixed })).status).toBe(200);
    expect((await g.post(`/api/transcript-digitisations/${d.id}/submit`, {})).body.status).toBe('awaiting_second');
    const again = await (await secondEnterer()).post(`/api/transcript-digitisations/${d.id}/second-entry`, { entry: fixed });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.status).toBe('reviewing');
    const v = (await s.db('transcript_versions').where({ id: again.body.versionId }).first('status', 'version', 'content')) as { status: string; version: number; content: string };
    expect(v.status).toBe('draft');
    const year = JSON.parse(v.content).years.find((y: { schoolYear: string }) => y.schoolYear === '2020-2021');
    expect(year.subjects[0].hk1).toBe('8');
    expect(Number(((await s.db('transcript_signatures').where({ version_id: again.body.versionId }).count({ n: '*' }).first()) as { n: number }).n)).toBe(0);
    const audit = (await s.db('audit_events').where({ entity: 'transcript-digitisations', entity_id: String(d.id) }).orderBy('id', 'desc').select('action', 'reason')) as Array<{ action: string; reason: string | null }>;
    expect(audit.some((a) => a.reason === 'Nhập sai điểm HK I môn thứ nhất')).toBe(true);
  }, 120_000);

  /** A second academic staff account (the demo has one): made once through the accounts API by the admin. */
  let giaovu2: Client | undefined;
  async function secondEnterer(): Promise<Client> {
    if (giaovu2) return giaovu2;
    const a = await as(admin().username);
    const made = await a.post('/api/users', { username: 'giaovu2', fullName: 'Giáo vụ Hai', password: DEMO_PASSWORD, roles: [{ role: 'academic_staff' }] });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const c = new Client(s.url);
    expect((await c.login('giaovu2', DEMO_PASSWORD)).body.stage).toBe('password_change_required');
    expect((await c.post('/api/auth/change-password', { currentPassword: DEMO_PASSWORD, newPassword: 'Giao-vu-hai-2026' })).status).toBe(200);
    giaovu2 = c;
    return c;
  }
});
