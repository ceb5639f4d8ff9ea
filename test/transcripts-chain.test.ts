import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../server/demo/seed';
import { createPkcs12, generateKeys, issue } from '../server/signing/pki';
import { exportTranscripts } from '../server/transcripts/export';
import { sealPkcs12 } from '../server/transcripts/keystore';
import { storeCertificate } from '../server/transcripts/operations';
import { DEMO_PIN, seedDemoSigning } from '../server/transcripts/seed';
import { systemActor } from '../server/core/actor';
import { loadChain } from '../server/timeline/chain';
import { signingDebts } from '../server/timeline/signing-progress';
import { accountFor, Client, totpNow } from './helpers/client';
import { testDatabases } from './helpers/databases';
import { startServer, type TestServer } from './helpers/server';

/**
 * The signing chain of Học bạ số through the real API (docs/transcripts.md): last school year of a small demo school
 * (previous-year.ts), a TEST PKI with a software keystore per signer, then each step by the person it belongs to.
 */
describe.each(testDatabases())('transcript signing chain (%s)', (kind) => {
  let s: TestServer;
  let yearId: number;
  let classId: number;
  let grade: number;
  let subjects: Array<{ subjectId: number; userId: number; username: string; staffId: number }>;
  let homeroom: string;
  const clients = new Map<string, Client>();

  async function as(username: string): Promise<Client> {
    const cached = clients.get(username);
    if (cached) return cached;
    const demo = s.accounts.find((a) => a.username === username);
    const c = new Client(s.url);
    const res = await c.login(username, DEMO_PASSWORD, demo?.totpSecret);
    expect(res.body.stage, `${username} signs in`).toBe('ok');
    clients.set(username, c);
    return c;
  }
  const principal = () => accountFor(s.accounts, 'principal');
  const admin = () => accountFor(s.accounts, 'admin');

  async function waitBatch(c: Client, batchId: number) {
    for (let i = 0; i < 600; i++) {
      const r = await c.get(`/api/signing/batches/${batchId}`);
      expect(r.status).toBe(200);
      if (r.body.status !== 'running') return r.body;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error('batch did not finish');
  }

  async function sign(username: string, task: Record<string, unknown>, extra: Record<string, unknown> = {}) {
    const c = await as(username);
    const r = await c.post('/api/signing/batches', { task, pin: DEMO_PIN, ...extra });
    if (r.status !== 202) return { status: r.status, body: r.body, batch: null };
    return { status: r.status, body: r.body, batch: await waitBatch(c, r.body.batchId) };
  }

  async function versionsOfClass(): Promise<Array<{ id: number; transcript_id: number; status: string; verification_code: string; version: number }>> {
    return s.db('transcript_versions').where({ class_id: classId }).orderBy('id').select('id', 'transcript_id', 'status', 'verification_code', 'version');
  }

  beforeAll(async () => {
    s = await startServer(kind, { students: 40 });
    const r = await seedDemoSigning(s.db, { secretBox: s.box, sign: false });
    yearId = r.previousYear!.schoolYearId;
    // A grade-6 class of last year (grades 6 and 9 need the principal's approval to print).
    const c = (await s.db('classes').where({ school_year_id: yearId, grade: 6 }).orderBy('id').first('id', 'grade', 'homeroom_staff_id')) as { id: number; grade: number; homeroom_staff_id: number };
    classId = Number(c.id);
    grade = Number(c.grade);
    const rows = (await s.db('teaching_assignments as a')
      .join('users as u', 'u.staff_id', 'a.staff_id')
      .where({ 'a.class_id': classId })
      .orderBy('a.subject_id')
      .select('a.subject_id', 'u.id as user_id', 'u.username', 'a.staff_id')) as Array<Record<string, unknown>>;
    subjects = rows.map((x) => ({ subjectId: Number(x.subject_id), userId: Number(x.user_id), username: String(x.username), staffId: Number(x.staff_id) }));
    homeroom = String(((await s.db('users').where({ staff_id: c.homeroom_staff_id }).first('username')) as { username: string }).username);
  }, 300_000);

  afterAll(async () => {
    await s?.close();
  });

  it('opens last year from the grade book and refuses a year whose results are incomplete, naming the students', async () => {
    const p = await as(principal().username);
    const current = (await s.db('school_years').where({ is_current: true }).first('id')) as { id: number };
    const refused = await p.post('/api/transcripts/open', { schoolYearId: current.id });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/chưa đủ/);
    const opened = await p.post('/api/transcripts/open', { schoolYearId: yearId });
    expect(opened.status).toBe(201);
    expect(opened.body.opened).toBeGreaterThan(20);
    const again = await p.post('/api/transcripts/open', { schoolYearId: yearId });
    expect(again.body.opened).toBe(0);
    const list = await p.get(`/api/transcripts?filter=${encodeURIComponent(JSON.stringify({ classId }))}`);
    expect(list.status).toBe(200);
    expect(list.body.length).toBeGreaterThan(0);
    expect(list.body[0].status).toBe('draft');
    expect(list.body[0].missing.length).toBe(subjects.length + 3);
  });

  it('tells the timeline who still has to sign what (signing progress provider)', async () => {
    const chain = await loadChain(s.db, 1);
    const debts = await signingDebts(s.db, yearId, { grades: [grade] }, chain);
    const teacher = debts.find((d) => d.personId === subjects[0].userId)!;
    expect(teacher.details.some((d) => d.classId === classId && d.subjectId === subjects[0].subjectId && d.missing > 0)).toBe(true);
    const hrUser = (await s.db('users').where({ username: homeroom }).first('id')) as { id: number };
    expect(debts.find((d) => d.personId === hrUser.id)!.details.some((d) => d.classId === classId && d.subjectName === 'Chủ nhiệm')).toBe(true);
    expect(debts.some((d) => d.details.some((x) => x.className === `Khối ${grade}` && x.subjectName === 'Duyệt học bạ'))).toBe(true);
    expect(await signingDebts(s.db, yearId, { grades: [9] }, chain)).toEqual([]);
  });

  it('refuses the approver before the teachers, naming who is missing, and the seal before the approver', async () => {
    const early = await sign(principal().username, { step: 'approver', classId }, { totp: await totpNow(s.db, principal()) });
    expect(early.status).toBe(409);
    const teacherName = ((await s.db('users').where({ id: subjects[0].userId }).first('full_name')) as { full_name: string }).full_name;
    expect(early.body.message).toContain(teacherName);
    const seal = await sign(admin().username, { step: 'seal', classId }, { totp: await totpNow(s.db, admin()) });
    expect(seal.status).toBe(409);
    expect(seal.body.message).toMatch(/còn thiếu chữ ký/);
    expect(await s.db('transcript_signatures').count({ n: '*' }).first()).toMatchObject({ n: expect.anything() });
    expect(Number(((await s.db('transcript_signatures').count({ n: '*' }).first()) as { n: number }).n)).toBe(0);
  });

  it("refuses a subject teacher signing another teacher's subject (403) and a wrong PIN (nothing signed)", async () => {
    const [a, b] = pickTwoTeachers();
    const other = await sign(a.username, { step: 'subject', classId, subjectId: b.subjectId });
    expect(other.status).toBe(403);
    const wrongPin = await (await as(a.username)).post('/api/signing/batches', { task: { step: 'subject', classId, subjectId: a.subjectId }, pin: '000000' });
    expect(wrongPin.status).toBe(400);
    expect(JSON.stringify(wrongPin.body)).toMatch(/PIN/);
    expect(Number(((await s.db('transcript_signatures').count({ n: '*' }).first()) as { n: number }).n)).toBe(0);
  });

  it("refuses an expired certificate and another person's certificate before signing", async () => {
    const [a] = pickTwoTeachers();
    const now = Date.now();
    const root = generateKeys('RSA-2048');
    const rootPem = issue({ subject: [['CN', 'TEST ROOT 2']], publicKey: root.publicKey, issuer: null, issuerKey: root.privateKey, notBefore: new Date(now - 9e9), notAfter: new Date(now + 9e9), ca: true });
    const actor = systemActor(1);
    await storeCertificate(s.db, actor, { schoolId: 1, staffId: null, kind: 'root', pem: rootPem, sealedPkcs12: null, trusted: true });
    const staff = (await s.db('staff').where({ id: a.staffId }).first('full_name', 'national_id')) as { full_name: string; national_id: string };
    const make = async (name: string, nationalId: string, notBefore: number, notAfter: number) => {
      const keys = generateKeys('RSA-2048');
      const pem = issue({ subject: [['CN', name], ['serialNumber', `CCCD:${nationalId}`]], publicKey: keys.publicKey, issuer: rootPem, issuerKey: root.privateKey, notBefore: new Date(notBefore), notAfter: new Date(notAfter), ca: false });
      const keyPem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      return storeCertificate(s.db, actor, { schoolId: 1, staffId: a.staffId, kind: 'person', pem, sealedPkcs12: sealPkcs12(s.box, createPkcs12(keyPem, pem, [], DEMO_PIN)), trusted: false });
    };
    const real = (await s.db('certificates').where({ staff_id: a.staffId }).first('id')) as { id: number };
    await s.db('certificates').where({ id: real.id }).update({ revoked_at: new Date().toISOString() });
    try {
      const expired = await make(staff.full_name, staff.national_id, now - 4e10, now - 1e9);
      let r = await sign(a.username, { step: 'subject', classId, subjectId: a.subjectId });
      expect(r.status).toBe(409);
      expect(r.body.message).toMatch(/hết hạn/);
      await s.db('certificates').where({ id: expired.id }).update({ revoked_at: new Date().toISOString() });
      await make('Người Khác Hẳn', '079000000001', now - 1e9, now + 5e10);
      r = await sign(a.username, { step: 'subject', classId, subjectId: a.subjectId });
      expect(r.status).toBe(409);
      expect(r.body.message).toMatch(/không phải của bạn/);
      expect(Number(((await s.db('transcript_signatures').count({ n: '*' }).first()) as { n: number }).n)).toBe(0);
    } finally {
      await s.db('certificates').where({ staff_id: a.staffId }).whereNot({ id: real.id }).update({ revoked_at: new Date().toISOString() });
      await s.db('certificates').where({ id: real.id }).update({ revoked_at: null });
    }
  });

  it('keeps both signatures when two subject teachers sign the same students at the same moment', async () => {
    const [a, b] = pickTwoTeachers();
    const ca = await as(a.username);
    const cb = await as(b.username);
    const [ra, rb] = await Promise.all([
      ca.post('/api/signing/batches', { task: { step: 'subject', classId, subjectId: a.subjectId }, pin: DEMO_PIN }),
      cb.post('/api/signing/batches', { task: { step: 'subject', classId, subjectId: b.subjectId }, pin: DEMO_PIN }),
    ]);
    expect([ra.status, rb.status]).toEqual([202, 202]);
    const [ba, bb] = await Promise.all([waitBatch(ca, ra.body.batchId), waitBatch(cb, rb.body.batchId)]);
    for (const batch of [ba, bb]) {
      expect(batch.status).toBe('done');
      expect(batch.failed).toBe(0);
      expect(batch.done).toBe(batch.total);
    }
    const versions = await versionsOfClass();
    expect(ba.total).toBe(versions.length);
    for (const v of versions) {
      const detail = await ca.get(`/api/transcripts/${v.id}`);
      expect(detail.status).toBe(200);
      const signedSubjects = detail.body.slots.filter((x: { signed: boolean; subject: { id: number } | null }) => x.signed).map((x: { subject: { id: number } }) => x.subject.id);
      expect(signedSubjects.sort()).toEqual([a.subjectId, b.subjectId].sort());
      const xml = ((await s.db('transcript_versions').where({ id: v.id }).first('xml')) as { xml: string }).xml;
      expect(xml.match(/<ds:Signature /g)?.length ?? xml.match(/Signature Id=/g)?.length).toBe(2);
    }
  });

  it('signs through the two-phase API with a key held outside, and refuses a value that does not match', async () => {
    const t = subjects.find((x) => !pickTwoTeachers().some((p) => p.subjectId === x.subjectId))!;
    const c = await as(t.username);
    const prep = await c.post('/api/signing/prepare', { task: { step: 'subject', classId, subjectId: t.subjectId } });
    expect(prep.status).toBe(200);
    expect(prep.body.items.length).toBeGreaterThan(0);
    const bad = await c.post('/api/signing/complete', { items: [{ itemId: prep.body.items[0].itemId, signatureValue: Buffer.alloc(256, 1).toString('base64') }] });
    expect(bad.status).toBe(400);
    const { openStoredKey } = await import('../server/transcripts/keystore');
    const { toCertificate } = await import('../server/transcripts/store');
    const { signToBeSigned } = await import('../server/signing/key-holder');
    const cert = toCertificate(await s.db('certificates').where({ staff_id: t.staffId }).whereNull('revoked_at').orderBy('id', 'desc').first());
    const key = openStoredKey(s.box, cert, DEMO_PIN);
    const values = prep.body.items.map((i: { itemId: string; bytes: string; algorithm: 'RSA-2048' }) => ({
      itemId: i.itemId,
      signatureValue: signToBeSigned(key.privateKey, { algorithm: i.algorithm, bytes: Buffer.from(i.bytes, 'base64'), digestSha256: Buffer.alloc(32) }).toString('base64'),
    }));
    const done = await c.post('/api/signing/complete', { items: values });
    expect(done.status).toBe(200);
    expect(done.body.completed).toBe(values.length);
  });

  it('runs the rest of the chain: every teacher, the homeroom teacher, the principal with TOTP, the seal; bulk progress reaches the total', async () => {
    for (const t of subjects) {
      const r = await sign(t.username, { step: 'subject', classId, subjectId: t.subjectId });
      if (r.status === 409) continue; // already signed above
      expect(r.status).toBe(202);
      expect(r.batch.done).toBe(r.batch.total);
    }
    const hr = await sign(homeroom, { step: 'homeroom', classId });
    expect(hr.status).toBe(202);
    expect(hr.batch.done).toBe(hr.batch.total);
    const noTotp = await (await as(principal().username)).post('/api/signing/batches', { task: { step: 'approver', classId }, pin: DEMO_PIN });
    expect(noTotp.status).toBe(400);
    expect(JSON.stringify(noTotp.body)).toMatch(/hai bước/);
    const ap = await sign(principal().username, { step: 'approver', classId }, { totp: await totpNow(s.db, principal()) });
    expect(ap.status).toBe(202);
    expect(ap.batch.done).toBe(ap.batch.total);
    // A document changed behind its signatures' back (here straight in the database) is refused by the seal: the
    // others are sealed, that one is named with the reason, and it is sealed once it is whole again.
    const victim = (await versionsOfClass())[0];
    const original = ((await s.db('transcript_versions').where({ id: victim.id }).first('xml')) as { xml: string }).xml;
    const changed = original.replace(/<diemcanam>[^<]*</, '<diemcanam>0,5<');
    expect(changed).not.toBe(original);
    await s.db('transcript_versions').where({ id: victim.id }).update({ xml: changed });
    const seal = await sign(admin().username, { step: 'seal', classId }, { totp: await totpNow(s.db, admin()) });
    expect(seal.status).toBe(202);
    expect(seal.batch).toMatchObject({ status: 'done', failed: 1 });
    expect(seal.batch.errors).toEqual([expect.objectContaining({ versionId: victim.id, key: 'transcriptInvalidXml' })]);
    expect(seal.batch.done).toBe(seal.batch.total - 1);
    expect((await versionsOfClass()).find((v) => v.id === victim.id)?.status).toBe('signing');
    await s.db('transcript_versions').where({ id: victim.id }).update({ xml: original });
    const again = await sign(admin().username, { step: 'seal', classId }, { totp: await totpNow(s.db, admin()) });
    expect(again.batch).toMatchObject({ status: 'done', failed: 0, done: 1, total: 1 });
    const versions = await versionsOfClass();
    expect(versions.every((v) => v.status === 'sealed')).toBe(true);
    const summary = await (await as(principal().username)).get(`/api/transcripts/summary?schoolYearId=${yearId}`);
    expect(summary.status).toBe(200);
    expect(summary.body.find((r: { classId: number }) => r.classId === classId)).toMatchObject({ total: versions.length, status: { sealed: versions.length }, missing: { subject: 0, homeroom: 0, approver: 0, seal: 0 } });
    expect(summary.body.some((r: { classId: number; missing: { subject: number } }) => r.classId !== classId && r.missing.subject > 0)).toBe(true);
    expect(await signingDebts(s.db, yearId, { classIds: [classId] }, await loadChain(s.db, 1))).toEqual([]);
    const tasks = await (await as(homeroom)).get('/api/signing/tasks');
    expect(tasks.status).toBe(200);
    expect(tasks.body.some((t: { task: { classId?: number } }) => t.task.classId === classId)).toBe(false);
  }, 240_000);

  it('verifies an uploaded sealed XML and PDF, mapping signatures to their roles, and refuses hostile XML', async () => {
    const [v] = await versionsOfClass();
    const row = (await s.db('transcript_versions').where({ id: v.id }).first('xml', 'pdf')) as { xml: string; pdf: Buffer };
    const p = await as(principal().username);
    const xml = await p.request('POST', '/api/transcripts/verify', row.xml, { 'Content-Type': 'application/xml' });
    expect(xml.status).toBe(200);
    expect(xml.body.valid).toBe(true);
    expect(xml.body.signatures.map((x: { role: string }) => x.role).sort()).toEqual(
      [...Array(subjects.length).fill('subject'), 'homeroom', 'approver', 'seal'].sort(),
    );
    expect(xml.body.signatures.every((x: { registered: unknown }) => x.registered !== null)).toBe(true);
    const pdf = await p.post('/api/transcripts/verify', { contentBase64: Buffer.from(row.pdf).toString('base64') });
    expect(pdf.status).toBe(200);
    expect(pdf.body.kind).toBe('pdf');
    expect(pdf.body.attachedXml.valid).toBe(true);
    const tampered = await p.request('POST', '/api/transcripts/verify', row.xml.replace(/<diemcanam>[^<]*</, '<diemcanam>0,5<'), { 'Content-Type': 'application/xml' });
    expect(tampered.status).toBe(200);
    expect(tampered.body.valid).toBe(false);
    const hostile = await p.request('POST', '/api/transcripts/verify', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>', { 'Content-Type': 'application/xml' });
    expect(hostile.status).toBe(400);
  });

  it('refuses any change to a sealed version at the database level (UPDATE and DELETE)', async () => {
    const [v] = await versionsOfClass();
    await expect(s.db('transcript_versions').where({ id: v.id }).update({ xml: '<tampered/>' })).rejects.toThrow(/immutable/);
    await expect(s.db('transcript_versions').where({ id: v.id }).update({ sha256: '0'.repeat(64) })).rejects.toThrow(/immutable/);
    await expect(s.db('transcript_versions').where({ id: v.id }).update({ status: 'draft' })).rejects.toThrow(/immutable/);
    await expect(s.db('transcript_versions').where({ id: v.id }).delete()).rejects.toThrow(/immutable/);
    const row = (await s.db('transcript_versions').where({ id: v.id }).first('status', 'xml')) as { status: string; xml: string };
    expect(row.status).toBe('sealed');
    expect(row.xml).toContain('sig-condau');
  });

  it('lets the student see only their own transcript, and logs every download', async () => {
    const [mine, other] = await versionsOfClass();
    const studentId = ((await s.db('transcripts').where({ id: mine.transcript_id }).first('student_id')) as { student_id: number }).student_id;
    const hs = accountFor(s.accounts, 'student');
    const user = (await s.db('users').where({ username: hs.username }).first('id')) as { id: number };
    await s.db('users').where({ id: user.id }).update({ student_id: studentId });
    await s.db('user_roles').where({ user_id: user.id, role: 'student' }).update({ student_id: studentId });
    const c = await as(hs.username);
    expect((await c.get('/api/signing/tasks')).status).toBe(403);
    expect((await c.get('/api/transcripts')).status).toBe(403);
    const list = await c.get('/api/my/transcripts');
    expect(list.status).toBe(200);
    expect(list.body.map((x: { id: number }) => x.id)).toEqual([mine.id]);
    const copies = async () => Number(((await s.db('transcript_copies').count({ n: '*' }).first()) as { n: number }).n);
    const before = await copies();
    expect((await c.get(`/api/transcripts/${other.id}/xml`)).status).toBe(404);
    const xml = await c.get(`/api/transcripts/${mine.id}/xml`);
    expect(xml.status).toBe(200);
    expect(String(xml.body)).toContain('sig-condau');
    const pdf = await (await as(principal().username)).request('GET', `/api/transcripts/${other.id}/pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
    expect(await copies()).toBe(before + 2);
    expect(await s.db('transcript_copies').where({ version_id: mine.id, kind: 'xml', issued_to_user_id: user.id }).first('id')).toBeTruthy();
  });

  it('prints grade 6 only after the principal approves it, and logs the print', async () => {
    const [v] = await versionsOfClass();
    const p = await as(principal().username);
    const refused = await p.get(`/api/transcripts/${v.id}/print`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/duyệt in/);
    expect((await p.post('/api/transcripts/print-approvals', { schoolYearId: yearId, grade })).status).toBe(201);
    const ok = await p.request('GET', `/api/transcripts/${v.id}/print`);
    expect(ok.status).toBe(200);
    expect(await s.db('transcript_copies').where({ version_id: v.id, kind: 'print' }).first('id')).toBeTruthy();
  });

  it('makes a correction version 2 that goes through the chain; once sealed, the public lookup says v1 is superseded', async () => {
    const [v1] = await versionsOfClass();
    const pub = new Client(s.url);
    expect((await pub.get(`/api/public/transcripts/${v1.verification_code}`)).body).toMatchObject({ version: 1, status: 'in_force' });
    const p = await as(principal().username);
    const reopened = await p.post(`/api/transcripts/${v1.transcript_id}/reopen`, { reason: 'Sửa điểm Toán theo biên bản số 3' });
    expect(reopened.status).toBe(201);
    const v2 = reopened.body.versionId as number;
    expect((await pub.get(`/api/public/transcripts/${v1.verification_code}`)).body.status).toBe('in_force');
    for (const t of subjects) expect((await sign(t.username, { step: 'subject', versionIds: [v2], subjectId: t.subjectId })).status).toBe(202);
    expect((await sign(homeroom, { step: 'homeroom', versionIds: [v2] })).status).toBe(202);
    expect((await sign(principal().username, { step: 'approver', versionIds: [v2] }, { totp: await totpNow(s.db, principal()) })).status).toBe(202);
    expect((await sign(admin().username, { step: 'seal', versionIds: [v2] }, { totp: await totpNow(s.db, admin()) })).batch.done).toBe(1);
    const code2 = ((await s.db('transcript_versions').where({ id: v2 }).first('verification_code', 'version')) as { verification_code: string }).verification_code;
    expect((await pub.get(`/api/public/transcripts/${v1.verification_code}`)).body.status).toBe('superseded');
    expect((await pub.get(`/api/public/transcripts/${code2}`)).body).toMatchObject({ version: 2, status: 'in_force' });
    expect((await p.post(`/api/transcripts/${v2}/revoke`, {})).status).toBe(400);
    expect((await p.post(`/api/transcripts/${v2}/revoke`, { reason: 'Cấp nhầm, thu hồi theo quyết định số 12' })).status).toBe(200);
    expect((await pub.get(`/api/public/transcripts/${code2}`)).body).toMatchObject({ version: 2, status: 'revoked' });
  }, 240_000);

  it('lets the principal delegate approving a grade to a vice principal (seed 002)', async () => {
    const vp = accountFor(s.accounts, 'vice_principal');
    const vpUser = (await s.db('users').where({ username: vp.username }).first('id')) as { id: number };
    const p = await as(principal().username);
    const put = await p.put('/api/signing/delegations', { schoolYearId: yearId, delegations: [{ grade: 7, userId: vpUser.id }] });
    expect(put.status).toBe(200);
    expect(put.body).toEqual([expect.objectContaining({ grade: 7, userId: vpUser.id })]);
    expect((await p.put('/api/signing/delegations', { schoolYearId: yearId, delegations: [{ grade: 7, userId: subjects[0].userId }] })).status).toBe(400);
    // The principal no longer approves grade 7; the delegated VP does (once the teachers have signed).
    const byPrincipal = await sign(principal().username, { step: 'approver', grade: 7 }, { totp: await totpNow(s.db, principal()) });
    expect(byPrincipal.status).toBe(403);
    const byVp = await sign(vp.username, { step: 'approver', grade: 7 });
    expect(byVp.status).toBe(409);
    expect(byVp.body.message).toMatch(/còn thiếu chữ ký/);
    expect((await (await as(subjects[0].username)).put('/api/signing/delegations', { schoolYearId: yearId, delegations: [] })).status).toBe(403);
  });

  it('rate-limits the public lookup per address (429, in Vietnamese)', async () => {
    const pub = new Client(s.url);
    const statuses: number[] = [];
    let last: unknown = null;
    for (let i = 0; i < 30; i++) {
      const r = await pub.get('/api/public/transcripts/ABCDE12345');
      statuses.push(r.status);
      if (r.status === 429) last = r.body;
    }
    expect(statuses).toContain(404);
    expect(statuses).toContain(429);
    expect(JSON.stringify(last)).toMatch(/tra cứu quá nhiều/);
  });

  it('exports the sealed versions of the year and the trust anchors', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'hocba-export-'));
    try {
      const name = ((await s.db('school_years').where({ id: yearId }).first('name')) as { name: string }).name;
      const r = await exportTranscripts(s.db, { year: name, out });
      const sealed = (await s.db('transcript_versions as v').join('transcripts as t', 't.id', 'v.transcript_id').where({ 'v.school_year_id': yearId }).whereIn('v.status', ['sealed', 'superseded']).select('t.transcript_uid', 'v.version')) as Array<{ transcript_uid: string; version: number }>;
      expect(r.versions).toBe(sealed.length);
      for (const x of sealed) {
        expect(fs.existsSync(path.join(out, `${x.transcript_uid}-v${x.version}.xml`))).toBe(true);
        expect(fs.readFileSync(path.join(out, `${x.transcript_uid}-v${x.version}.pdf`)).subarray(0, 5).toString()).toBe('%PDF-');
      }
      expect(fs.readdirSync(path.join(out, 'trust')).length).toBeGreaterThan(0);
      await expect(exportTranscripts(s.db, { year: '1999-2000', out })).rejects.toThrow(/1999-2000/);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('registers certificates: a person their own PKCS#12, only the admin the seal; the PIN is checked and not stored', async () => {
    const t = subjects[0];
    // Not made of hex digits, so finding it in the audit cannot be a certificate hash by chance.
    const PIN = 'pin-Kín-4321';
    const staff = (await s.db('staff').where({ id: t.staffId }).first('full_name', 'national_id')) as { full_name: string; national_id: string };
    const keys = generateKeys('RSA-2048');
    const rootPem = ((await s.db('certificates').where({ kind: 'root' }).orderBy('id').first('pem')) as { pem: string }).pem;
    // A self-issued certificate is enough here: registration checks the keystore opens, not the chain (checked at signing).
    const pem = issue({ subject: [['CN', staff.full_name], ['serialNumber', `CCCD:${staff.national_id}`]], publicKey: keys.publicKey, issuer: null, issuerKey: keys.privateKey, notBefore: new Date(Date.now() - 1e6), notAfter: new Date(Date.now() + 1e10), ca: false });
    const p12 = createPkcs12(keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), pem, [], PIN).toString('base64');
    const c = await as(t.username);
    expect((await c.post('/api/certificates', { kind: 'person', pkcs12: p12, pin: '9999' })).status).toBe(400);
    expect((await c.post('/api/certificates', { kind: 'seal', pkcs12: p12, pin: PIN })).status).toBe(403);
    expect((await c.post('/api/certificates', { kind: 'root', pem: rootPem })).status).toBe(403);
    const ok = await c.post('/api/certificates', { kind: 'person', pkcs12: p12, pin: PIN });
    expect(ok.status).toBe(201);
    expect((await c.post('/api/certificates', { kind: 'person', pkcs12: p12, pin: PIN })).status).toBe(409);
    const mine = await c.get('/api/certificates');
    expect(mine.body.every((x: { staffId: number }) => x.staffId === t.staffId)).toBe(true);
    expect(mine.body.some((x: { id: number; softwareKeystore: boolean }) => x.id === ok.body.id && x.softwareKeystore)).toBe(true);
    const stored = (await s.db('certificates').where({ id: ok.body.id }).first('pkcs12')) as { pkcs12: string };
    expect(stored.pkcs12).not.toContain(p12.slice(0, 40));
    expect(JSON.stringify(await s.db('audit_events').where({ entity: 'certificates' }).select('after'))).not.toContain(PIN);
    await s.db('certificates').where({ id: ok.body.id }).update({ revoked_at: new Date().toISOString() });
    const all = await (await as(admin().username)).get('/api/certificates');
    expect(all.body.some((x: { kind: string }) => x.kind === 'seal')).toBe(true);
  });

  /** Two subject teachers of the class who are different people. */
  function pickTwoTeachers() {
    const a = subjects[0];
    const b = subjects.find((x) => x.userId !== a.userId)!;
    return [a, b];
  }
});
