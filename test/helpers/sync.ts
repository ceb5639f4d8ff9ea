import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { whenSyncSettled } from '../../server/sync/operations';
import { startReceiver, type RunningReceiver } from '../../server/sync-receiver/server';
import { seedDemoSigning } from '../../server/transcripts/seed';
import type { DbKind } from './databases';
import { startServer, type TestServer } from './server';
import type { Manifest } from '../../domain/sync/packet';
import { actorOfUser } from '../../server/auth/principal';
import { manifestToXml, signManifest } from '../../server/sync/manifest';
import { zipPacket } from '../../server/sync/zip';
import { openStoredKey, signWith } from '../../server/transcripts/keystore';
import { toCertificate } from '../../server/transcripts/store';
import type { SecretBox } from '../../server/auth/secret-box';
import type { Db } from '../../server/db/knex';
import { dialect } from '../../server/db/knex';
import { signBatch } from '../../server/transcripts/batches';
import type { SigningTask } from '../../server/transcripts/chain';
import { openYearTranscripts } from '../../server/transcripts/operations';
import { DEMO_PIN } from '../../server/transcripts/seed';

/**
 * The signing chain of a year, as seedDemoSigning's signPreviousYear runs it (every subject teacher, the homeroom
 * teachers, the approvers), with the seal applied class by class except `unsealedClassId`: its students stay
 * "not ready", the seal missing.
 */
export async function signYearExcept(db: Db, o: { schoolId: number; schoolYearId: number; box: SecretBox; unsealedClassId?: number }): Promise<void> {
  const deps = { box: o.box, publicUrl: 'http://localhost:3000' };
  const admin = await actorOfUser(db, await roleUser(db, o.schoolId, 'admin'));
  await openYearTranscripts(db, admin, { schoolYearId: o.schoolYearId });
  const run = async (userId: number, task: SigningTask) => {
    try {
      await signBatch(db, await actorOfUser(db, userId), { task, pin: DEMO_PIN }, deps, { wait: true, skipSecondFactor: true });
    } catch (err) {
      if (!(err instanceof Error && /signingNothingToSign|signingNotYourSlot/.test(err.message))) throw err;
    }
  };
  const y = o.schoolYearId;
  for (const u of (await db('teaching_assignments as a').join('users as u', 'u.staff_id', 'a.staff_id').where('a.school_year_id', y).distinct('u.id')) as Array<{ id: number }>) await run(Number(u.id), { step: 'subject', schoolYearId: y });
  for (const u of (await db('classes as c').join('users as u', 'u.staff_id', 'c.homeroom_staff_id').where('c.school_year_id', y).distinct('u.id')) as Array<{ id: number }>) await run(Number(u.id), { step: 'homeroom', schoolYearId: y });
  for (const d of (await db('signing_delegations').where({ school_year_id: y }).distinct('user_id')) as Array<{ user_id: number }>) await run(Number(d.user_id), { step: 'approver', schoolYearId: y });
  await run(await roleUser(db, o.schoolId, 'principal'), { step: 'approver', schoolYearId: y });
  const classes = (await db('classes').where({ school_year_id: y }).whereNot({ id: o.unsealedClassId ?? -1 }).select('id')) as Array<{ id: number }>;
  for (const c of classes) await run(admin.userId!, { step: 'seal', classId: Number(c.id) });
}

async function roleUser(db: Db, schoolId: number, role: string): Promise<number> {
  const r = (await db('user_roles as r').join('users as u', 'u.id', 'r.user_id').where({ 'r.school_id': schoolId, 'r.role': role, 'u.disabled': false }).orderBy('u.id').first('u.id')) as { id: number };
  return Number(r.id);
}

/**
 * Changes a sealed version's stored XML behind its signatures (and its recorded SHA-256 to match, as whoever edits
 * the database would), getting round the immutability triggers for the test only; returns a function putting it back.
 */
