import { actorOfUser } from '../auth/principal';
import type { SecretBox } from '../auth/secret-box';
import { systemActor } from '../core/actor';
import type { Db } from '../db/knex';
import type { KeyAlgorithm } from '../signing/types';
import { signBatch } from './batches';
import type { SigningTask } from './chain';
import { sealPkcs12 } from './keystore';
import { openYearTranscripts, storeCertificate } from './operations';
import { seedPreviousYear } from './previous-year';
import { createDemoPki, createPkcs12 } from './toolkit';

/** DEMO ONLY: the PIN of every demo keystore (printed with the demo accounts). Real PINs are the holder's own. */
export const DEMO_PIN = '123456';

export interface DemoSigningOptions {
  secretBox: SecretBox;
  now?: Date;
  /** Run the whole chain on last year's transcripts (default true); false stops after certificates and last year. */
  sign?: boolean;
  algorithm?: KeyAlgorithm;
  publicUrl?: string;
  /** Add last school year (previous-year.ts, default true); false: certificates only (bench/transcripts.ts). */
  previousYear?: boolean;
}

export interface DemoSigningResult {
  certificates: number;
  previousYear: { schoolYearId: number; name: string } | null;
  opened: number;
  sealed: number;
  ms: number;
}

/**
 * DEMO ONLY: a TEST PKI for the demo school (createDemoPki: a root named as a test authority, the school seal, one
 * certificate per staff member who signs, each in a PKCS#12 keystore with the demo PIN, sealed at rest), last school
 * year completed (previous-year.ts), and last year's transcripts taken through the real chain — open, every subject
 * teacher's batch, homeroom teachers, the approver, the seal — with the software keystore.
 */
export async function seedDemoSigning(db: Db, options: DemoSigningOptions): Promise<DemoSigningResult> {
  const started = Date.now();
  const now = options.now ?? new Date();
  const school = (await db('schools').orderBy('id').first('id', 'name', 'code')) as { id: number; name: string; code: string } | undefined;
  if (!school) return { certificates: 0, previousYear: null, opened: 0, sealed: 0, ms: 0 };
  const schoolId = Number(school.id);
  if (await db('certificates').where({ school_id: schoolId }).first('id')) return { certificates: 0, previousYear: null, opened: 0, sealed: 0, ms: 0 };
  const staff = (await db('staff as s')
    .join('users as u', 'u.staff_id', 's.id')
    .where({ 's.school_id': schoolId })
    .whereIn('s.post', ['teacher', 'principal', 'vice_principal'])
    .select('s.id', 's.full_name', 's.national_id')) as Array<{ id: number; full_name: string; national_id: string }>;
  const pki = createDemoPki({
    schoolName: school.name,
    schoolCode: school.code,
    people: staff.map((s) => ({ key: String(s.id), fullName: s.full_name, nationalId: s.national_id })),
    now,
    algorithm: options.algorithm ?? 'RSA-2048',
  });
  const actor = systemActor(schoolId);
  const box = options.secretBox;
  await storeCertificate(db, actor, { schoolId, staffId: null, kind: 'root', pem: pki.root.certPem, sealedPkcs12: null, trusted: true });
  const p12 = (kc: { certPem: string; keyPem: string }) => sealPkcs12(box, createPkcs12(kc.keyPem, kc.certPem, [], DEMO_PIN));
  await storeCertificate(db, actor, { schoolId, staffId: null, kind: 'seal', pem: pki.seal.certPem, sealedPkcs12: p12(pki.seal), trusted: false });
  for (const s of staff) {
    const kc = pki.people[String(s.id)];
    await storeCertificate(db, actor, { schoolId, staffId: Number(s.id), kind: 'person', pem: kc.certPem, sealedPkcs12: p12(kc), trusted: false });
  }
  if (options.previousYear === false) return { certificates: staff.length + 2, previousYear: null, opened: 0, sealed: 0, ms: Date.now() - started };
  const previousYear = await seedPreviousYear(db);
  if (!previousYear || options.sign === false) return { certificates: staff.length + 2, previousYear, opened: 0, sealed: 0, ms: Date.now() - started };
  const result = await signPreviousYear(db, { schoolId, schoolYearId: previousYear.schoolYearId, box, publicUrl: options.publicUrl ?? 'http://localhost:3000' });
  return { certificates: staff.length + 2, previousYear, ...result, ms: Date.now() - started };
}

