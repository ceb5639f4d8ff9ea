import type { Knex } from 'knex';
import { canPrintTranscripts, transcriptReadScope } from '../../domain/permissions';
import { chainSlots, PRINT_APPROVAL_GRADES, signatureIdOf } from '../../domain/transcript/chain';
import { principalOf, type Actor } from '../core/actor';
import { appendAudit } from '../core/audit';
import { AppError, forbidden, notFound } from '../core/errors';
import { applyFilters, parseListQuery, type FieldMap } from '../core/list-query';
import { nowIso, type Db } from '../db/knex';
import { loadSigners, missingOf, resolveTask, signerOf, type Signers } from './chain';
import { chainStateOf, listVersions, OPEN_STATUSES, signaturesOf, type VersionRow } from './store';

/** The status screens: the transcripts list, one version's signatures, the signing tasks, a student's own. */

const FIELDS: FieldMap = {
  id: { column: 'v.id', type: 'number' },
  studentId: { column: 't.student_id', type: 'number' },
  studentName: { column: 's.full_name', type: 'string' },
  classId: { column: 'v.class_id', type: 'number' },
  className: { column: 'c.name', type: 'string' },
  grade: { column: 'v.grade', type: 'number' },
  schoolYearId: { column: 'v.school_year_id', type: 'number' },
  version: { column: 'v.version', type: 'number' },
  status: { column: 'v.status', type: 'string' },
};

/** Teachers see the transcripts of the classes they taught or were homeroom teacher of, in that version's year. */
function scoped(q: Knex.QueryBuilder, db: Db, actor: Actor): Knex.QueryBuilder {
  const schoolId = actor.schoolId;
  const p = principalOf(actor);
  const scope = schoolId === null ? null : transcriptReadScope(p, schoolId);
  if (!scope || scope.kind === 'student') throw forbidden();
  q.where('t.school_id', schoolId!);
  if (scope.kind === 'own') {
    const staffId = p.staffId ?? -1;
    q.where((w) =>
      w
        .whereIn('v.class_id', db('teaching_assignments').where({ staff_id: staffId }).select('class_id'))
        .orWhereIn('v.class_id', db('classes').where({ homeroom_staff_id: staffId }).select('id')),
    );
  }
  return q;
}

export async function listTranscripts(db: Db, actor: Actor, query: Record<string, unknown>) {
  const lq = parseListQuery(query, FIELDS, 'id');
  const base = db('transcript_versions as v')
    .join('transcripts as t', 't.id', 'v.transcript_id')
    .join('students as s', 's.id', 't.student_id')
    .join('classes as c', 'c.id', 'v.class_id')
    .join('school_years as y', 'y.id', 'v.school_year_id');
  const filtered = applyFilters(scoped(base, db, actor), lq, ['s.search_text']);
  const countRow = (await filtered.clone().count({ n: '*' }).first()) as { n: number | string };
  const rows = (await filtered
    .select('v.id', 't.student_id', 's.full_name', 'c.name as class_name', 'y.name as school_year')
    .orderBy(lq.sort.column, lq.sort.order)
    .orderBy('v.id', 'asc')
    .offset(lq.range.start)
    .limit(lq.range.end - lq.range.start + 1)) as Record<string, unknown>[];
  const ids = rows.map((r) => Number(r.id));
  const versions = await listVersions(db, (q) => q.whereIn('v.id', ids.length ? ids : [-1]));
  const signers = await loadSigners(db, actor.schoolId!, versions);
  const sigs = await signaturesOf(db, ids);
  const byId = new Map(versions.map((v) => [v.id, v]));
  const data = rows.map((r) => {
    const v = byId.get(Number(r.id))!;
    return { ...summaryOf(v, sigs.get(v.id) ?? [], signers), studentName: r.full_name, className: r.class_name };
  });
  return { data, total: Number(countRow.n), start: lq.range.start };
}

