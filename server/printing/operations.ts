import crypto from 'node:crypto';
import { z } from 'zod';
import { canApprovePrint, canReadPrintRuns, canRequestPrint, canRequestSchoolPrint } from '../../domain/permissions';
import type { PrintKind } from '../../domain/printing';
import type { Principal } from '../../domain/permissions';
import { principalOf, type Actor } from '../core/actor';
import { appendAudit, canonicalJson, recordAudit } from '../core/audit';
import { AppError, forbidden, invalidField, notFound } from '../core/errors';
import { applyFilters, parseListQuery, type FieldMap } from '../core/list-query';
import { insertReturningId } from '../core/records';
import { freeText } from '../core/fields';
import { parse } from '../core/validate';
import { nowIso, type Db } from '../db/knex';
import { bookFileName, bookName, buildBookSnapshot, type RunRow } from './books';
import { CURRENT_RENDERER, LEGACY_RENDERER, renderWith } from './renderers';

/**
 * Lượt in (issue 12, seed 000): a vice principal or giáo vụ requests a printed book — a class's grade book or
 * roll-call book, or the school's enrolment register — the principal approves or rejects it; the approval draws the
 * PDF and freezes it (snapshot, renderer version, SHA-256, pages, verification code). The PDF is only ever redrawn
 * from that snapshot with that renderer version, so every download is the approved document byte for byte.
 */
const id = z.coerce.number().int().positive();
const note = freeText(1000).optional();
const ClassBookBody = z.strictObject({ kind: z.enum(['gradebook', 'rollcall']), classId: id, period: z.enum(['1', '2', 'year']), note });
/** The enrolment register: a school year, the whole school or one grade (khối). */
const SchoolBookBody = z.strictObject({ kind: z.literal('enrolment'), schoolYearId: id, grade: z.coerce.number().int().min(1).max(12).nullish(), note });
// A request without a kind is the grade book's, as before the other books existed.
const RequestBody = z.preprocess(
  (v) => (v && typeof v === 'object' && !Array.isArray(v) && !('kind' in v) ? { ...v, kind: 'gradebook' } : v),
  z.discriminatedUnion('kind', [ClassBookBody, SchoolBookBody]),
);
const DecideBody = z.strictObject({ decision: z.enum(['approve', 'reject']), note: freeText(1000).optional() });

/** Where the QR code and the printed check address lead (the server's public origin). */
export interface PrintDeps {
  publicUrl: string;
}

export async function requestPrintRun(db: Db, actor: Actor, input: unknown) {
  const principal = principalOf(actor);
  const body = parse(RequestBody, input);
  const target = body.kind === 'enrolment' ? await schoolBookTarget(db, principal, body) : await classBookTarget(db, principal, body);
  const now = nowIso();
  const runId = await db.transaction(async (trx) => {
    // One waiting request per book: a second click must not queue a second approval.
    const same = trx('print_runs').where({ kind: body.kind, school_year_id: target.schoolYearId, period: target.period, status: 'requested' });
    if (target.classId === null) same.whereNull('class_id');
    else same.where('class_id', target.classId);
    if (target.grade === null) same.whereNull('grade');
    else same.where('grade', target.grade);
    const waiting = await same.first('id');
    if (waiting) throw new AppError('conflict', 'printRunWaiting', { id: Number(waiting.id) });
    const row = {
      school_id: target.schoolId,
      kind: body.kind,
      school_year_id: target.schoolYearId,
      class_id: target.classId,
      grade: target.grade,
      period: target.period,
      status: 'requested',
      note: body.note?.trim() || null,
      requested_by: actor.userId,
      requested_at: now,
    };
    const newId = await insertReturningId(trx, 'print_runs', row);
    await appendAudit(trx, actor, { action: 'request', entity: 'print-runs', entityId: newId, after: row, schoolId: target.schoolId, reason: row.note });
    return newId;
  });
  return getPrintRun(db, actor, runId);
}

interface Target {
  schoolId: number;
  schoolYearId: number;
  classId: number | null;
  grade: number | null;
  period: string;
}

/** A class's book: the class exists and the requester's grades cover it. */
async function classBookTarget(db: Db, principal: Principal, body: z.output<typeof ClassBookBody>): Promise<Target> {
  const klass = await db('classes').where({ id: body.classId }).first('id', 'school_id', 'grade', 'school_year_id');
  if (!klass) throw notFound('classes', body.classId);
  const ref = { schoolId: Number(klass.school_id), classId: Number(klass.id), grade: Number(klass.grade) };
  if (!canRequestPrint(principal, ref)) throw forbidden();
  return { schoolId: ref.schoolId, schoolYearId: Number(klass.school_year_id), classId: ref.classId, grade: null, period: body.period };
}