/** The whole chain for one year, each step by the person it belongs to (the seal by the admin). */
export async function signPreviousYear(db: Db, o: { schoolId: number; schoolYearId: number; box: SecretBox; publicUrl: string }): Promise<{ opened: number; sealed: number }> {
  const deps = { box: o.box, publicUrl: o.publicUrl };
  const adminId = await roleUser(db, o.schoolId, 'admin');
  const admin = await actorOfUser(db, adminId);
  const opened = await openYearTranscripts(db, admin, { schoolYearId: o.schoolYearId });
  const run = async (userId: number, task: SigningTask) => {
    const actor = await actorOfUser(db, userId);
    try {
      await signBatch(db, actor, { task, pin: DEMO_PIN }, deps, { wait: true, skipSecondFactor: true });
    } catch (err) {
      // A person with nothing to sign in this year (a teacher who joined this year) is not an error.
      if (!(err instanceof Error && /signingNothingToSign|signingNotYourSlot/.test(err.message))) throw err;
    }
  };
  const users = (await db('teaching_assignments as a').join('users as u', 'u.staff_id', 'a.staff_id').where('a.school_year_id', o.schoolYearId).distinct('u.id')) as Array<{ id: number }>;
  for (const u of users) await run(Number(u.id), { step: 'subject', schoolYearId: o.schoolYearId });
  const homerooms = (await db('classes as c').join('users as u', 'u.staff_id', 'c.homeroom_staff_id').where('c.school_year_id', o.schoolYearId).distinct('u.id')) as Array<{ id: number }>;
  for (const u of homerooms) await run(Number(u.id), { step: 'homeroom', schoolYearId: o.schoolYearId });
  const delegates = (await db('signing_delegations').where({ school_year_id: o.schoolYearId }).distinct('user_id')) as Array<{ user_id: number }>;
  for (const d of delegates) await run(Number(d.user_id), { step: 'approver', schoolYearId: o.schoolYearId });
  await run(await roleUser(db, o.schoolId, 'principal'), { step: 'approver', schoolYearId: o.schoolYearId });
  await run(adminId, { step: 'seal', schoolYearId: o.schoolYearId });
  const sealed = (await db('transcript_versions').where({ school_year_id: o.schoolYearId, status: 'sealed' }).count({ n: '*' }).first()) as { n: number | string };
  return { opened: opened.opened, sealed: Number(sealed.n) };
}

async function roleUser(db: Db, schoolId: number, role: string): Promise<number> {
  const r = (await db('user_roles as r').join('users as u', 'u.id', 'r.user_id').where({ 'r.school_id': schoolId, 'r.role': role, 'u.disabled': false }).orderBy('u.id').first('u.id')) as { id: number };
  return Number(r.id);
}

/**
 * DEMO ONLY: signs last year's demo transcripts if the demo PKI exists and some are not sealed yet (the first start,
 * or a start after one that stopped half-way). Null when there is nothing to do.
 */
export async function resumeDemoSigning(db: Db, o: { secretBox: SecretBox; publicUrl: string }): Promise<{ year: string; sealed: number; ms: number } | null> {
  const started = Date.now();
  const seal = (await db('certificates').where({ kind: 'seal' }).whereNotNull('pkcs12').first('school_id')) as { school_id: number } | undefined;
  if (!seal) return null;
  const year = (await db('school_years').where({ school_id: seal.school_id, is_current: false }).orderBy('start_date', 'desc').first('id', 'name')) as { id: number; name: string } | undefined;
  if (!year) return null;
  const students = (await db('enrolments').where({ school_year_id: year.id, status: 'active' }).count({ n: '*' }).first()) as { n: number | string };
  const sealed = (await db('transcript_versions').where({ school_year_id: year.id, status: 'sealed' }).count({ n: '*' }).first()) as { n: number | string };
  if (Number(sealed.n) >= Number(students.n)) return null;
  const r = await signPreviousYear(db, { schoolId: Number(seal.school_id), schoolYearId: Number(year.id), box: o.secretBox, publicUrl: o.publicUrl });
  return { year: year.name, sealed: r.sealed, ms: Date.now() - started };
}
