/**
 * The education office (issue 13, "Education office (S1)"; roles.md: Phòng/Sở GDĐT, read only, many schools): the
 * demo office account `phonggd` supervises the demo school and two generated ones; a fourth school is not its own.
 * It sees exactly its schools, with each milestone's figure equal to what the school's own timeline page shows,
 * drills down to the classes, is refused a school outside its scope, and a school account is refused its routes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byFurthestBehind, lagOf, studentSyncStatus } from '../domain/office';
import { hashPassword } from '../server/auth/passwords';
import { nowIso } from '../server/db/knex';
import { officeSchoolData, seedOfficeSchools } from '../server/demo/office';
import { seedDemoScores } from '../server/demo/scores';
import { DEMO_PASSWORD, insertDemoSchool } from '../server/demo/seed';
import { seedDemoTimeline } from '../server/demo/timeline';
import { accountFor, Client } from './helpers/client';
import { testDatabases } from './helpers/databases';
import { startServer, type TestServer } from './helpers/server';

interface Completion {
  available: boolean;
  required?: number;
  entered?: number;
  percent?: number | null;
}

describe.each(testDatabases())('the education office sees its schools (%s)', (kind) => {
  let s: TestServer;
  let office: Client;
  let mine: number[];
  let outside: number;

  beforeAll(async () => {
    s = await startServer(kind, { students: 60 });
    await seedDemoScores(s.db);
    await seedDemoTimeline(s.db);
    const added = await seedOfficeSchools(s.db, { schools: 2, students: 50, secretBox: s.box, scores: true, timeline: true });
    mine = [1, ...added];
    // A school of the same deployment under another office: not phonggd's.
    const data = officeSchoolData(9, { students: 30 });
    outside = await s.db.transaction(async (trx) => (await insertDemoSchool(trx, data, { password: DEMO_PASSWORD, passwordHash: await hashPassword(DEMO_PASSWORD), secretBox: s.box, now: nowIso() })).schoolId);
    office = await login(accountFor(s.accounts, 'education_office').username);
  }, 120_000);

  afterAll(async () => {
    await s?.close();
  });

  async function login(username: string): Promise<Client> {
    const c = new Client(s.url);
    const r = await c.login(username, DEMO_PASSWORD);
    expect(r.body.stage, username).toBe('ok');
    return c;
  }

  const academicStaffOf = async (schoolId: number) => {
    const code = ((await s.db('schools').where({ id: schoolId }).first('code')) as { code: string }).code;
    return login(schoolId === 1 ? accountFor(s.accounts, 'academic_staff').username : `${code.toLowerCase()}.${accountFor(s.accounts, 'academic_staff').username}`);
  };

  it('lists exactly the schools it supervises, with every milestone figure equal to the school’s own timeline page', async () => {
    const r = await office.get('/api/office/schools');
    expect(r.status).toBe(200);
    expect(r.body.schools.map((x: { id: number }) => x.id).sort()).toEqual([...mine].sort());
    expect(r.body.schools.some((x: { id: number }) => x.id === outside)).toBe(false);
    for (const school of r.body.schools) {
      expect(school.hasTimeline).toBe(true);
      const staff = await academicStaffOf(school.id);
      const own = await staff.get(`/api/timelines/${school.schoolYear.id}`);
      expect(own.status).toBe(200);
      const ownFigures = Object.fromEntries(own.body.milestones.filter((m: { kind: string }) => m.kind === 'milestone').map((m: { key: string; completion: Completion }) => [m.key, m.completion]));
      const officeFigures = Object.fromEntries(school.figures.milestones.map((m: { key: string; completion: Completion }) => [m.key, m.completion]));
      expect(officeFigures).toEqual(ownFigures);
      // Scores were entered, so the entry milestones count something, and not everything (one teacher in eight is behind).
      const entry = school.figures.milestones.find((m: { provider: string }) => m.provider === 'entry');
      expect(entry.completion.required).toBeGreaterThan(entry.completion.entered);
      expect(entry.completion.entered).toBeGreaterThan(0);
      // Nothing sealed yet this year: every student not ready for sync, none accepted.
      const students = Number(((await s.db('enrolments').where({ school_id: school.id, school_year_id: school.schoolYear.id, status: 'active' }).countDistinct({ n: 'student_id' }).first()) as { n: number }).n);
      expect(school.figures.sync).toMatchObject({ students, accepted: 0, counts: { not_ready: students, accepted: 0 } });
      expect(school.figures.signing).toMatchObject({ sealed: 0, students, percent: 0 });
    }
    // Furthest behind first.
    const lags = r.body.schools.map((x: { lag: number | null }) => x.lag);
    expect(lags).toEqual([...lags].sort((a: number, b: number) => a - b));
    expect(r.body.years).toContain(r.body.schools[0].schoolYear.name);
  });

  it('drills down from a school to its classes, whose figures add up to the school’s', async () => {
    const list = await office.get('/api/office/schools');
    const school = list.body.schools.find((x: { id: number }) => x.id === mine[1]);
    const r = await office.get(`/api/office/schools/${mine[1]}`);
    expect(r.status).toBe(200);
    expect(r.body.school.figures).toEqual(school.figures);
    const classes = (await s.db('classes').where({ school_year_id: school.schoolYear.id }).select('id')) as Array<{ id: number }>;
    expect(r.body.classes.map((c: { id: number }) => c.id).sort()).toEqual(classes.map((c) => Number(c.id)).sort());
    const sum = (f: (c: { figures: { students: number; milestones: Array<{ provider: string; completion: Completion }> } }) => number) => r.body.classes.reduce((n: number, c: never) => n + f(c), 0);
    expect(sum((c) => c.figures.students)).toBe(school.figures.students);
    school.figures.milestones.forEach((m: { key: string; provider: string; completion: Completion }, i: number) => {
      if (m.provider !== 'entry') return;
      expect(sum((c) => c.figures.milestones[i].completion.required ?? 0), m.key).toBe(m.completion.required);
      expect(sum((c) => c.figures.milestones[i].completion.entered ?? 0), m.key).toBe(m.completion.entered);
    });
  });

  it('refuses a school outside its scope, whether it exists or not, and a malformed year', async () => {
    expect((await office.get(`/api/office/schools/${outside}`)).status).toBe(403);
    expect((await office.get('/api/office/schools/9999')).status).toBe(403);
    expect((await office.get('/api/office/schools/abc')).status).toBe(403);
    expect((await office.get('/api/office/schools?schoolYear=DROP')).status).toBe(400);
  });

  it('is read only: the office writes nothing through these routes or the school’s', async () => {
    expect((await office.post('/api/office/schools', {})).status).toBe(404);
    const year = (await s.db('school_years').where({ school_id: 1, is_current: true }).first('id')) as { id: number };
    expect((await office.post('/api/sync/batches', { schoolYearId: year.id, transport: 'file', pin: '123456' })).status).toBe(403);
    expect((await office.post('/api/transcripts/open', { schoolYearId: year.id })).status).toBe(403);
    expect(Number(((await s.db('sync_batches').count({ n: '*' }).first()) as { n: number }).n)).toBe(0);
  });

  it('refuses its routes to a school account, even the principal’s', async () => {
    for (const role of ['academic_staff', 'vice_principal', 'subject_teacher']) {
      const c = await login(accountFor(s.accounts, role).username);
      expect((await c.get('/api/office/schools')).status, role).toBe(403);
      expect((await c.get('/api/office/schools/1')).status, role).toBe(403);
    }
  });

  it('shows a school year by name, and a school without that year with no figures', async () => {
    const r = await office.get('/api/office/schools?schoolYear=2001-2002');
    expect(r.status).toBe(200);
    expect(r.body.schools).toHaveLength(mine.length);
    expect(r.body.schools.every((x: { schoolYear: unknown; figures: unknown }) => x.schoolYear === null && x.figures === null)).toBe(true);
  });
});

describe('the office’s rules (domain/office.ts)', () => {
  const sealed = { kind: 'entry', sukien: 'NEW', phienban: 1, versionId: 7 } as const;
  it('counts a student by what became of their transcript in force', () => {
    expect(studentSyncStatus({ kind: 'skip', why: 'upToDate' }, { status: 'accepted', versionId: 7 })).toBe('accepted');
    expect(studentSyncStatus({ kind: 'not_ready', why: { key: 'syncNoTranscript' } }, null)).toBe('not_ready');
    expect(studentSyncStatus(sealed, null)).toBe('ready');
    expect(studentSyncStatus(sealed, { status: 'rejected', versionId: 7 })).toBe('rejected');
    expect(studentSyncStatus(sealed, { status: 'sent', versionId: 7 })).toBe('sent');
    // A correction sealed after an earlier version was accepted: the new version waits for a batch.
    expect(studentSyncStatus({ ...sealed, sukien: 'UPDATE', versionId: 8 }, { status: 'accepted', versionId: 7 })).toBe('ready');
    expect(studentSyncStatus({ kind: 'skip', why: 'laterVersion' }, null)).toBe('none');
  });

  it('puts the school furthest behind on a milestone already due first', () => {
    const now = '2027-06-01T00:00:00.000Z';
    const past = '2027-05-20T10:00:00.000Z';
    const future = '2027-08-30T10:00:00.000Z';
    expect(lagOf([{ due: past, percent: 80 }, { due: future, percent: 5 }], now)).toBe(80);
    expect(lagOf([{ due: future, percent: 40 }, { due: future, percent: null }], now)).toBe(40);
    // Nothing due yet: the next milestone counts, not a later one still at nought.
    expect(lagOf([{ due: '2027-08-30T10:00:00.000Z', percent: 0 }, { due: '2027-06-20T10:00:00.000Z', percent: 35 }], now)).toBe(35);
    expect(lagOf([{ due: past, percent: null }], now)).toBeNull();
    const schools = [
      { name: 'Trường B', lag: 90 },
      { name: 'Trường C', lag: null },
      { name: 'Trường A', lag: 90 },
      { name: 'Trường D', lag: 12.5 },
    ];
    expect([...schools].sort(byFurthestBehind).map((x) => x.name)).toEqual(['Trường D', 'Trường A', 'Trường B', 'Trường C']);
  });
});