function summaryOf(v: VersionRow, signatures: Array<{ signatureId: string }>, signers: Signers) {
  const state = chainStateOf(v, signatures as never);
  const subjectIds = v.subjects.map((s) => signatureIdOf.subject(v.schoolYear, s.code));
  return {
    id: v.id,
    transcriptId: v.transcriptId,
    transcriptUid: v.transcriptUid,
    studentId: v.studentId,
    classId: v.classId,
    grade: v.grade,
    schoolYearId: v.schoolYearId,
    schoolYear: v.schoolYear,
    version: v.version,
    status: v.status,
    verificationCode: v.status === 'draft' || v.status === 'signing' ? null : v.verificationCode,
    sha256: v.sha256,
    sealedAt: v.sealedAt,
    signed: {
      subject: `${subjectIds.filter((id) => state.signed.has(id)).length}/${subjectIds.length}`,
      homeroom: state.signed.has(signatureIdOf.homeroom(v.schoolYear)),
      approver: state.signed.has(signatureIdOf.approver(v.schoolYear)),
      seal: state.signed.has(signatureIdOf.seal()),
    },
    missing: OPEN_STATUSES.includes(v.status) ? missingOf(signers, v, state).map((m) => m.name) : [],
  };
}

/** One version in detail: every slot of the chain, signed (by whom, when) or missing (whose turn). */
export async function transcriptDetail(db: Db, actor: Actor, versionId: string | number) {
  const v = await readableVersion(db, actor, versionId);
  const signers = await loadSigners(db, v.schoolId, [v]);
  const sigs = (await signaturesOf(db, [v.id])).get(v.id) ?? [];
  const names = new Map(
    ((await db('users').whereIn('id', sigs.map((s) => s.signerUserId ?? -1)).select('id', 'full_name')) as Array<{ id: number; full_name: string }>).map((u) => [Number(u.id), u.full_name]),
  );
  const student = (await db('students').where({ id: v.studentId }).first('full_name')) as { full_name: string };
  const slots = chainSlots(v.schoolYear, v.subjects.map((s) => s.code)).map((s) => {
    const done = sigs.find((x) => x.signatureId === s.signatureId);
    const subject = s.subjectCode ? v.subjects.find((x) => x.code === s.subjectCode) : null;
    return {
      step: s.step,
      signatureId: s.signatureId,
      covers: s.references,
      subject: subject ? { id: subject.subjectId, code: subject.code, name: subject.name } : null,
      signer: s.step === 'seal' ? null : (signerOf(signers, v, s)?.name ?? null),
      signed: Boolean(done),
      signedBy: done?.signerUserId ? (names.get(done.signerUserId) ?? null) : done ? 'seal' : null,
      signedAt: done?.signedAt ?? null,
    };
  });
  return { ...summaryOf(v, sigs, signers), studentName: student.full_name, slots };
}

/** A version the actor may read: staff by their scope, a student or parent only their own sealed ones. */
export async function readableVersion(db: Db, actor: Actor, versionId: string | number): Promise<VersionRow> {
  const [v] = await listVersions(db, (q) => q.where('v.id', Number(versionId) || 0));
  if (!v || v.schoolId !== actor.schoolId) throw notFound('transcripts', String(versionId));
  const p = principalOf(actor);
  const scope = transcriptReadScope(p, v.schoolId);
  if (!scope) throw forbidden();
  if (scope.kind === 'student') {
    if (!scope.studentIds.includes(v.studentId) || OPEN_STATUSES.includes(v.status)) throw notFound('transcripts', String(versionId));
    return v;
  }
  if (scope.kind === 'own') {
    const visible = await scoped(db('transcript_versions as v').join('transcripts as t', 't.id', 'v.transcript_id'), db, actor).where('v.id', v.id).first('v.id');
    if (!visible) throw notFound('transcripts', String(versionId));
  }
  return v;
}

/** A student's (or parent's) own transcripts: the versions issued so far, newest first. */
export async function myTranscripts(db: Db, actor: Actor) {
  const schoolId = actor.schoolId;
  const scope = schoolId === null ? null : transcriptReadScope(principalOf(actor), schoolId);
  if (!scope || scope.kind !== 'student') throw forbidden();
  const versions = await listVersions(db, (q) => q.whereIn('t.student_id', scope.studentIds).whereIn('v.status', ['sealed', 'superseded', 'revoked']).orderBy('v.version', 'desc'));
  return versions.map((v) => ({ id: v.id, transcriptUid: v.transcriptUid, version: v.version, schoolYear: v.schoolYear, grade: v.grade, status: v.status, sealedAt: v.sealedAt, verificationCode: v.verificationCode, sha256: v.sha256 }));
}

/**
 * A copy of a sealed version (XML, PDF, or the PDF for printing), logged in `transcript_copies` and the audit trail
 * (hoc-ba-so.md: every issued copy is logged). Printing grades 6 and 9 waits for the principal's approval.
 */
