import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountFor, Client } from './helpers/client';
import { testDatabases } from './helpers/databases';
import { startServer, type TestServer } from './helpers/server';

/**
 * The role × resource × action matrix, written out from roles.md independently of domain/permissions.ts, and
 * walked against the running API. Every cell is a real request by the demo account of that role:
 *   list   GET /api/r                 allowed → 200, denied → 403
 *   show   GET /api/r/:id             (a record the role can list, else one the admin can)
 *   create POST /api/r {}             allowed → 400 (got past the permission check to validation), denied → 403
 *   edit   PUT /api/r/:id {probe}     allowed → 400 (unknown field refused after the check), denied → 403
 *   delete DELETE /api/r/999999999    allowed → 404 (no such row), denied → 403
 * `-` marks an action the API does not offer at all: 404 for everyone.
 */
const ROLE_CODES = {
  AD: 'admin',
  HT: 'principal',
  PHT: 'vice_principal',
  TT: 'department_head',
  CN: 'homeroom_teacher',
  BM: 'subject_teacher',
  GVU: 'academic_staff',
  VT: 'records_clerk',
  KT: 'accountant',
  HS: 'student',
  PGD: 'education_office',
} as const;
type Code = keyof typeof ROLE_CODES;
const EVERYONE = Object.keys(ROLE_CODES).join(' ');
const STAFF = 'AD HT PHT TT CN BM GVU VT';
const SETUP_WRITERS = 'AD GVU';

// resource: [list, show, create, edit, delete]
const MATRIX: Record<string, [string, string, string, string, string]> = {
  schools: [EVERYONE, EVERYONE, '-', 'AD', '-'],
  'school-years': [EVERYONE, EVERYONE, SETUP_WRITERS, SETUP_WRITERS, SETUP_WRITERS],
  semesters: [EVERYONE, EVERYONE, SETUP_WRITERS, SETUP_WRITERS, SETUP_WRITERS],
  departments: [`${STAFF} KT PGD`, `${STAFF} KT PGD`, SETUP_WRITERS, SETUP_WRITERS, SETUP_WRITERS],
  subjects: [`${STAFF} HS PGD`, `${STAFF} HS PGD`, SETUP_WRITERS, SETUP_WRITERS, SETUP_WRITERS],
  classes: [`${STAFF} PGD`, `${STAFF} PGD`, SETUP_WRITERS, SETUP_WRITERS, SETUP_WRITERS],
  'teaching-assignments': [`${STAFF} PGD`, `${STAFF} PGD`, SETUP_WRITERS, SETUP_WRITERS, SETUP_WRITERS],
  staff: ['AD HT PHT TT GVU VT KT PGD', 'AD HT PHT TT GVU VT KT PGD', 'AD VT', 'AD VT', 'AD'],
  students: [`${STAFF} PGD HS`, `${STAFF} PGD HS`, SETUP_WRITERS, 'AD GVU CN', 'AD'],
  enrolments: [`${STAFF} PGD`, `${STAFF} PGD`, SETUP_WRITERS, SETUP_WRITERS, SETUP_WRITERS],
  users: ['AD HT PHT', 'AD HT PHT', 'AD PHT', 'AD PHT', '-'],
  'audit-events': ['AD HT', 'AD HT', '-', '-', '-'],
  'staff-post-changes': ['AD HT PHT GVU VT', 'AD HT PHT GVU VT', 'AD VT', '-', '-'],
  'student-transfers': ['AD HT PHT GVU VT', 'AD HT PHT GVU VT', SETUP_WRITERS, '-', '-'],
  'school-settings': [`${STAFF} PGD`, `${STAFF} PGD`, '-', 'AD HT', '-'],
  locks: ['AD HT PHT TT GVU', 'AD HT PHT TT GVU', 'AD', '-', 'AD'],
  // Requests: teachers list their own (possibly none); `show` probes the fixture filed by the subject teacher (BM).
  'unlock-requests': ['AD HT PHT BM CN TT', 'AD HT PHT BM', 'BM CN TT', '-', '-'],
  'correction-requests': ['AD HT PHT VT BM CN TT GVU', 'AD HT PHT VT BM', 'BM CN TT', '-', '-'],
  'entry-delegations': ['AD HT PHT', 'AD HT PHT', 'HT', '-', 'HT'],
  // Sổ đăng ký lưu trữ: văn thư keeps it; the leadership, giáo vụ and the admin read it.
  'archive-entries': ['AD HT PHT GVU VT', 'AD HT PHT GVU VT', 'VT', 'VT', 'VT'],
};
/** Custom actions: [method, path builder, roles, allowed status]. */
const CUSTOM: Array<[string, string, string, string]> = [
  ['audit verify', 'GET /api/audit-events/verify', 'AD HT', '200'],
  ['reset password', 'POST /api/users/{user}/reset-password', 'AD PHT', '200'],
  ['unlock', 'POST /api/users/{user}/unlock', 'AD PHT', '200'],
  ['approve unlock request', 'POST /api/unlock-requests/{unlock}/approve', 'HT', '200'],
  ['approve correction', 'POST /api/correction-requests/{correction}/approve', 'HT', '200'],
  // No backups in the test's data directory: an allowed call registers nothing (200).
  ['register backups', 'POST /api/archive-entries/from-backups', 'AD VT', '200'],
  ['unregistered backups', 'GET /api/archive-entries/backups', 'AD VT', '200'],
  ['nightly backup status', 'GET /api/backups/nightly', 'AD VT', '200'],
  // Đồng bộ CSDL: the admin, the principal and the vice principals; an empty request gets past the check (400).
  ['list sync batches', 'GET /api/sync/batches', 'AD HT PHT', '200'],
  ['build a sync batch', 'POST /api/sync/batches', 'AD HT PHT', '400'],
  ['students sync status', 'GET /api/sync/students', 'AD HT PHT', '400'],
];

