import type { Knex } from 'knex';
import { z } from 'zod';
import { canApplySeal, canTakePartInSigning, holdsRole } from '../../domain/permissions';
import { canSign, chainSlots, missingSlots, slot, stepOfSignatureId, type ChainSlot, type ChainState } from '../../domain/transcript/chain';
import { principalOf, type Actor } from '../core/actor';
import { AppError, forbidden } from '../core/errors';
import { parse } from '../core/validate';
import { chainStateOf, listVersions, OPEN_STATUSES, signaturesOf, type Conn, type VersionRow } from './store';
import { loadPaperChains, type PaperChain, type PaperSlot } from './paper-signers';

/**
 * Who signs which slot of which version (hoc-ba-so.md "Who signs"), from the data of the version's own year: the
 * teaching assignment of the class × subject, the class's homeroom teacher, the grade's delegation or the principal,
 * and the seal (admin or principal). Past years matter: last year's teacher signs last year's rows.
 */

export const signingTaskSchema = z
  .object({
    step: z.enum(['subject', 'homeroom', 'approver', 'seal']),
    schoolYearId: z.number().int().positive().optional(),
    classId: z.number().int().positive().optional(),
    subjectId: z.number().int().positive().optional(),
    grade: z.number().int().min(1).max(12).optional(),
    versionIds: z.array(z.number().int().positive()).max(2000).optional(),
  })
  .strict();
export type SigningTask = z.infer<typeof signingTaskSchema>;

export interface Person {
  userId: number | null;
  staffId: number | null;
  name: string;
}

/** Everyone responsible for the versions at hand, loaded once. */
export interface Signers {
  teacher: Map<string, Person>; // `${yearId}:${classId}:${subjectId}`
  homeroom: Map<number, Person>; // classId
  delegate: Map<string, Person>; // `${yearId}:${grade}`
  principal: Person | null;
  /** Digitised paper years (docs/digitisation.md): their subject and homeroom signers, by version id. */
  paper: Map<number, PaperChain>;
}

export async function loadSigners(conn: Conn, schoolId: number, versions: VersionRow[]): Promise<Signers> {
  const classIds = [...new Set(versions.map((v) => v.classId))];
  const yearIds = [...new Set(versions.map((v) => v.schoolYearId))];
  const person = (r: Record<string, unknown>): Person => ({
    userId: r.user_id === null || r.user_id === undefined ? null : Number(r.user_id),
    staffId: r.staff_id === null || r.staff_id === undefined ? null : Number(r.staff_id),
    name: String(r.full_name ?? ''),
  });
  const teacher = new Map<string, Person>();
  const homeroom = new Map<number, Person>();
  for (let i = 0; i < classIds.length; i += 400) {
    const ids = classIds.slice(i, i + 400);
    const rows = (await conn('teaching_assignments as a')
      .join('staff as s', 's.id', 'a.staff_id')
      .leftJoin('users as u', 'u.staff_id', 's.id')
      .whereIn('a.class_id', ids)
      .select('a.school_year_id', 'a.class_id', 'a.subject_id', 's.id as staff_id', 's.full_name', 'u.id as user_id')) as Record<string, unknown>[];
    for (const r of rows) teacher.set(`${r.school_year_id}:${r.class_id}:${r.subject_id}`, person(r));
    const hr = (await conn('classes as c')
      .join('staff as s', 's.id', 'c.homeroom_staff_id')
      .leftJoin('users as u', 'u.staff_id', 's.id')
      .whereIn('c.id', ids)
      .select('c.id as class_id', 's.id as staff_id', 's.full_name', 'u.id as user_id')) as Record<string, unknown>[];
    for (const r of hr) homeroom.set(Number(r.class_id), person(r));
  }
  const delegate = new Map<string, Person>();
  if (yearIds.length > 0) {
    const rows = (await conn('signing_delegations as d')
      .join('users as u', 'u.id', 'd.user_id')
      .whereIn('d.school_year_id', yearIds)
      .select('d.school_year_id', 'd.grade', 'u.id as user_id', 'u.staff_id', 'u.full_name')) as Record<string, unknown>[];
    for (const r of rows) delegate.set(`${r.school_year_id}:${r.grade}`, person(r));
  }
  const p = (await conn('user_roles as r')
    .join('users as u', 'u.id', 'r.user_id')
    .where({ 'r.school_id': schoolId, 'r.role': 'principal', 'u.disabled': false })
    .orderBy('u.id')
    .first('u.id as user_id', 'u.staff_id', 'u.full_name')) as Record<string, unknown> | undefined;
  const paper = await loadPaperChains(
    conn,
    versions.map((v) => v.id),
  );
  return { teacher, homeroom, delegate, principal: p ? person(p) : null, paper };
}