/** The enrolment register: the year is the requester's school's; a chosen grade has classes that year. */
async function schoolBookTarget(db: Db, principal: Principal, body: z.output<typeof SchoolBookBody>): Promise<Target> {
  const year = await db('school_years').where({ id: body.schoolYearId }).first('id', 'school_id');
  if (!year) throw notFound('school-years', body.schoolYearId);
  const schoolId = Number(year.school_id);
  if (!canRequestSchoolPrint(principal, schoolId)) throw forbidden();
  const grade = body.grade ?? null;
  if (grade !== null && !(await db('classes').where({ school_year_id: year.id, grade }).first('id'))) {
    throw invalidField('grade', { key: 'printGradeNoClasses', params: { grade } });
  }
  return { schoolId, schoolYearId: Number(year.id), classId: null, grade, period: 'year' };
}

export async function decidePrintRun(db: Db, actor: Actor, runId: number, input: unknown, deps: PrintDeps) {
  const principal = principalOf(actor);
  const body = parse(DecideBody, input);
  const run = await db('print_runs').where({ id: runId }).first();
  if (!run) throw notFound('print-runs', runId);
  if (!canApprovePrint(principal, Number(run.school_id))) throw forbidden();
  if (run.status !== 'requested') throw new AppError('conflict', 'printRunDecided', { status: msgStatus(run.status) });
  const now = nowIso();
  const note = body.note?.trim() || null;
  if (body.decision === 'reject') {
    if (!note) throw new AppError('invalid', 'validation', {}, { note: { key: 'printRejectNeedsNote' } });
    await db.transaction(async (trx) => {
      const n = await trx('print_runs').where({ id: runId, status: 'requested' }).update({ status: 'rejected', decided_by: actor.userId, decided_at: now, decision_note: note });
      if (n !== 1) throw new AppError('conflict', 'printRunDecided', { status: 'rejected' });
      await appendAudit(trx, actor, { action: 'reject', entity: 'print-runs', entityId: runId, before: { status: 'requested' }, after: { status: 'rejected' }, schoolId: Number(run.school_id), reason: note });
    });
    return getPrintRun(db, actor, runId);
  }
  // Approve: read the book and draw it first (reads only), then freeze it in one short transaction.
  const approver = await db('users').where({ id: actor.userId }).first('full_name');
  const code = newCode();
  const snapshot = await buildBookSnapshot(db, actor, run as RunRow, {
    runId,
    code,
    verifyUrl: `${deps.publicUrl.replace(/\/$/, '')}/api/public/printed/${code}`,
    approvedAt: now,
    approvedBy: String(approver?.full_name ?? actor.username ?? ''),
  });
  const renderer = CURRENT_RENDERER[run.kind as PrintKind];
  const { pdf, pages } = await renderWith(renderer, snapshot);
  const sha256 = crypto.createHash('sha256').update(pdf).digest('hex');
  await db.transaction(async (trx) => {
    const n = await trx('print_runs')
      .where({ id: runId, status: 'requested' })
      .update({ status: 'approved', decided_by: actor.userId, decided_at: now, decision_note: note, verification_code: code, sha256, page_count: pages, renderer, snapshot: canonicalJson(snapshot) });
    if (n !== 1) throw new AppError('conflict', 'printRunDecided', { status: 'approved' });
    await appendAudit(trx, actor, {
      action: 'approve',
      entity: 'print-runs',
      entityId: runId,
      before: { status: 'requested' },
      after: { status: 'approved', sha256, pages, code, renderer },
      schoolId: Number(run.school_id),
      reason: note,
    });
  });
  return getPrintRun(db, actor, runId);
}

/**
 * The approved PDF, redrawn from its snapshot with the renderer version it was approved with; refused if the bytes
 * no longer match what was approved.
 */
export async function printRunPdf(db: Db, actor: Actor, runId: number) {
  const run = await readableRun(db, actor, runId);
  if (run.status !== 'approved' || !run.snapshot) throw new AppError('conflict', 'printRunNoPdf');
  const { pdf } = await renderWith(run.renderer ? String(run.renderer) : LEGACY_RENDERER, JSON.parse(String(run.snapshot)));
  const sha256 = crypto.createHash('sha256').update(pdf).digest('hex');
  if (sha256 !== run.sha256) throw new AppError('internal', 'printRunMismatch');
  await recordAudit(db, actor, { action: 'download', entity: 'print-runs', entityId: runId, after: { sha256 }, schoolId: Number(run.school_id) });
  const names = await joined(db).where('r.id', runId).first('c.name as class_name', 'y.name as year_name');
  const grade = run.grade === null || run.grade === undefined ? null : Number(run.grade);
  return { pdf, sha256, filename: bookFileName({ id: runId, kind: run.kind as PrintKind, period: String(run.period), grade }, names?.class_name ?? null, String(names?.year_name ?? '')) };
}

const FIELDS: FieldMap = {
  id: { column: 'r.id', type: 'number' },
  status: { column: 'r.status', type: 'string' },
  kind: { column: 'r.kind', type: 'string' },
  classId: { column: 'r.class_id', type: 'number' },
  grade: { column: 'r.grade', type: 'number' },
  schoolYearId: { column: 'r.school_year_id', type: 'number' },
  period: { column: 'r.period', type: 'string' },
  requestedAt: { column: 'r.requested_at', type: 'string' },
  decidedAt: { column: 'r.decided_at', type: 'string' },
};

