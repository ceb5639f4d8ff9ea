import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { holdsRole } from '../../domain/permissions';
import { applyChanges, keyOf, loadCells } from '../gradebook/cells';
import { mayWriteGradebook } from '../gradebook/guards';
import { resultInputsChanged } from '../core/events';
import { loadGradebook, type Gradebook } from '../gradebook/target';
import { displayValue, renderMinutes, type MinutesData, type MinutesParty } from './minutes';
import { addEvent, loadRequest, type CorrectionRequest } from './store';
import { appendAudit } from '../core/audit';
import { principalOf, type Actor } from '../core/actor';
import { AppError } from '../core/errors';
import { msg } from '../core/i18n';

/**
 * Applies an approved correction in one transaction (timeline.md, seed 000 step 3, and seed 002's variant):
 * checks the procedure's parties, checks the cell still holds the value the request was filed against, writes the
 * new value past cutoffs and locks (the principal's approval is the authority), audits before/after with the
 * request as the reason, recomputes results, and stores the minutes. If any step fails nothing is written.
 */
export async function applyCorrection(trx: Knex.Transaction, actor: Actor, req: CorrectionRequest, now: string): Promise<CorrectionRequest> {
  const principal = principalOf(actor);
  const userId = principal.userId;
  const gb = await loadGradebook(trx, req.classId, req.subjectId, req.semesterId);
  if (req.status !== 'approved') throw new AppError('conflict', 'correctionNotApproved', { status: msg(`correctionStatus_${req.status}`) });
  if (req.procedure === 'witnessed') {
    // Seed 000: made from the requesting teacher's own account, once the VP and the second witness have confirmed.
    if (userId !== req.requestedBy) throw new AppError('forbidden', 'correctionApplyRequester');
    const missing = [
      ...(req.vpConfirmedAt ? [] : [msg('correctionParty_vp')]),
      ...(req.witnessUserId === null ? [msg('correctionParty_witnessUnnamed')] : req.witnessConfirmedAt ? [] : [msg('correctionParty_witness')]),
    ];
    if (missing.length > 0) throw new AppError('conflict', 'correctionAwaitingConfirmations', { parties: missing });
    if (!(await mayWriteGradebook(trx, principal, gb.target, now))) throw new AppError('forbidden', 'notAssigned');
  } else if (!holdsRole(principal, req.schoolId, 'admin')) {
    // Seed 002: "carried out by the admin, time recorded".
    throw new AppError('forbidden', 'correctionApplyAdmin');
  }

  const existing = await loadCells(trx, gb);
  const current = existing.get(keyOf(req))?.value ?? null;
  if (current !== req.oldValue) {
    throw new AppError('conflict', 'correctionCellChanged', { old: displayValue(req.oldValue, gb.subject.assessmentType), current: displayValue(current, gb.subject.assessmentType) });
  }
  const cell = { studentId: req.studentId, kind: req.kind, seq: req.seq };
  await applyChanges(trx, gb, existing, [{ ...cell, value: req.newValue }], userId, now);
  await appendAudit(trx, actor, {
    action: 'correction_apply',
    entity: 'gradebook',
    entityId: `${gb.klass.id}:${gb.subject.id}:${gb.semester.id}`,
    schoolId: req.schoolId,
    before: { cells: [{ ...cell, value: req.oldValue }] },
    after: { cells: [{ ...cell, value: req.newValue }] },
    reason: `correction-requests/${req.id}`,
  });
  await resultInputsChanged(trx, gb.schoolYearId, gb.klass.id, [req.studentId], 'deferred');

  const pdf = await renderMinutes(await minutesData(trx, gb, req, actor, now));
  const sha = crypto.createHash('sha256').update(pdf).digest('hex');
  const n = await trx('correction_requests')
    .where({ id: req.id, status: 'approved' })
    .update({ status: 'applied', applied_at: now, applied_by: userId, open_key: null, minutes_pdf: pdf, minutes_sha256: sha, updated_at: now });
  if (n !== 1) throw new AppError('conflict', 'correctionChangedMeanwhile');
  await addEvent(trx, req.id, userId, 'applied', now);
  const after = (await loadRequest(trx, req.id))!;
  await appendAudit(trx, actor, { action: 'apply', entity: 'correction-requests', entityId: req.id, schoolId: req.schoolId, before: summary(req), after: summary(after) });
  return after;
}

/** The request without its history, for the audit trail. */
export function summary(r: CorrectionRequest): Omit<CorrectionRequest, 'history'> {
  const { history: _h, ...rest } = r;
  return rest;
}

async function minutesData(trx: Knex.Transaction, gb: Gradebook, req: CorrectionRequest, actor: Actor, now: string): Promise<MinutesData> {
  const school = (await trx('schools').where({ id: req.schoolId }).first('name')) as { name: string };
  const year = (await trx('school_years').where({ id: gb.schoolYearId }).first('name')) as { name: string };
  const parties: MinutesParty[] =
    req.procedure === 'witnessed'
      ? [
          { title: 'Giáo viên đề nghị', name: req.requestedByName },
          { title: 'Phó hiệu trưởng phụ trách', name: req.vpName ?? '', confirmedAt: req.vpConfirmedAt },
          { title: 'Người chứng kiến', name: req.witnessName ?? '', confirmedAt: req.witnessConfirmedAt },
        ]
      : [
          { title: 'Giáo viên đề nghị', name: req.requestedByName },
          { title: 'Hiệu trưởng', name: req.decidedByName ?? '' },
          { title: 'Quản trị hệ thống', name: actor.fullName ?? '' },
        ];
  return {
    requestId: req.id,
    schoolName: school.name,
    appliedAt: now,
    studentName: req.studentName,
    className: req.className,
    subjectName: req.subjectName,
    semesterLabel: `Học kỳ ${gb.semester.number === 1 ? 'I' : 'II'}, năm học ${year.name}`,
    column: req.column,
    assessmentType: gb.subject.assessmentType,
    oldValue: req.oldValue,
    newValue: req.newValue,
    reason: req.reason,
    approval: { name: req.decidedByName ?? '', at: req.decidedAt ?? now, note: req.decisionNote },
    procedure: req.procedure,
    appliedBy: { name: actor.fullName ?? '', username: actor.username ?? '' },
    parties,
  };
}