/** The paper entry's teacher for a subject or homeroom slot of a digitised version (undefined otherwise). */
export function paperSlotOf(signers: Signers, v: VersionRow, target: ChainSlot): PaperSlot | undefined {
  if (target.step !== 'subject' && target.step !== 'homeroom') return undefined;
  return signers.paper.get(v.id)?.slots.get(target.signatureId);
}

/** A digitised slot of a departed teacher: signed by the principal in their place (null for any other slot). */
export function inPlaceOf(signers: Signers, v: VersionRow, target: ChainSlot): { staffId: number; name: string } | null {
  const p = paperSlotOf(signers, v, target);
  return p?.left ? { staffId: p.staffId, name: p.name } : null;
}

/** The person who signs `target` of `v` (null for the seal, which is the school's, or nobody assigned). */
export function signerOf(signers: Signers, v: VersionRow, target: ChainSlot): Person | null {
  const paper = paperSlotOf(signers, v, target);
  if (paper) {
    if (!paper.left) return { userId: paper.userId, staffId: paper.staffId, name: paper.name };
    return signers.principal ? { ...signers.principal, name: `${signers.principal.name} (ký thay ${paper.name})` } : null;
  }
  switch (target.step) {
    case 'subject': {
      const subject = v.subjects.find((s) => s.code === target.subjectCode);
      return subject ? (signers.teacher.get(`${v.schoolYearId}:${v.classId}:${subject.subjectId}`) ?? null) : null;
    }
    case 'homeroom':
      return signers.homeroom.get(v.classId) ?? null;
    case 'approver':
      return signers.delegate.get(`${v.schoolYearId}:${v.grade}`) ?? signers.principal;
    case 'seal':
      return null;
  }
}

/** May the actor sign `target` of `v`? The seal: the admin or the principal; the others: the very person. */
export function isSignerOf(actor: Actor, signers: Signers, v: VersionRow, target: ChainSlot): boolean {
  const p = principalOf(actor);
  if (target.step === 'seal') return canApplySeal(p, v.schoolId);
  const paper = paperSlotOf(signers, v, target);
  // A departed teacher's content: only the principal, in their place; a current teacher's: only the teacher.
  if (paper?.left) return holdsRole(p, v.schoolId, 'principal');
  if (paper?.leftNow) return false;
  const who = signerOf(signers, v, target);
  if (!who) return false;
  if (target.step === 'approver' && !signers.delegate.has(`${v.schoolYearId}:${v.grade}`)) return holdsRole(p, v.schoolId, 'principal');
  return who.userId === actor.userId || (who.staffId !== null && who.staffId === (p.staffId ?? null));
}

/** The names still missing before `target` may be signed ("Nguyễn Văn A (Toán), Trần Thị B (GVCN)"). */
export function missingNames(signers: Signers, v: VersionRow, state: ChainState, ids: string[]): string[] {
  const all = chainSlots(state.schoolYear, state.subjectCodes);
  return ids.map((id) => {
    const s = all.find((x) => x.signatureId === id)!;
    const who = signerOf(signers, v, s)?.name ?? '?';
    const subject = s.subjectCode ? v.subjects.find((x) => x.code === s.subjectCode)?.name : null;
    const role = s.step === 'subject' ? subject : s.step === 'homeroom' ? 'GVCN' : s.step === 'approver' ? 'duyệt' : 'con dấu';
    return `${who} (${role})`;
  });
}

export interface TaskItem {
  version: VersionRow;
  slot: ChainSlot;
  /** The departed teacher the principal signs this digitised slot for (docs/digitisation.md). */
  inPlaceOf?: { staffId: number; name: string } | null;
}
export interface WaitingItem {
  versionId: number;
  studentId: number;
  missing: string[];
}
export interface ResolvedTask {
  items: TaskItem[];
  waiting: WaitingItem[];
  signers: Signers;
}

/**
 * What a task means for this actor now: the slots they may sign that are ready (items), and the versions of the
 * scope whose earlier steps are still missing (waiting, with who is missing). Refused when the actor signs nothing
 * in a scope they named (a subject teacher naming another's subject: 403).
 */
