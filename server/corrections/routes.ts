import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { can, canWriteGradebook, type Role } from '../../domain/permissions';
import { nowIso, type Db } from '../db/knex';
import { actorOf, lang, userOf, type AuthedUser } from '../http/context';
import { resourceRouter } from '../http/resource';
import { closureOf, keyOf, loadCells } from '../gradebook/cells';
import { closedMessage } from '../gradebook/grid';
import { activeDelegations, loadSettings } from '../gradebook/guards';
import { loadGradebook, rosterOf } from '../gradebook/target';
import { applyCorrection, summary } from './apply';
import { displayValue } from './minutes';
import { checkWitness, holdsRole, isSupervisingVp, witnessCandidates } from './rules';
import { partiesOf, refuseWitnessParty } from './parties';
import { closureContext } from '../gradebook/cells';
import { parseCellValue } from '../gradebook/values';
import { addEvent, applyScope, attributes, baseQuery, fields, loadRequest, searchColumns, toApi, withHistory, type CorrectionRequest } from './store';
import { appendAudit } from '../core/audit';
import { forbidden, AppError, notFound } from '../core/errors';
import { t } from '../core/i18n';
import { insertReturningId } from '../core/records';
import { parse } from '../core/validate';

const id = z.number().int().positive();
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .transform((s) => s.normalize('NFC'));

const CreateBody = z.strictObject({
  classId: id,
  subjectId: id,
  semesterId: id,
  studentId: id,
  kind: z.enum(['regular', 'midterm', 'final']),
  seq: z.number().int().min(1).max(4),
  // As a teacher types it ("8,5", "Đ"); null or "" asks to clear the cell.
  newValue: z.union([z.string().max(16), z.number(), z.null()]),
  reason: text(1000),
  witnessUserId: id.optional(),
});
const ApproveBody = z.strictObject({ note: text(1000).optional(), witnessUserId: id.optional() });
const RejectBody = z.strictObject({ note: text(1000) });
const ConfirmBody = z.strictObject({ witnessUserId: id.optional(), note: text(1000).optional() });
const CancelBody = z.strictObject({ note: text(1000).optional() });
const EmptyBody = z.strictObject({});
const qid = z.coerce.number().int().positive();
/** For a new request, the grade book (the caller files it); for a filed one, the request. */
const CandidatesQuery = z.strictObject({ requestId: qid.optional(), classId: qid.optional(), subjectId: qid.optional(), semesterId: qid.optional() });
/** Beside the parties themselves: the principal, the VPs (who file the minutes) and the records clerk (who archives them). */
const MINUTES_READERS: Role[] = ['principal', 'vice_principal', 'records_clerk'];

/**
 * Đề nghị sửa điểm (timeline.md, seed 000 — the strict procedure; seed 002's lighter one by school setting):
 * a teacher files a request for a closed cell, the principal approves or rejects, the supervising VP and a second
 * named witness confirm, and the teacher applies it from their own account — or, under the 'admin' procedure, an
 * admin applies it after the principal's approval. Every step is a history row and an audit event.
 */
