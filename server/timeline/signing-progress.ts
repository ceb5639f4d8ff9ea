import type { Debt, DebtDetail, MilestoneScope } from '../../domain/timeline';
import { missingSlots } from '../../domain/transcript/chain';
import { loadSigners, signerOf } from '../transcripts/chain';
import { chainStateOf, listVersions, OPEN_STATUSES, signaturesOf, type Conn, type VersionRow } from '../transcripts/store';
import type { ChainIndex } from './chain';
import { inScope } from './entry-progress';

/**
 * The timeline's signing provider (milestones "Ký số học bạ"): per responsible person, what they still have to sign
 * in the milestone's scope — a subject teacher their class × subject parts, a homeroom teacher their classes, the
 * approver their grades, the seal its holder (the principals) — in the shape entry progress uses. Versions not yet
 * opened owe nothing here: opening them is the records office's step, not a signature.
 */
export async function signingDebts(conn: Conn, schoolYearId: number, scope: MilestoneScope, chain: ChainIndex): Promise<Debt[]> {
  const versions = (await openVersions(conn, schoolYearId)).filter((v) => inScope(scope, v));
  if (versions.length === 0) return [];
  const signers = await loadSigners(conn, versions[0].schoolId, versions);
  const sigs = await signaturesOf(conn, versions.map((v) => v.id));
  const classNames = await namesOf(conn, 'classes', versions.map((v) => v.classId));
  const departments = new Map(((await conn('subjects').where({ school_id: versions[0].schoolId }).select('id', 'department_id')) as Array<{ id: number; department_id: number | null }>).map((s) => [Number(s.id), s.department_id === null ? null : Number(s.department_id)]));
  const acc = new Map<number, { debt: Debt; details: Map<string, DebtDetail> }>();
  for (const v of versions) {
    for (const slot of missingSlots(chainStateOf(v, sigs.get(v.id) ?? []))) {
      const who = slot.step === 'seal' ? null : signerOf(signers, v, slot);
      const recipients = who?.userId ? [{ id: who.userId, name: who.name }] : slot.step === 'seal' || slot.step === 'approver' ? chain.principals.slice(0, 1).map((id) => ({ id, name: signers.principal?.name ?? '' })) : [];
      const subject = slot.subjectCode ? v.subjects.find((s) => s.code === slot.subjectCode) : undefined;
      for (const r of recipients) {
        const entry = acc.get(r.id) ?? { debt: { personId: r.id, personName: r.name, missing: 0, details: [], chain: chainOf(chain, v, slot.step, subject ? (departments.get(subject.subjectId) ?? null) : null) }, details: new Map() };
        acc.set(r.id, entry);
        const key = slot.step === 'subject' ? `s:${v.classId}:${subject?.subjectId}` : slot.step === 'homeroom' ? `h:${v.classId}` : `${slot.step}:${v.grade}`;
        const d = entry.details.get(key) ?? {
          ...(slot.step === 'subject' || slot.step === 'homeroom' ? { classId: v.classId, className: classNames.get(v.classId) } : { className: `Khối ${v.grade}` }),
          ...(subject ? { subjectId: subject.subjectId, subjectName: subject.name } : slot.step === 'homeroom' ? { subjectName: 'Chủ nhiệm' } : { subjectName: slot.step === 'approver' ? 'Duyệt học bạ' : 'Đóng dấu số' }),
          missing: 0,
          link: '/signing',
        };
        d.missing++;
        entry.details.set(key, d);
        entry.debt.missing++;
      }
    }
  }
  return [...acc.values()].map(({ debt, details }) => ({ ...debt, details: [...details.values()] })).sort((a, b) => a.personId - b.personId);
}

/** The dashboard's figure: signatures present out of all the chain needs, over the open and sealed versions in scope. */
export async function signingCompletion(conn: Conn, schoolYearId: number, scope: MilestoneScope): Promise<SigningFigure> {
  return (await signingCounter(conn, schoolYearId))(scope);
}

export type SigningFigure = { available: true; required: number; entered: number; percent: number | null };

/**
 * Reads the year's open and sealed versions and their signatures once, then counts the figure for any scope (a
 * milestone's, or one class of it for the office's drill-down) without reading again.
 */
export async function signingCounter(conn: Conn, schoolYearId: number): Promise<(scope: MilestoneScope) => SigningFigure> {
  const versions = await listVersions(conn, (q) => q.where('v.school_year_id', schoolYearId).whereIn('v.status', [...OPEN_STATUSES, 'sealed']));
  const sigs = await signaturesOf(conn, versions.map((v) => v.id));
  const counted = versions.map((v) => {
    const total = v.subjects.length + 3;
    return { grade: v.grade, classId: v.classId, total, entered: total - missingSlots(chainStateOf(v, sigs.get(v.id) ?? [])).length };
  });
  return (scope) => {
    let required = 0;
    let entered = 0;
    for (const v of counted.filter((x) => inScope(scope, x))) {
      required += v.total;
      entered += v.entered;
    }
    return { available: true, required, entered, percent: required === 0 ? null : Math.floor((entered / required) * 1000) / 10 };
  };
}

function openVersions(conn: Conn, schoolYearId: number): Promise<VersionRow[]> {
  return listVersions(conn, (q) => q.where('v.school_year_id', schoolYearId).whereIn('v.status', OPEN_STATUSES));
}

function chainOf(chain: ChainIndex, v: VersionRow, step: string, departmentId: number | null): Debt['chain'] {
  if (step === 'approver' || step === 'seal') return { principal: chain.principals };
  return chain.above(v.grade, departmentId);
}

async function namesOf(conn: Conn, table: string, ids: number[]): Promise<Map<number, string>> {
  const rows = (await conn(table).whereIn('id', [...new Set(ids)]).select('id', 'name')) as Array<{ id: number; name: string }>;
  return new Map(rows.map((r) => [Number(r.id), r.name]));
}