export async function tamperSealed(db: Db, versionId: number, change: (xml: string) => string): Promise<() => Promise<void>> {
  const row = (await db('transcript_versions').where({ id: versionId }).first('xml', 'sha256')) as { xml: string; sha256: string };
  const write = async (xml: string, sha256: string) => {
    if (dialect(db) === 'pg') {
      await db.raw('ALTER TABLE transcript_versions DISABLE TRIGGER transcript_versions_sealed_guard');
      await db('transcript_versions').where({ id: versionId }).update({ xml, sha256 });
      await db.raw('ALTER TABLE transcript_versions ENABLE TRIGGER transcript_versions_sealed_guard');
      return;
    }
    const trig = (await db('sqlite_master').where({ type: 'trigger', name: 'transcript_versions_sealed_update' }).first('sql')) as { sql: string };
    await db.raw('DROP TRIGGER transcript_versions_sealed_update');
    await db('transcript_versions').where({ id: versionId }).update({ xml, sha256 });
    await db.raw(trig.sql);
  };
  const crypto = await import('node:crypto');
  const changed = change(row.xml);
  await write(changed, crypto.createHash('sha256').update(changed, 'utf8').digest('hex'));
  return () => write(row.xml, row.sha256);
}

/**
 * Posts a packet made of an earlier batch's documents under a new packet id, its manifest signed again with the
 * school's seal (the demo PIN): what a school replaying an old batch would send.
 */
export async function resendStale(db: Db, box: SecretBox, receiverUrl: string, files: Map<string, Buffer>, manifest: Manifest, apiKey: string): Promise<{ status: number; body: any }> {
  const seal = (await db('certificates').where({ kind: 'seal' }).first()) as Record<string, unknown>;
  const key = openStoredKey(box, toCertificate(seal), DEMO_PIN);
  const at = new Date().toISOString();
  const xml = signManifest(manifestToXml({ ...manifest, packetId: randomUUID(), createdAt: at }), key, at, (tbs) => signWith(key, tbs));
  const docs = [...files].filter(([name]) => name !== 'manifest.xml').map(([name, bytes]) => ({ name, xml: bytes.toString('utf8') }));
  const res = await postPacket(receiverUrl, zipPacket(xml, docs, at), apiKey);
  return { status: res.status, body: res.json() };
}

/**
 * POSTs a packet to the receiver on a connection of its own, as a test's direct call. fetch() would reuse a pooled
 * keep-alive connection, and one the receiver closed as idle while the test was busy (building a 60 MB zip bomb
 * blocks the event loop for seconds) answers ECONNRESET: the client's race, not the service's answer under test.
 * The portal's own transport retries such a failure (server/sync/transport.ts).
 */
export function postPacket(receiverUrl: string, body: Uint8Array, apiKey: string, contentType = 'application/zip'): Promise<{ status: number; text: string; json: () => any }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${receiverUrl}/packets`, { method: 'POST', agent: false, headers: { 'Content-Type': contentType, Authorization: `Bearer ${apiKey}`, 'Content-Length': body.byteLength } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, text, json: () => JSON.parse(text) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  });
}

/**
 * A school that syncs, for the API tests: the real receiving service on a loopback port (trusting the school's
 * root), the server pointed at it, last school year's transcripts signed and sealed except its last class.
 */
export async function startSyncSchool(kind: DbKind, apiKey: string): Promise<SyncSchool> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-receiver-'));
  const anchors: string[] = [];
  const receiver = await startReceiver({ dataDir: dir, trustAnchors: anchors, apiKey });
  const s = await startServer(kind, { students: 40, config: { syncEndpoint: receiver.url, syncApiKey: apiKey, syncRetryBaseMs: 10 } });
  const seeded = await seedDemoSigning(s.db, { secretBox: s.box, sign: false });
  const yearId = seeded.previousYear!.schoolYearId;
  anchors.push(((await s.db('certificates').where({ kind: 'root' }).first('pem')) as { pem: string }).pem);
  const school = (await s.db('schools').orderBy('id').first('id', 'code')) as { id: number; code: string };
  const unsealedClassId = Number(((await s.db('classes').where({ school_year_id: yearId }).orderBy('name', 'desc').first('id')) as { id: number }).id);
  await signYearExcept(s.db, { schoolId: Number(school.id), schoolYearId: yearId, box: s.box, unsealedClassId });
  return {
    s,
    receiver,
    anchors,
    yearId,
    yearName: seeded.previousYear!.name,
    schoolCode: school.code,
    unsealedClassId,
    close: async () => {
      await whenSyncSettled();
      await s.close();
      await receiver.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface SyncSchool {
  s: TestServer;
  receiver: RunningReceiver;
  /** The receiver's trust anchors (the school's root). */
  anchors: string[];
  yearId: number;
  yearName: string;
  schoolCode: string;
  unsealedClassId: number;
  close: () => Promise<void>;
}