const columns = [
  'r.id', 'r.school_id', 'r.kind', 'r.class_id', 'r.grade', 'r.renderer', 'r.school_year_id', 'r.period', 'r.status', 'r.note', 'r.requested_at', 'r.decided_at', 'r.decision_note',
  'r.verification_code', 'r.sha256', 'r.page_count', 'c.name as class_name', 'y.name as year_name', 'q.full_name as requested_by_name', 'd.full_name as decided_by_name',
];
const joined = (db: Db) =>
  db('print_runs as r')
    .leftJoin('classes as c', 'c.id', 'r.class_id')
    .join('school_years as y', 'y.id', 'r.school_year_id')
    .join('users as q', 'q.id', 'r.requested_by')
    .leftJoin('users as d', 'd.id', 'r.decided_by');

/** Print runs of the actor's school, filterable (status, classId, id…) — the archive register lists approved ones. */
export async function listPrintRuns(db: Db, actor: Actor, query: Record<string, unknown>) {
  const principal = principalOf(actor);
  const schoolId = actor.schoolId;
  if (schoolId === null || !canReadPrintRuns(principal, schoolId)) throw forbidden();
  const lq = parseListQuery(query, FIELDS, 'id');
  const filtered = applyFilters(joined(db).where('r.school_id', schoolId), lq, ['c.name']);
  const total = (await filtered.clone().count({ n: '*' }).first()) as { n: number | string };
  const rows = await filtered.select(columns).orderBy(lq.sort.column, lq.sort.order).orderBy('r.id', 'desc').offset(lq.range.start).limit(lq.range.end - lq.range.start + 1);
  return { data: rows.map(view), total: Number(total.n), start: lq.range.start };
}

export async function getPrintRun(db: Db, actor: Actor, runId: number) {
  await readableRun(db, actor, runId);
  return view(await joined(db).where('r.id', runId).first(columns));
}

async function readableRun(db: Db, actor: Actor, runId: number) {
  const run = await db('print_runs').where({ id: runId }).first();
  if (!run) throw notFound('print-runs', runId);
  if (!canReadPrintRuns(principalOf(actor), Number(run.school_id))) throw forbidden();
  return run;
}

function view(r: Record<string, unknown>) {
  return {
    id: Number(r.id),
    kind: r.kind,
    book: bookName(r.kind),
    classId: r.class_id === null || r.class_id === undefined ? null : Number(r.class_id),
    className: r.class_name ?? null,
    grade: r.grade === null || r.grade === undefined ? null : Number(r.grade),
    schoolYearId: Number(r.school_year_id),
    schoolYear: r.year_name,
    period: r.period,
    status: r.status,
    note: r.note ?? null,
    requestedBy: r.requested_by_name,
    requestedAt: r.requested_at,
    decidedBy: r.decided_by_name ?? null,
    decidedAt: r.decided_at ?? null,
    decisionNote: r.decision_note ?? null,
    verificationCode: r.verification_code ?? null,
    sha256: r.sha256 ?? null,
    pageCount: r.page_count === null || r.page_count === undefined ? null : Number(r.page_count),
    renderer: r.renderer ?? null,
  };
}

/**
 * The public check behind the QR code (no sign-in): whether a code belongs to an approved print and which document
 * it is — school, book, class (or the grade / whole school), year, pages, SHA-256, approver, time. Never a score or a
 * student's name.
 */
export async function publicPrinted(db: Db, raw: string) {
  const code = String(raw ?? '').toUpperCase().replace(/[^0-9A-Z]/g, '');
  if (!/^[0-9A-Z]{10}$/.test(code)) throw notFound('printed', String(raw ?? '').slice(0, 20));
  const r = await joined(db).join('schools as s', 's.id', 'r.school_id').where({ 'r.verification_code': code, 'r.status': 'approved' }).first(...columns, 's.name as school_name');
  if (!r) throw notFound('printed', code);
  return {
    valid: true,
    code,
    school: r.school_name,
    kind: r.kind,
    book: bookName(r.kind),
    className: r.class_name ?? null,
    grade: r.grade === null || r.grade === undefined ? null : Number(r.grade),
    schoolYear: r.year_name,
    period: r.period,
    pages: Number(r.page_count),
    sha256: r.sha256,
    approvedBy: r.decided_by_name,
    approvedAt: r.decided_at,
  };
}

// Letters and digits that cannot be misread on paper (no 0/O, 1/I).
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
function newCode(): string {
  return Array.from({ length: 10 }, () => ALPHABET[crypto.randomInt(ALPHABET.length)]).join('');
}

const msgStatus = (s: unknown) => ({ key: `printStatus_${String(s)}` as never });
