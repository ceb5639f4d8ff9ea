/**
 * Đồng bộ CSDL (issue 13, docs/sync.md): a school's sealed transcripts go to the real receiving service
 * (server/sync-receiver) started here on a random loopback port, through the portal's API. Per student: accepted,
 * rejected with a reason naming the broken signature, not ready with the missing seal; a resend after a fix is an
 * UPDATE; a revocation a CANCEL; the same packet twice is stored once; hostile XML and zip bombs are refused with a
 * 4xx while the service stays up; the ZIP export carries the manifest, the documents and a seal that verifies.
 */
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../server/demo/seed';
import { manifestSealProblem, readManifest } from '../server/sync/manifest';
import { assertNoNewerEntries } from '../server/sync/operations';
import { studentsForSync } from '../server/sync/readiness';
import { unzipPacket } from '../server/sync/zip';
import type { RunningReceiver } from '../server/sync-receiver/server';
import { DEMO_PIN } from '../server/transcripts/seed';
import { accountFor, Client, freshTotp } from './helpers/client';
import { testDatabases } from './helpers/databases';
import type { TestServer } from './helpers/server';
import { syncCompletion, syncDebts } from '../server/timeline/sync-progress';
import { loadChain } from '../server/timeline/chain';
import { actionsFor, messageFor, timelineProfile } from '../domain/timeline';
import { postPacket, resendStale, signYearExcept, startSyncSchool, tamperSealed, type SyncSchool } from './helpers/sync';