const ACTIONS = ['list', 'show', 'create', 'edit', 'delete'] as const;
const roleSet = (cell: string) => new Set(cell.split(' ').filter(Boolean) as Code[]);

describe.each(testDatabases())('permission matrix on %s', (kind) => {
  let srv: TestServer;
  const clients = new Map<Code, Client>();
  /** A record id per resource that the admin can see (used when a role cannot list). */
  const adminIds = new Map<string, number>();
  let targetUserId = 0;
  let unlockId = 0;
  let correctionId = 0;

  beforeAll(async () => {
    srv = await startServer(kind);
    for (const [code, role] of Object.entries(ROLE_CODES) as [Code, string][]) {
      clients.set(code, await new Client(srv.url).loginAs(accountFor(srv.accounts, role)));
    }
    const admin = clients.get('AD')!;
    // Records the seed does not make: one post change, one transfer, and an account to reset and unlock.
    const teacher = (await admin.get(`/api/staff?filter=${encodeURIComponent('{"post":"teacher"}')}&range=[0,0]`)).body[0];
    expect((await admin.post('/api/staff-post-changes', { staffId: teacher.id, toPost: 'teacher', effectiveDate: '2026-11-02', note: 'Kiêm nhiệm' })).status).toBe(201);
    const student = (await admin.get('/api/students?range=[0,0]&sort=["id","DESC"]')).body[0];
    expect((await admin.post('/api/student-transfers', { studentId: student.id, direction: 'out', transferDate: '2026-11-02', otherSchool: 'THCS Yên Mỹ', reason: 'Chuyển nơi ở' })).status).toBe(201);
    const target = await admin.post('/api/users', { username: 'matrix.target', fullName: 'Tài Khoản Thử', password: 'Tam-thoi-2026', roles: [{ role: 'subject_teacher' }] });
    expect(target.status).toBe(201);
    targetUserId = target.body.id;
    await gradebookFixtures(admin);
    const archived = await clients.get('VT')!.post('/api/archive-entries', { book: 'gradebook', schoolYearId: Number((await srv.db('school_years').where({ is_current: true }).first()).id), pages: 40, location: 'Kệ A', receivedOn: '2026-11-02', retentionYears: 10 });
    expect(archived.status, JSON.stringify(archived.body)).toBe(201);
    for (const resource of Object.keys(MATRIX)) {
      const res = await admin.get(`/api/${resource}?range=[0,0]`);
      if (res.status === 200 && res.body.length > 0) adminIds.set(resource, res.body[0].id);
    }
  }, 120_000);
  afterAll(async () => srv?.close());

  it('allows and denies exactly what the matrix says', async () => {
    const surprises: string[] = [];
    for (const [resource, cells] of Object.entries(MATRIX)) {
      for (const [i, action] of ACTIONS.entries()) {
        const cell = cells[i];
        const allowed = roleSet(cell);
        for (const code of Object.keys(ROLE_CODES) as Code[]) {
          const client = clients.get(code)!;
          const { status, expected } = await probe(client, resource, action, cell === '-' ? 'absent' : allowed.has(code));
          if (status !== expected) surprises.push(`${code} ${action} ${resource}: got ${status}, expected ${expected}`);
        }
      }
    }
    expect(surprises).toEqual([]);
  }, 300_000);

  it('applies the custom actions to exactly the listed roles', async () => {
    const surprises: string[] = [];
    // A plain teacher account is a fair target for an account manager (never an admin or principal).
    for (const [name, route, cell, okStatus] of CUSTOM) {
      const [method, pathTemplate] = route.split(' ');
      const path = pathTemplate
        .replace('{user}', String(targetUserId))
        .replace('{unlock}', String(unlockId))
        .replace('{correction}', String(correctionId));
      for (const code of Object.keys(ROLE_CODES) as Code[]) {
        const res = await clients.get(code)!.request(method, path, method === 'POST' ? {} : undefined);
        const expected = roleSet(cell).has(code) ? Number(okStatus) : 403;
        if (res.status !== expected) surprises.push(`${code} ${name}: got ${res.status}, expected ${expected}`);
      }
    }
    expect(surprises).toEqual([]);
  });

  /** A lock, a delegation, and an unlock request and a correction filed by the subject teacher (BM). */
  async function gradebookFixtures(admin: Client) {
    const principalId = (await clients.get('HT')!.get('/api/auth/me')).body.user.id;
    const teacher = clients.get('BM')!;
    const a = (await teacher.get('/api/auth/me')).body.user.principal.assignments[0];
    const semesterId = Number((await srv.db('semesters').where({ number: 1 }).first()).id);
    const yearId = Number((await srv.db('school_years').where({ is_current: true }).first()).id);
    const otherClass = (await srv.db('classes').whereNot({ id: a.classId }).first()) as { id: number };
    const lock = await admin.post('/api/locks', { scope: 'class', schoolYearId: yearId, classId: otherClass.id, reason: 'Kiểm tra hồ sơ', orderedBy: principalId });
    expect(lock.status, JSON.stringify(lock.body)).toBe(201);
    const giaovu = (await clients.get('GVU')!.get('/api/auth/me')).body.user.id;
    const delegation = await clients.get('HT')!.post('/api/entry-delegations', { classId: a.classId, subjectId: a.subjectId, delegateUserId: giaovu, reason: 'Giáo viên nghỉ ốm', validUntil: '2027-01-10' });
    expect(delegation.status, JSON.stringify(delegation.body)).toBe(201);
    const grid = (await teacher.get(`/api/gradebook?classId=${a.classId}&subjectId=${a.subjectId}&semesterId=${semesterId}`)).body;
    const studentId = grid.rows[0].student.id;
    const unlock = await teacher.post('/api/unlock-requests', { reason: 'Nhập nhầm', cells: [{ semesterId, classId: a.classId, subjectId: a.subjectId, studentId, kind: 'regular', seq: 1 }] });
    expect(unlock.status, JSON.stringify(unlock.body)).toBe(201);
    unlockId = unlock.body.id;
    const saved = await teacher.put('/api/gradebook', { classId: a.classId, subjectId: a.subjectId, semesterId, cells: [{ studentId, kind: 'regular', seq: 2, value: '7', version: 0 }] });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    // Entered in September: the weekly cutoff closed it long ago, so only a correction can change it.
    await srv.db('assessment_scores').where({ student_id: studentId, kind: 'regular', seq: 2 }).update({ first_entered_at: '2026-09-18T02:00:00.000Z' });
    const correction = await teacher.post('/api/correction-requests', { classId: a.classId, subjectId: a.subjectId, semesterId, studentId, kind: 'regular', seq: 2, newValue: '8', reason: 'Cộng nhầm điểm' });
    expect(correction.status, JSON.stringify(correction.body)).toBe(201);
    correctionId = correction.body.id;
  }

  async function probe(client: Client, resource: string, action: (typeof ACTIONS)[number], allowed: boolean | 'absent') {
    if (action === 'list') {
      const res = await client.get(`/api/${resource}`);
      return { status: res.status, expected: allowed === 'absent' ? 404 : allowed ? 200 : 403 };
    }
    if (action === 'create') {
      const res = await client.post(`/api/${resource}`, {});
      return { status: res.status, expected: allowed === 'absent' ? 404 : allowed ? 400 : 403 };
    }
    if (action === 'delete') {
      const res = await client.delete(`/api/${resource}/999999999`);
      return { status: res.status, expected: allowed === 'absent' ? 404 : allowed ? 404 : 403 };
    }
    const id = await visibleId(client, resource, action);
    if (action === 'show') {
      const res = await client.get(`/api/${resource}/${id}`);
      return { status: res.status, expected: allowed === 'absent' ? 404 : allowed ? 200 : 403 };
    }
    const res = await client.put(`/api/${resource}/${id}`, { matrixProbe: 1 });
    return { status: res.status, expected: allowed === 'absent' ? 404 : allowed ? 400 : 403 };
  }

  /**
   * The first record the role itself can list (so scoped roles are probed inside their scope), else the admin's.
   * A homeroom teacher edits only their own class's students, so that probe looks inside the homeroom class.
   */
  async function visibleId(client: Client, resource: string, action: string): Promise<number> {
    const homeroom = (await client.get('/api/auth/me')).body.user.principal.homeroomClasses[0];
    const filter = resource === 'students' && action === 'edit' && homeroom ? `&filter=${encodeURIComponent(JSON.stringify({ classId: homeroom.classId }))}` : '';
    const own = await client.get(`/api/${resource}?range=[0,0]${filter}`);
    if (own.status === 200 && own.body.length > 0) return own.body[0].id;
    const id = adminIds.get(resource);
    if (id === undefined) throw new Error(`no ${resource} record to probe`);
    return id;
  }
});