export function correctionRoutes(db: Db): Router {
  const router = Router();

  // Người chứng kiến: whom the witness rule (rules.ts witnessRefusal) accepts, for whoever names one — the
  // teacher filing, the principal approving, the supervising VP confirming. Before the resource router, whose
  // GET /:id would take "witness-candidates" for an id.
  router.get('/correction-requests/witness-candidates', async (req, res) => {
    const user = userOf(req);
    const q = parse(CandidatesQuery, req.query);
    if (q.requestId !== undefined) {
      const extra = (['classId', 'subjectId', 'semesterId'] as const).filter((k) => q[k] !== undefined);
      if (extra.length > 0) throw new AppError('invalid', 'validation', {}, Object.fromEntries(extra.map((k) => [k, { key: 'unknownKey', params: { keys: k } }])));
      const rec = await loadRequest(db, q.requestId);
      if (!rec) throw notFound('correction-requests', String(q.requestId));
      const gb = await loadGradebook(db, rec.classId, rec.subjectId, rec.semesterId);
      const party = user.id === rec.requestedBy || can(user.principal, 'approve', 'correction-requests', attributes(rec)) || isSupervisingVp(user.principal, gb);
      if (!party) throw forbidden();
      // The lighter procedure has no witness (seed 002: the admin applies after the principal's approval).
      if (rec.procedure === 'admin') return void res.json([]);
      const parties = await partiesOf(db, rec);
      res.json((await witnessCandidates(db, gb, rec.requestedBy, rec.vpUserId)).filter((c) => !parties.has(c.id)));
      return;
    }
    // The same right as filing (POST below): the teacher who writes this grade book, in the current year.
    if (!can(user.principal, 'create', 'correction-requests')) throw forbidden();
    const missing = (['classId', 'subjectId', 'semesterId'] as const).filter((k) => q[k] === undefined);
    if (missing.length > 0) throw new AppError('invalid', 'validation', {}, Object.fromEntries(missing.map((k) => [k, { key: 'required' }])));
    const gb = await loadGradebook(db, q.classId!, q.subjectId!, q.semesterId!);
    if (!canWriteGradebook(user.principal, gb.target, await activeDelegations(db, user.id, nowIso())) || !gb.yearIsCurrent) throw new AppError('forbidden', 'notAssigned');
    const settings = await loadSettings(db, gb.target.schoolId);
    if (settings.correctionProcedure === 'admin') return void res.json([]);
    const parties = await partiesOf(db, { schoolId: gb.target.schoolId, requestedBy: user.id, decidedBy: null, vpUserId: null });
    res.json((await witnessCandidates(db, gb, user.id, null)).filter((c) => !parties.has(c.id)));
  });

  router.use(
    '/correction-requests',
    resourceRouter<CorrectionRequest>(db, {
      name: 'correction-requests',
      table: 'correction_requests',
      baseQuery,
      fields,
      searchColumns,
      defaultSort: 'id',
      toApi,
      enrich: withHistory,
      applyScope,
      attributes,
    }),
  );

  router.post('/correction-requests', async (req, res) => {
    const user = userOf(req);
    if (!can(user.principal, 'create', 'correction-requests')) throw forbidden();
    const body = parse(CreateBody, req.body);
    const l = lang(req);
    const created = await db.transaction(async (trx) => {
      const now = nowIso();
      const gb = await loadGradebook(trx, body.classId, body.subjectId, body.semesterId);
      // Only the teacher who writes this grade book asks to correct it (roles.md).
      if (!canWriteGradebook(user.principal, gb.target, await activeDelegations(trx, user.id, now)) || !gb.yearIsCurrent) throw new AppError('forbidden', 'notAssigned');
      const roster = await rosterOf(trx, gb.klass.id);
      if (!roster.some((s) => s.id === body.studentId)) throw new AppError('invalid', 'validation', {}, { studentId: { key: 'studentNotInClass' } });
      if (!gb.columns.some((c) => c.kind === body.kind && c.seq === body.seq)) throw new AppError('invalid', 'validation', {}, { seq: { key: 'noSuchColumn' } });
      const parsed = parseCellValue(gb.subject.assessmentType, body.newValue);
      if ('error' in parsed) throw new AppError('invalid', 'validation', {}, { newValue: parsed.error });

      const cell = { studentId: body.studentId, kind: body.kind, seq: body.seq };
      const current = (await loadCells(trx, gb)).get(keyOf(cell));
      const ctx = await closureContext(trx, gb, now);
      const why = closureOf(gb, { ...cell, firstEnteredAt: current?.firstEnteredAt ?? null }, ctx);
      // Corrections are for closed cells; an open cell is simply edited in the grid.
      if (!why) throw new AppError('conflict', 'correctionCellOpen');
      // A periodic cell before its test (or without a test date) is not closed, just not yet open.
      if (why.rule === 'periodic_before_test' || why.rule === 'periodic_no_test_date') {
        throw new AppError('conflict', 'correctionCellNotYetOpen', { why: closedMessage(l, why, ctx.settings, body.kind === 'regular' ? null : ctx.testDates[body.kind]) });
      }
      const oldValue = current?.value ?? null;
      if (oldValue === parsed.value) {
        throw new AppError('invalid', 'validation', {}, { newValue: { key: 'correctionSameValue', params: { value: displayValue(oldValue, gb.subject.assessmentType) } } });
      }
      const openKey = `${gb.semester.id}|${gb.klass.id}|${gb.subject.id}|${keyOf(cell)}`;
      const open = (await trx('correction_requests').where({ open_key: openKey }).first('id')) as { id: number } | undefined;
      if (open) throw new AppError('conflict', 'correctionOpenExists', { id: open.id });
      const procedure = ctx.settings.correctionProcedure;
      if (body.witnessUserId !== undefined) {
        if (procedure === 'admin') throw new AppError('invalid', 'validation', {}, { witnessUserId: { key: 'correctionWitnessNotUsed' } });
        await checkWitness(trx, gb, body.witnessUserId, user.id, null);
        await refuseWitnessParty(trx, { schoolId: gb.target.schoolId, requestedBy: user.id, decidedBy: null, vpUserId: null }, body.witnessUserId);
      }
      const requestId = await insertReturningId(trx, 'correction_requests', {
        school_id: gb.target.schoolId,
        semester_id: gb.semester.id,
        class_id: gb.klass.id,
        subject_id: gb.subject.id,
        student_id: cell.studentId,
        kind: cell.kind,
        seq: cell.seq,
        old_value: oldValue,
        new_value: parsed.value,
        reason: body.reason,
        closed_rule: why.rule,
        closed_since: why.since,
        requested_by: user.id,
        status: 'pending',
        procedure,
        open_key: openKey,
        witness_user_id: body.witnessUserId ?? null,
        created_at: now,
        updated_at: now,
      });
      await addEvent(trx, requestId, user.id, 'filed', now, body.reason);
      if (body.witnessUserId !== undefined) await addEvent(trx, requestId, user.id, 'witness_named', now);
      const rec = (await loadRequest(trx, requestId))!;
      await appendAudit(trx, actorOf(req), { action: 'create', entity: 'correction-requests', entityId: requestId, schoolId: rec.schoolId, after: summary(rec), reason: body.reason });
      return rec;
    });
    res.status(201).json(created);
  });

  // Hiệu trưởng duyệt (seed 000 step 2; Điều 9.3): only the principal decides.
  router.post('/correction-requests/:id/approve', async (req, res) => {
    const body = parse(ApproveBody, req.body ?? {});
    res.json(
      await step(db, req, 'approve', async (trx, rec, user, now) => {
        if (!can(user.principal, 'approve', 'correction-requests', attributes(rec))) throw forbidden();
        if (rec.status !== 'pending') throw new AppError('conflict', 'correctionNotPending', { status: t(lang(req), `correctionStatus_${rec.status}`) });
        const witnessChanged = body.witnessUserId !== undefined && body.witnessUserId !== rec.witnessUserId;
        if (witnessChanged) {
          if (rec.procedure === 'admin') throw new AppError('invalid', 'validation', {}, { witnessUserId: { key: 'correctionWitnessNotUsed' } });
          await checkWitness(trx, await loadGradebook(trx, rec.classId, rec.subjectId, rec.semesterId), body.witnessUserId!, rec.requestedBy, null);
        }
        // The approver is a party: they may not approve a request they witness, nor name themselves.
        const witnessAfter = witnessChanged ? body.witnessUserId! : rec.witnessUserId;
        if (witnessAfter !== null) await refuseWitnessParty(trx, { ...rec, decidedBy: user.id }, witnessAfter);
        const n = await trx('correction_requests')
          .where({ id: rec.id, status: 'pending' })
          .update({ status: 'approved', decided_by: user.id, decided_at: now, decision_note: body.note ?? null, ...(witnessChanged ? { witness_user_id: body.witnessUserId } : {}), updated_at: now });
        if (n !== 1) throw new AppError('conflict', 'correctionChangedMeanwhile');
        await addEvent(trx, rec.id, user.id, 'approved', now, body.note ?? null);
        if (witnessChanged) await addEvent(trx, rec.id, user.id, 'witness_named', now);
      }),
    );
  });

  router.post('/correction-requests/:id/reject', async (req, res) => {
    const body = parse(RejectBody, req.body ?? {});
    res.json(
      await step(db, req, 'reject', async (trx, rec, user, now) => {
        if (!can(user.principal, 'approve', 'correction-requests', attributes(rec))) throw forbidden();
        if (rec.status !== 'pending') throw new AppError('conflict', 'correctionNotPending', { status: t(lang(req), `correctionStatus_${rec.status}`) });
        const n = await trx('correction_requests')
          .where({ id: rec.id, status: 'pending' })
          .update({ status: 'rejected', decided_by: user.id, decided_at: now, decision_note: body.note, open_key: null, updated_at: now });
        if (n !== 1) throw new AppError('conflict', 'correctionChangedMeanwhile');
        await addEvent(trx, rec.id, user.id, 'rejected', now, body.note);
      }),
    );
  });

  // Chứng kiến (seed 000 step 3): the supervising VP and the second named witness each confirm once.
  router.post('/correction-requests/:id/confirm', async (req, res) => {
    const body = parse(ConfirmBody, req.body ?? {});
    res.json(
      await step(db, req, 'confirm', async (trx, rec, user, now) => {
        if (rec.procedure === 'admin') throw new AppError('conflict', 'correctionNoConfirmations');
        if (user.id === rec.requestedBy) throw new AppError('forbidden', 'correctionSelfConfirm');
        const gb = await loadGradebook(trx, rec.classId, rec.subjectId, rec.semesterId);
        const party = user.id === rec.witnessUserId ? 'witness' : isSupervisingVp(user.principal, gb) ? 'vp' : null;
        if (!party) throw new AppError('forbidden', 'correctionNotConfirmer');
        // A witness who is also the approver or the confirming VP is not a fourth person.
        if (party === 'witness' && (user.id === rec.decidedBy || user.id === rec.vpUserId)) throw new AppError('forbidden', 'correctionWitnessIsParty');
        if (rec.status !== 'approved') throw new AppError('conflict', 'correctionNotApproved', { status: t(lang(req), `correctionStatus_${rec.status}`) });
        const l = lang(req);
        if (party === 'witness' && rec.witnessConfirmedAt) throw new AppError('conflict', 'correctionAlreadyConfirmed', { party: t(l, 'correctionParty_witness'), name: rec.witnessName ?? '' });
        if (party === 'vp' && rec.vpConfirmedAt) throw new AppError('conflict', 'correctionAlreadyConfirmed', { party: t(l, 'correctionParty_vp'), name: rec.vpName ?? '' });
        let witness: number | undefined;
        if (body.witnessUserId !== undefined && body.witnessUserId !== rec.witnessUserId) {
          // The VP may name the second witness if nobody has been named yet; a named witness is not replaced silently.
          if (rec.witnessUserId !== null || party !== 'vp') throw new AppError('conflict', 'correctionWitnessAlreadyNamed');
          await checkWitness(trx, gb, body.witnessUserId, rec.requestedBy, user.id);
          await refuseWitnessParty(trx, { ...rec, vpUserId: user.id }, body.witnessUserId);
          witness = body.witnessUserId;
        }
        // Seed 000 needs a second named witness: a VP confirming with nobody named would leave the request stuck.
        if (party === 'vp' && rec.witnessUserId === null && witness === undefined) {
          throw new AppError('invalid', 'validation', {}, { witnessUserId: { key: 'correctionWitnessRequired' } });
        }
        const update = party === 'witness' ? { witness_confirmed_at: now } : { vp_user_id: user.id, vp_confirmed_at: now, ...(witness ? { witness_user_id: witness } : {}) };
        const n = await trx('correction_requests')
          .where({ id: rec.id, status: 'approved' })
          .whereNull(party === 'witness' ? 'witness_confirmed_at' : 'vp_confirmed_at')
          .update({ ...update, updated_at: now });
        if (n !== 1) throw new AppError('conflict', 'correctionChangedMeanwhile');
        if (witness) await addEvent(trx, rec.id, user.id, 'witness_named', now);
        await addEvent(trx, rec.id, user.id, party === 'witness' ? 'confirmed_witness' : 'confirmed_vp', now, body.note ?? null);
      }),
    );
  });

  // The requester withdraws a request that has not been applied.
  router.post('/correction-requests/:id/cancel', async (req, res) => {
    const body = parse(CancelBody, req.body ?? {});
    res.json(
      await step(db, req, 'cancel', async (trx, rec, user, now) => {
        if (user.id !== rec.requestedBy) throw new AppError('forbidden', 'correctionCancelNotAllowed');
        if (rec.status !== 'pending' && rec.status !== 'approved') throw new AppError('conflict', 'correctionNotPending', { status: t(lang(req), `correctionStatus_${rec.status}`) });
        const n = await trx('correction_requests').where({ id: rec.id, status: rec.status }).update({ status: 'cancelled', open_key: null, updated_at: now });
        if (n !== 1) throw new AppError('conflict', 'correctionChangedMeanwhile');
        await addEvent(trx, rec.id, user.id, 'cancelled', now, body.note ?? null);
      }),
    );
  });

  router.post('/correction-requests/:id/apply', async (req, res) => {
    parse(EmptyBody, req.body ?? {});
    userOf(req);
    const rec = await db.transaction(async (trx) => applyCorrection(trx, actorOf(req), await requestOf(trx, req), nowIso()));
    res.json(rec);
  });

  // Biên bản: for the principal, VPs (who file them), the records clerk (who archives them) and the parties.
  router.get('/correction-requests/:id/minutes', async (req, res) => {
    const user = userOf(req);
    const rec = await requestOf(db, req);
    const reader =
      MINUTES_READERS.some((r) => holdsRole(user.principal, rec.schoolId, r)) ||
      [rec.requestedBy, rec.witnessUserId, rec.appliedBy].includes(user.id);
    if (!reader || !can(user.principal, 'show', 'correction-requests', attributes(rec))) throw forbidden();
    const row = (await db('correction_requests').where({ id: rec.id }).first('minutes_pdf')) as { minutes_pdf: Buffer | null };
    if (!row.minutes_pdf) throw new AppError('not_found', 'correctionNoMinutes');
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="bien-ban-sua-diem-${rec.id}.pdf"`);
    res.send(Buffer.from(row.minutes_pdf));
  });

  return router;
}

async function requestOf(conn: Knex | Knex.Transaction, req: Request): Promise<CorrectionRequest> {
  const rid = Number(req.params.id);
  const rec = Number.isInteger(rid) && rid > 0 ? await loadRequest(conn, rid) : null;
  if (!rec) throw notFound('correction-requests', String(req.params.id));
  return rec;
}

/** One state change of a request: checks and update by `change`, then the audit row, all in one transaction. */
async function step(
  db: Db,
  req: Request,
  action: string,
  change: (trx: Knex.Transaction, rec: CorrectionRequest, user: AuthedUser, now: string) => Promise<void>,
): Promise<CorrectionRequest> {
  const user = userOf(req);
  return db.transaction(async (trx) => {
    const now = nowIso();
    const before = await requestOf(trx, req);
    if (!user.principal.grants.some((g) => g.schoolId === before.schoolId)) throw forbidden();
    await change(trx, before, user, now);
    const after = (await loadRequest(trx, before.id))!;
    await appendAudit(trx, actorOf(req), { action, entity: 'correction-requests', entityId: before.id, schoolId: before.schoolId, before: summary(before), after: summary(after) });
    return after;
  });
}