describe.each(testDatabases())('sync batches to the receiving service (%s)', (kind) => {
  let school: SyncSchool;
  let s: TestServer;
  let receiver: RunningReceiver;
  let anchors: string[];
  let yearId: number;
  let yearName: string;
  let unsealedClassId: number;
  let schoolCode: string;
  let admin: Client;
  let vp: Client;

  beforeAll(async () => {
    // The province registered the school's root: the receiver trusts what chains to it.
    school = await startSyncSchool(kind, 'test-sync-key-0123456789');
    ({ s, receiver, anchors, yearId, yearName, unsealedClassId, schoolCode } = school);
    admin = await login(accountFor(s.accounts, 'admin').username, accountFor(s.accounts, 'admin').totpSecret);
    vp = await login(accountFor(s.accounts, 'vice_principal').username);
  }, 600_000);

  afterAll(async () => school?.close());

  async function login(username: string, totpSecret?: string): Promise<Client> {
    const c = new Client(s.url);
    const r = await c.login(username, DEMO_PASSWORD, totpSecret);
    expect(r.body.stage, username).toBe('ok');
    return c;
  }

  async function waitBatch(c: Client, id: number) {
    for (let i = 0; i < 400; i++) {
      const r = await c.get(`/api/sync/batches/${id}`);
      expect(r.status).toBe(200);
      if (r.body.status !== 'sending') return r.body;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error('batch still sending');
  }

  async function send(c: Client, extra: Record<string, unknown> = {}) {
    const r = await c.post('/api/sync/batches', { schoolYearId: yearId, transport: 'http', pin: DEMO_PIN, ...extra });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return waitBatch(c, r.body.id);
  }

  const sealedVersionIds = async () =>
    ((await s.db('transcript_versions').where({ school_year_id: yearId, status: 'sealed' }).orderBy('id').select('id', 'transcript_id')) as Array<{ id: number; transcript_id: number }>).map((r) => ({
      id: Number(r.id),
      transcriptId: Number(r.transcript_id),
    }));
  const uidOf = async (transcriptId: number) => ((await s.db('transcripts').where({ id: transcriptId }).first('transcript_uid')) as { transcript_uid: string }).transcript_uid;

  let exportBatchId: number;
  let tamperedUid: string;
  let revokedUid: string;
  let restore: () => Promise<void>;

  it('refuses a batch to those who may not send, and a wrong seal PIN, before anything is built', async () => {
    const teacher = await login(accountFor(s.accounts, 'subject_teacher').username);
    expect((await teacher.post('/api/sync/batches', { schoolYearId: yearId, transport: 'http', pin: DEMO_PIN })).status).toBe(403);
    expect((await teacher.get('/api/sync/batches')).status).toBe(403);
    const wrong = await vp.post('/api/sync/batches', { schoolYearId: yearId, transport: 'http', pin: '000000' });
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(wrong.body)).toMatch(/PIN/);
    expect(Number(((await s.db('sync_batches').count({ n: '*' }).first()) as { n: number }).n)).toBe(0);
  });

  it('accepts good transcripts per student and rejects a tampered one, naming the broken signature', async () => {
    const sealed = await sealedVersionIds();
    expect(sealed.length).toBeGreaterThan(5);
    tamperedUid = await uidOf(sealed[0].transcriptId);
    restore = await tamperSealed(s.db, sealed[0].id, (xml) => changeToanScore(xml, yearName));
    const batch = await send(vp);
    expect(batch.status).toBe('done');
    const entries = batch.records.filter((r: { sukien: string | null }) => r.sukien !== null);
    expect(entries.length).toBe(sealed.length);
    expect(entries.every((r: { sukien: string; phienban: number }) => r.sukien === 'NEW' && r.phienban === 1)).toBe(true);
    const tampered = batch.records.find((r: { idbanghi: string }) => r.idbanghi === tamperedUid);
    expect(tampered.status).toBe('rejected');
    expect(tampered.reason).toContain(`sig-gvbm-${yearName}-TOAN`);
    expect(tampered.reason).toContain('sig-condau');
    expect(tampered.reason).toMatch(/không khớp/);
    const others = entries.filter((r: { idbanghi: string }) => r.idbanghi !== tamperedUid);
    expect(others.map((r: { status: string }) => r.status)).toEqual(others.map(() => 'accepted'));
    expect(batch.progress).toMatchObject({ entries: sealed.length, accepted: sealed.length - 1, rejected: 1 });
    // The timeline's sync milestones count the same: students accepted out of the year's students in scope.
    const students = batch.records.length;
    expect(await syncCompletion(s.db, 1, yearId, {})).toMatchObject({ required: students, entered: sealed.length - 1 });
    const grade = (await s.db('classes').where({ id: unsealedClassId }).first('grade')) as { grade: number };
    const inGrade = await syncCompletion(s.db, 1, yearId, { grades: [Number(grade.grade)] });
    expect(inGrade.entered).toBeLessThan(inGrade.required);
    // The unsealed class: not ready, and why — the seal is missing.
    const notReady = batch.records.filter((r: { status: string }) => r.status === 'not_ready');
    expect(notReady.length).toBeGreaterThan(0);
    expect(notReady[0].reason).toMatch(/chưa được đóng dấu.*con dấu số của trường/);
    // The receiver stored the accepted ones only.
    expect(receiver.store.record(tamperedUid)).toBeNull();
    expect(receiver.store.record(others[0].idbanghi)).toMatchObject({ phienban: 1, status: 'active', schoolCode });
  });

  it("shows each student's status now, and the timeline reminds the vice principal of the students not accepted, per class", async () => {
    const all = await vp.get(`/api/sync/students?schoolYearId=${yearId}`);
    expect(all.status).toBe(200);
    const sealed = await sealedVersionIds();
    expect(all.body.counts).toMatchObject({ accepted: sealed.length - 1, rejected: 1, ready: 0 });
    expect(all.body.counts.not_ready).toBeGreaterThan(0);
    const rejected = all.body.students.find((x: { status: string }) => x.status === 'rejected');
    expect(rejected.reason).toContain('sig-condau');
    expect(rejected.next).toMatchObject({ sukien: 'UPDATE' });
    const one = await vp.get(`/api/sync/students?schoolYearId=${yearId}&classId=${unsealedClassId}`);
    expect(one.body.students.length).toBeGreaterThan(0);
    expect(one.body.students.every((x: { classId: number; status: string; reason: string }) => x.classId === unsealedClassId && x.status === 'not_ready' && /con dấu số của trường/.test(x.reason))).toBe(true);
    expect((await vp.get('/api/sync/students?schoolYearId=abc')).status).toBe(400);
    const teacher = await login(accountFor(s.accounts, 'subject_teacher').username);
    expect((await teacher.get(`/api/sync/students?schoolYearId=${yearId}`)).status).toBe(403);

    // The milestone's reminder: one line per class still owed, saying where its students are stuck, linking to it.
    const chain = await loadChain(s.db, 1);
    const debts = await syncDebts(s.db, 1, yearId, {}, chain);
    expect(debts.reduce((n, d) => n + d.missing, 0)).toBeGreaterThanOrEqual(all.body.counts.not_ready + 1);
    const cfg = timelineProfile('khanh-phu', 2025);
    const milestone = cfg.milestones.find((m) => m.key === 'dong-bo-hoan-thanh')!;
    const step = { milestone: milestone.key, step: 'remind-D-3', kind: 'remind' as const, at: milestone.due, period: milestone.due.slice(0, 10) };
    const actions = actionsFor(step, { available: true, debts }, cfg);
    expect(actions.length).toBeGreaterThan(0);
    const lines = actions.flatMap((a) => messageFor(a, cfg).lines);
    const unsealedName = ((await s.db('classes').where({ id: unsealedClassId }).first('name')) as { name: string }).name;
    expect(lines.some((l) => l.startsWith(`${unsealedName}: `) && /chưa được tiếp nhận — \d+ chưa đủ chữ ký hoặc chưa đóng dấu/.test(l))).toBe(true);
    expect(lines.some((l) => /1 bị từ chối, cần sửa và gửi lại/.test(l))).toBe(true);
    expect(actions.flatMap((a) => a.items.flatMap((i) => i.details.map((d) => d.link)))).toContain(`/sync?schoolYearId=${yearId}&classId=${unsealedClassId}`);
    // Escalated to the principal after the due date.
    const up = actionsFor({ ...step, step: 'escalate-1', kind: 'escalate', level: 1 }, { available: true, debts }, cfg);
    expect(up.map((a) => a.recipient)).toEqual(chain.principals);
  });

  it('counts only the students whose year ended settled for the first sync deadline, everyone for the second', async () => {
    // A student of the class still being signed (owed to the ministry) now waits for a retest (Điều 13).
    const row = (await s.db('student_year_results').where({ school_year_id: yearId, class_id: unsealedClassId }).orderBy('id').first('id', 'decision')) as { id: number; decision: string } | undefined;
    expect(row, 'the demo year has stored results').toBeDefined();
    await s.db('student_year_results').where({ id: row!.id }).update({ decision: 'retest' });
    try {
      const settled = await syncCompletion(s.db, 1, yearId, { yearEndSettled: true });
      const everyone = await syncCompletion(s.db, 1, yearId, {});
      expect(settled.required).toBe(everyone.required - 1);
      const chain = await loadChain(s.db, 1);
      const first = (await syncDebts(s.db, 1, yearId, { yearEndSettled: true }, chain)).reduce((n, d) => n + d.missing, 0);
      const second = (await syncDebts(s.db, 1, yearId, {}, chain)).reduce((n, d) => n + d.missing, 0);
      expect(second - first).toBe(1);
    } finally {
      await s.db('student_year_results').where({ id: row!.id }).update({ decision: row!.decision });
    }
  });

  it('stores a repeated packet once: sending the same batch again gets the same answer', async () => {
    const list = await vp.get(`/api/sync/batches?schoolYearId=${yearId}`);
    expect(list.status).toBe(200);
    const first = list.body[0];
    const again = await vp.post(`/api/sync/batches/${first.id}/send`);
    expect(again.status).toBe(202);
    const batch = await waitBatch(vp, first.id);
    expect(batch.status).toBe('done');
    expect(batch.progress.accepted).toBe(first.progress.accepted);
    const accepted = batch.records.find((r: { status: string }) => r.status === 'accepted');
    expect(receiver.store.documentCount(accepted.idbanghi)).toBe(1);
    const audit = (await s.db('audit_events').where({ entity: 'sync-batches' }).orderBy('id').select('action')) as Array<{ action: string }>;
    expect(audit.map((a) => a.action)).toEqual(['create', 'sync_send']);
  });

  it('after the fix, a resend sends the rejected student as an UPDATE with a higher phienban, and it is accepted', async () => {
    await restore();
    // The first batch's documents changed since it was built (the repair): resending it is refused, saying so.
    const first = (await s.db('sync_batches').orderBy('id').first('id')) as { id: number };
    const refused = await vp.post(`/api/sync/batches/${first.id}/send`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/đã bị thay đổi/);
    const batch = await send(vp);
    expect(batch.status).toBe('done');
    const entries = batch.records.filter((r: { sukien: string | null }) => r.sukien !== null);
    // Only the student not yet accepted goes again; the accepted ones are up to date.
    expect(entries.map((r: { idbanghi: string; sukien: string; phienban: number; status: string }) => [r.idbanghi, r.sukien, r.phienban, r.status])).toEqual([[tamperedUid, 'UPDATE', 2, 'accepted']]);
    expect(receiver.store.record(tamperedUid)).toMatchObject({ phienban: 2, status: 'active' });
  });

  it('refuses an entry whose phienban is not higher than the stored one ("phienban cũ")', async () => {
    // A stale packet: the first batch's manifest and documents, under a new packet id, signed again by the seal.
    const second = (await s.db('sync_batches').orderBy('id').offset(1).first('id')) as { id: number };
    const zip = await admin.download(`/api/sync/batches/${second.id}/zip`);
    const files = unzipPacket(zip.bytes);
    const manifest = readManifest(files.get('manifest.xml')!.toString('utf8'));
    const accepted = (await s.db('sync_records').where({ batch_id: second.id, status: 'accepted' }).first('idbanghi')) as { idbanghi: string };
    const answer = await resendStale(s.db, s.box, receiver.url, files, manifest, 'test-sync-key-0123456789');
    expect(answer.status).toBe(200);
    const r = answer.body.results.find((x: { idbanghi: string }) => x.idbanghi === accepted.idbanghi);
    expect(r.status).toBe('rejected');
    expect(r.reason.message).toMatch(/phienban cũ/);
  });

  it('sends a CANCEL for a revoked transcript, and the receiver marks the record cancelled', async () => {
    const principal = await login(accountFor(s.accounts, 'principal').username, accountFor(s.accounts, 'principal').totpSecret);
    const sealed = await sealedVersionIds();
    const target = sealed[1];
    const uid = await uidOf(target.transcriptId);
    revokedUid = uid;
    const revoked = await principal.post(`/api/transcripts/${target.id}/revoke`, { reason: 'Cấp nhầm học bạ' });
    expect(revoked.status).toBe(200);
    const batch = await send(admin, { totp: await freshTotp(accountFor(s.accounts, 'admin').totpSecret!, s.url) });
    const entry = batch.records.find((r: { idbanghi: string }) => r.idbanghi === uid);
    expect(entry).toMatchObject({ sukien: 'CANCEL', phienban: 2, status: 'accepted' });
    expect(receiver.store.record(uid)).toMatchObject({ status: 'cancelled', phienban: 2 });
  });

  it('exports the packet as a ZIP whose manifest seal verifies; its students become "sent"', async () => {
    await signYearExcept(s.db, { schoolId: 1, schoolYearId: yearId, box: s.box }); // the last class sealed now
    const built = await vp.post('/api/sync/batches', { schoolYearId: yearId, transport: 'file', pin: DEMO_PIN });
    expect(built.status).toBe(201);
    exportBatchId = built.body.id;
    expect((await vp.get(`/api/sync/batches/${built.body.id}`)).body.records.every((r: { status: string }) => r.status === 'ready' || r.status === 'not_ready')).toBe(true);
    const zip = await vp.download(`/api/sync/batches/${built.body.id}/zip`);
    expect(zip.status).toBe(200);
    expect(zip.headers.get('content-type')).toBe('application/zip');
    const files = unzipPacket(zip.bytes);
    const manifestXml = files.get('manifest.xml')!.toString('utf8');
    const manifest = readManifest(manifestXml);
    expect(manifest.entries.length).toBe(built.body.entries);
    // The last class's students go as NEW; the revoked student's transcript, opened again and sealed as version 2
    // after its CANCEL was accepted, goes as an UPDATE with a higher phienban.
    expect(manifest.entries.filter((e) => e.sukien !== 'NEW').map((e) => [e.idbanghi, e.sukien, e.phienban, e.phienbanhocba])).toEqual([[revokedUid, 'UPDATE', 3, 2]]);
    expect(manifestSealProblem(manifestXml, schoolCode, anchors)).toBeNull();
    for (const e of manifest.entries) {
      const crypto = await import('node:crypto');
      expect(crypto.createHash('sha256').update(files.get(e.tentep!)!).digest('hex')).toBe(e.sha256);
    }
    expect([...files.keys()].sort()).toEqual(['manifest.xml', ...manifest.entries.map((e) => e.tentep!)].sort());
    // A changed manifest no longer verifies.
    expect(manifestSealProblem(manifestXml.replace(/<sukien>NEW</, '<sukien>UPDATE<'), schoolCode, anchors)).toMatch(/sig-goi-condau/);
    const after = await vp.get(`/api/sync/batches/${built.body.id}`);
    expect(after.body.status).toBe('sent');
    expect(after.body.records.filter((r: { sukien: string | null }) => r.sukien).every((r: { status: string }) => r.status === 'sent')).toBe(true);
    // The same bytes on every download.
    expect((await vp.download(`/api/sync/batches/${built.body.id}/zip`)).bytes.equals(zip.bytes)).toBe(true);
    // The file a province portal would take: the receiving service accepts it as it is.
    const res = await postPacket(receiver.url, zip.bytes, 'test-sync-key-0123456789');
    expect(res.status).toBe(200);
    const answer = res.json();
    expect(answer.results.map((x: { status: string }) => x.status)).toEqual(manifest.entries.map(() => 'accepted'));
    expect(receiver.store.record(revokedUid)).toMatchObject({ status: 'active', phienban: 3, phienbanhocba: 2 });
  });

  it('never gives a record the same phienban twice when two batches are built at the same moment', async () => {
    // The exported students are still "sent" (no answer from a portal): there is something to send again. A batch
    // whose students were read before another batch of the year was written is refused at its write.
    const stale = (await studentsForSync(s.db, 1, yearId)).filter((x) => x.decision.kind === 'entry');
    expect(stale.length).toBeGreaterThan(0);
    expect((await vp.post('/api/sync/batches', { schoolYearId: yearId, transport: 'file', pin: DEMO_PIN })).status).toBe(201);
    await expect(s.db.transaction((trx) => assertNoNewerEntries(trx, yearId, stale))).rejects.toMatchObject({ key: 'syncConcurrentBatch' });
    // Through the API, two at once: whichever order they meet in, no (record, phienban) is used twice.
    const ask = () => vp.post('/api/sync/batches', { schoolYearId: yearId, transport: 'file', pin: DEMO_PIN });
    const answers = await Promise.all([ask(), ask()]);
    for (const a of answers) expect([201, 409]).toContain(a.status);
    const rows = (await s.db('sync_records').whereNotNull('phienban').select('transcript_id', 'phienban')) as Array<{ transcript_id: number; phienban: number }>;
    const keys = rows.map((r) => `${r.transcript_id}:${r.phienban}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('refuses hostile XML (XXE, billion laughs), a zip bomb and a wrong key with a 4xx, and stays up', async () => {
    const post = (body: Uint8Array, key = 'test-sync-key-0123456789') => postPacket(receiver.url, body, key);
    const enc = (t: string) => new TextEncoder().encode(t);
    // 60 MB of zeros in a ZIP of a few tens of kilobytes, made before any request (it takes a moment).
    const bomb = zipSync({ 'manifest.xml': new Uint8Array(60_000_000) });
    const xxe = '<?xml version="1.0"?>\n<!DOCTYPE goidongbo [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<goidongbo xmlns="urn:hocbaso:sync:v1">&x;</goidongbo>';
    let r = await post(zipSync({ 'manifest.xml': enc(xxe) }));
    expect(r.status).toBe(400);
    expect((await r.json()).error).toBe('hostile_xml');
    const laughs = '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><hocbaso>&c;</hocbaso>';
    const stale = (await s.db('sync_batches').orderBy('id').first('manifest')) as { manifest: string };
    r = await post(zipSync({ 'manifest.xml': enc(stale.manifest), 'x-v1.xml': enc(laughs) }));
    expect(r.status).toBe(400);
    expect((await r.json()).message).toMatch(/DOCTYPE/);
    r = await post(bomb);
    expect(r.status).toBe(413);
    r = await post(zipSync({ 'manifest.xml': enc(stale.manifest) }), 'wrong-key-wrong-key-wrong');
    expect(r.status).toBe(401);
    r = await post(enc('not a zip'));
    expect(r.status).toBe(400);
    expect((await fetch(`${receiver.url}/health`)).status).toBe(200);
    // Still working: a real packet is answered (here: the first batch again, a duplicate).
    const first = (await s.db('sync_batches').where({ transport: 'http' }).orderBy('id').offset(1).first('id')) as { id: number };
    const zip = await vp.download(`/api/sync/batches/${first.id}/zip`);
    r = await post(zip.bytes);
    expect(r.status).toBe(200);
    expect((await r.json()).duplicate).toBe(true);
  });

  it("records the portal's result of a ZIP batch: the students it refused with its reason, everyone else accepted", async () => {
    const batch = (await vp.get(`/api/sync/batches/${exportBatchId}`)).body;
    const sent = batch.records.filter((r: { status: string }) => r.status === 'sent');
    expect(sent.length).toBeGreaterThan(1);
    const refusedId = sent[0].studentId;
    const before = (await vp.get(`/api/sync/students?schoolYearId=${yearId}`)).body.counts;
    // Refused, nothing written: a teacher; a student not in the batch; an HTTP batch; an empty reason.
    const teacher = await login(accountFor(s.accounts, 'subject_teacher').username);
    expect((await teacher.post(`/api/sync/batches/${exportBatchId}/receipt`, {})).status).toBe(403);
    const stranger = await vp.post(`/api/sync/batches/${exportBatchId}/receipt`, { rejected: [{ studentId: 999999, reason: 'Sai mã' }] });
    expect(stranger.status).toBe(400);
    expect(JSON.stringify(stranger.body)).toContain('không có trong đợt này');
    expect((await vp.post(`/api/sync/batches/${exportBatchId}/receipt`, { rejected: [{ studentId: refusedId, reason: '' }] })).status).toBe(400);
    const httpBatch = (await s.db('sync_batches').where({ transport: 'http' }).first('id')) as { id: number };
    expect((await vp.post(`/api/sync/batches/${httpBatch.id}/receipt`, {})).status).toBe(409);
    expect((await vp.get(`/api/sync/batches/${exportBatchId}`)).body.status).toBe('sent');

    const r = await vp.post(`/api/sync/batches/${exportBatchId}/receipt`, { rejected: [{ studentId: refusedId, reason: 'Sai ngày sinh so với CSDL ngành' }] });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ accepted: sent.length - 1, rejected: 1 });
    const after = (await vp.get(`/api/sync/batches/${exportBatchId}`)).body;
    expect(after.status).toBe('done');
    const refused = after.records.find((x: { studentId: number }) => x.studentId === refusedId);
    expect(refused.status).toBe('rejected');
    expect(refused.reason).toMatch(/^Cổng tiếp nhận từ chối: Sai ngày sinh so với CSDL ngành \(ghi nhận bởi .+\)$/);
    const now = (await vp.get(`/api/sync/students?schoolYearId=${yearId}`)).body;
    expect(now.counts.accepted).toBe(before.accepted + sent.length - 1);
    // Not accepted, so still owed: an UPDATE (a later batch of the concurrency test already holds it as ready).
    const line = now.students.find((x: { studentId: number }) => x.studentId === refusedId);
    expect(line.status).not.toBe('accepted');
    expect(line.next).toMatchObject({ sukien: 'UPDATE' });
    // Once only; audited with the counts.
    expect((await vp.post(`/api/sync/batches/${exportBatchId}/receipt`, {})).status).toBe(409);
    const audit = (await s.db('audit_events').where({ entity: 'sync-batches', entity_id: String(exportBatchId), action: 'sync_receipt' }).select("after")) as Array<{ after: unknown }>;
    expect(audit.length).toBe(1);
    expect(typeof audit[0].after === "string" ? JSON.parse(audit[0].after) : audit[0].after).toMatchObject({ accepted: sent.length - 1, rejected: 1 });
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