export async function resolveTask(conn: Conn, actor: Actor, input: unknown): Promise<ResolvedTask & { task: SigningTask }> {
  const task = parse(signingTaskSchema, input);
  const schoolId = actor.schoolId;
  if (schoolId === null || !canTakePartInSigning(principalOf(actor), schoolId)) throw forbidden();
  const scope = (q: Knex.QueryBuilder) => {
    q.where('t.school_id', schoolId).whereIn('v.status', OPEN_STATUSES);
    if (task.schoolYearId) q.where('v.school_year_id', task.schoolYearId);
    if (task.classId) q.where('v.class_id', task.classId);
    if (task.grade) q.where('v.grade', task.grade);
    if (task.versionIds) q.whereIn('v.id', task.versionIds);
  };
  // A teacher's whole year: only the classes they teach or lead are read (a school has 2,000 open versions and
  // tens of thousands of signatures). If that finds nothing, the whole scope is read, so that naming another's
  // scope is refused as before.
  const own = !task.classId && !task.versionIds && (task.step === 'subject' || task.step === 'homeroom') ? await ownClasses(conn, actor, task.step) : null;
  let versions = own && own.length > 0 ? await listVersions(conn, (q) => (scope(q), q.whereIn('v.class_id', own))) : [];
  if (versions.length === 0) versions = await listVersions(conn, scope);
  const signers = await loadSigners(conn, schoolId, versions);
  const signatures = await signaturesOf(
    conn,
    versions.map((v) => v.id),
  );
  const items: TaskItem[] = [];
  const waiting: WaitingItem[] = [];
  let mine = 0;
  for (const v of versions) {
    const state = chainStateOf(v, signatures.get(v.id) ?? []);
    const slots = task.step === 'subject' ? v.subjects.filter((s) => !task.subjectId || s.subjectId === task.subjectId).map((s) => chainSlots(v.schoolYear, [s.code])[0]) : [slot(task.step, v.schoolYear)];
    for (const target of slots) {
      if (!isSignerOf(actor, signers, v, target)) continue;
      mine++;
      const refusal = canSign(target, state);
      const review = refusal === null ? awaitingReview(signers, v, target) : null;
      if (review) waiting.push({ versionId: v.id, studentId: v.studentId, missing: review.missing });
      else if (refusal === null) items.push({ version: v, slot: target, inPlaceOf: inPlaceOf(signers, v, target) });
      else if (refusal.reason === 'waiting') waiting.push({ versionId: v.id, studentId: v.studentId, missing: missingNames(signers, v, state, refusal.missing) });
    }
  }
  if (mine === 0 && versions.length > 0) {
    throw new AppError('forbidden', 'signingNotYourSlot', { what: task.step });
  }
  return { task, items, waiting, signers };
}

/** A departed teacher's content waits for the academic staff's review before the principal signs it (seed 003 V.4). */
function awaitingReview(signers: Signers, v: VersionRow, target: ChainSlot): { reason: 'waiting'; missing: string[] } | null {
  const paper = paperSlotOf(signers, v, target);
  if (!paper?.left || signers.paper.get(v.id)!.reviewed.has(target.signatureId)) return null;
  return { reason: 'waiting', missing: [`Giáo vụ rà soát nội dung của GV ${paper.name}`] };
}

/** The classes (any year) whose subject the actor teaches, or which they lead as homeroom teacher. */
async function ownClasses(conn: Conn, actor: Actor, step: 'subject' | 'homeroom'): Promise<number[]> {
  const staffId = principalOf(actor).staffId ?? null;
  if (staffId === null) return [];
  const rows = (step === 'subject'
    ? await conn('teaching_assignments').where({ staff_id: staffId }).distinct('class_id')
    : await conn('classes').where({ homeroom_staff_id: staffId }).select('id as class_id')) as Array<{ class_id: number }>;
  return rows.map((r) => Number(r.class_id));
}

/** Everything still unsigned on a version, with names: the status screens. */
export function missingOf(signers: Signers, v: VersionRow, state: ChainState): Array<{ step: string; signatureId: string; name: string }> {
  return missingSlots(state).map((s) => ({ step: s.step, signatureId: s.signatureId, name: missingNames(signers, v, state, [s.signatureId])[0] }));
}

export { stepOfSignatureId };