export async function issueCopy(db: Db, actor: Actor, versionId: string | number, kind: 'xml' | 'pdf' | 'print', purpose: string | null = null) {
  const v = await readableVersion(db, actor, versionId);
  if (OPEN_STATUSES.includes(v.status)) throw new AppError('conflict', 'transcriptNotSealed');
  if (kind === 'print') {
    if (!canPrintTranscripts(principalOf(actor), v.schoolId)) throw forbidden();
    if (PRINT_APPROVAL_GRADES.includes(v.grade)) {
      const approved = await db('transcript_print_approvals')
        .where({ school_year_id: v.schoolYearId, grade: v.grade })
        .where((w) => w.whereNull('class_id').orWhere('class_id', v.classId))
        .first('id');
      if (!approved) throw new AppError('conflict', 'printNotApproved', { grade: v.grade });
    }
  }
  const row = (await db('transcript_versions').where({ id: v.id }).first('xml', 'pdf')) as { xml: string; pdf: Buffer | null };
  await db.transaction(async (trx) => {
    await trx('transcript_copies').insert({ version_id: v.id, kind, issued_to_user_id: actor.userId, issued_at: nowIso(), purpose: purpose?.slice(0, 300) ?? null });
    await appendAudit(trx, actor, { action: 'issue_copy', entity: 'transcript_versions', entityId: v.id, after: { kind }, schoolId: v.schoolId });
  });
  const name = `${v.transcriptUid}-v${v.version}`;
  return kind === 'xml' ? { name: `${name}.xml`, type: 'application/xml', body: Buffer.from(row.xml, 'utf8') } : { name: `${name}.pdf`, type: 'application/pdf', body: Buffer.from(row.pdf ?? []) };
}

/**
 * What the actor can sign now, grouped as the portal offers it: per class × subject, per class, per grade, the seal —
 * each with how many are ready and how many wait for an earlier step.
 */
export async function signingTasks(db: Db, actor: Actor) {
  const schoolId = actor.schoolId;
  if (schoolId === null) throw forbidden();
  const p = principalOf(actor);
  const out: Array<{ task: Record<string, unknown>; label: string; ready: number; waiting: number; missing: string[] }> = [];
  const versions = await listVersions(db, (q) => q.where('t.school_id', schoolId).whereIn('v.status', OPEN_STATUSES));
  if (versions.length === 0) return out;
  const classNames = new Map(((await db('classes').whereIn('id', [...new Set(versions.map((v) => v.classId))]).select('id', 'name')) as Array<{ id: number; name: string }>).map((c) => [Number(c.id), c.name]));
  const groups = new Map<string, { task: Record<string, unknown>; label: string }>();
  const signers = await loadSigners(db, schoolId, versions);
  for (const v of versions) {
    for (const s of v.subjects) {
      const who = signers.teacher.get(`${v.schoolYearId}:${v.classId}:${s.subjectId}`);
      if (who && (who.userId === actor.userId || (p.staffId && who.staffId === p.staffId))) {
        groups.set(`s:${v.classId}:${s.subjectId}`, { task: { step: 'subject', classId: v.classId, subjectId: s.subjectId }, label: `${classNames.get(v.classId)} — ${s.name}` });
      }
    }
    const hr = signers.homeroom.get(v.classId);
    if (hr && (hr.userId === actor.userId || (p.staffId && hr.staffId === p.staffId))) groups.set(`h:${v.classId}`, { task: { step: 'homeroom', classId: v.classId }, label: `${classNames.get(v.classId)}` });
    groups.set(`a:${v.grade}`, { task: { step: 'approver', grade: v.grade }, label: `Khối ${v.grade}` });
    groups.set(`z:${v.grade}`, { task: { step: 'seal', grade: v.grade }, label: `Khối ${v.grade}` });
  }
  for (const g of [...groups.values()]) {
    try {
      const r = await resolveTask(db, actor, g.task);
      if (r.items.length + r.waiting.length === 0) continue;
      out.push({ ...g, ready: r.items.length, waiting: r.waiting.length, missing: [...new Set(r.waiting.flatMap((w) => w.missing))].slice(0, 20) });
    } catch (err) {
      if (!(err instanceof AppError && err.kind === 'forbidden')) throw err;
    }
  }
  return out;
}
