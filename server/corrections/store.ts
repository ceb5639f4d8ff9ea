import type { Knex } from 'knex';
import type { RecordAttributes, Scope } from '../../domain/permissions';
import type { FieldMap } from '../core/list-query';
import type { ResourceDef } from '../core/resource';

type Conn = Knex | Knex.Transaction;

export type CorrectionStatus = 'pending' | 'approved' | 'applied' | 'rejected' | 'cancelled';
export type Procedure = 'witnessed' | 'admin';
/** Open requests block another request for the same cell. */
export const OPEN_STATUSES: CorrectionStatus[] = ['pending', 'approved'];

export interface CorrectionEvent {
  at: string;
  userId: number;
  userName: string;
  action: string;
  note: string | null;
}

/** Đề nghị sửa điểm as the API shows it (the minutes' bytes are served separately). */
export interface CorrectionRequest {
  id: number;
  schoolId: number;
  semesterId: number;
  classId: number;
  className: string;
  grade: number;
  subjectId: number;
  subjectName: string;
  departmentId: number | null;
  studentId: number;
  studentName: string;
  kind: 'regular' | 'midterm' | 'final';
  seq: number;
  /** "ĐĐGtx 2", "ĐĐGgk", "ĐĐGck". */
  column: string;
  oldValue: string | null;
  newValue: string | null;
  reason: string;
  closedRule: string;
  closedSince: string | null;
  status: CorrectionStatus;
  procedure: Procedure;
  requestedBy: number;
  requestedByName: string;
  decidedBy: number | null;
  decidedByName: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  vpUserId: number | null;
  vpName: string | null;
  vpConfirmedAt: string | null;
  witnessUserId: number | null;
  witnessName: string | null;
  witnessConfirmedAt: string | null;
  appliedAt: string | null;
  appliedBy: number | null;
  appliedByName: string | null;
  minutesSha256: string | null;
  createdAt: string;
  updatedAt: string;
  history: CorrectionEvent[];
}

export function columnLabel(kind: string, seq: number): string {
  return kind === 'regular' ? `ĐĐGtx ${seq}` : kind === 'midterm' ? 'ĐĐGgk' : 'ĐĐGck';
}

const T = 'correction_requests';

export function baseQuery(conn: Conn): Knex.QueryBuilder {
  return conn(T)
    .join('classes', 'classes.id', `${T}.class_id`)
    .join('subjects', 'subjects.id', `${T}.subject_id`)
    .join('students', 'students.id', `${T}.student_id`)
    .join('users as u_req', 'u_req.id', `${T}.requested_by`)
    .leftJoin('users as u_dec', 'u_dec.id', `${T}.decided_by`)
    .leftJoin('users as u_vp', 'u_vp.id', `${T}.vp_user_id`)
    .leftJoin('users as u_wit', 'u_wit.id', `${T}.witness_user_id`)
    .leftJoin('users as u_app', 'u_app.id', `${T}.applied_by`)
    .select(
      ...[
        'id', 'school_id', 'semester_id', 'class_id', 'subject_id', 'student_id', 'kind', 'seq', 'old_value', 'new_value', 'reason',
        'closed_rule', 'closed_since', 'status', 'procedure', 'requested_by', 'decided_by', 'decided_at', 'decision_note', 'vp_user_id',
        'vp_confirmed_at', 'witness_user_id', 'witness_confirmed_at', 'applied_at', 'applied_by', 'minutes_sha256', 'created_at', 'updated_at',
      ].map((c) => `${T}.${c}`),
      'classes.name as class_name',
      'classes.grade as grade',
      'subjects.name as subject_name',
      'subjects.department_id as department_id',
      'students.full_name as student_name',
      'u_req.full_name as requested_by_name',
      'u_dec.full_name as decided_by_name',
      'u_vp.full_name as vp_name',
      'u_wit.full_name as witness_name',
      'u_app.full_name as applied_by_name',
    );
}

export const fields: FieldMap = {
  id: { column: `${T}.id`, type: 'number' },
  status: { column: `${T}.status`, type: 'string' },
  procedure: { column: `${T}.procedure`, type: 'string' },
  semesterId: { column: `${T}.semester_id`, type: 'number' },
  classId: { column: `${T}.class_id`, type: 'number' },
  subjectId: { column: `${T}.subject_id`, type: 'number' },
  studentId: { column: `${T}.student_id`, type: 'number' },
  kind: { column: `${T}.kind`, type: 'string' },
  requestedBy: { column: `${T}.requested_by`, type: 'number' },
  witnessUserId: { column: `${T}.witness_user_id`, type: 'number' },
  className: { column: 'classes.name', type: 'string' },
  subjectName: { column: 'subjects.name', type: 'string' },
  studentName: { column: 'students.full_name', type: 'string' },
  createdAt: { column: `${T}.created_at`, type: 'string' },
  updatedAt: { column: `${T}.updated_at`, type: 'string' },
};
export const searchColumns = ['students.search_text', 'classes.search_text', 'subjects.search_text'];

const n = (v: unknown) => Number(v);
const nOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const sOrNull = (v: unknown) => (v === null || v === undefined ? null : String(v));

export function toApi(r: Record<string, unknown>): CorrectionRequest {
  return {
    id: n(r.id),
    schoolId: n(r.school_id),
    semesterId: n(r.semester_id),
    classId: n(r.class_id),
    className: String(r.class_name),
    grade: n(r.grade),
    subjectId: n(r.subject_id),
    subjectName: String(r.subject_name),
    departmentId: nOrNull(r.department_id),
    studentId: n(r.student_id),
    studentName: String(r.student_name),
    kind: r.kind as CorrectionRequest['kind'],
    seq: n(r.seq),
    column: columnLabel(String(r.kind), n(r.seq)),
    oldValue: sOrNull(r.old_value),
    newValue: sOrNull(r.new_value),
    reason: String(r.reason),
    closedRule: String(r.closed_rule),
    closedSince: sOrNull(r.closed_since),
    status: r.status as CorrectionStatus,
    procedure: r.procedure === 'admin' ? 'admin' : 'witnessed',
    requestedBy: n(r.requested_by),
    requestedByName: String(r.requested_by_name),
    decidedBy: nOrNull(r.decided_by),
    decidedByName: sOrNull(r.decided_by_name),
    decidedAt: sOrNull(r.decided_at),
    decisionNote: sOrNull(r.decision_note),
    vpUserId: nOrNull(r.vp_user_id),
    vpName: sOrNull(r.vp_name),
    vpConfirmedAt: sOrNull(r.vp_confirmed_at),
    witnessUserId: nOrNull(r.witness_user_id),
    witnessName: sOrNull(r.witness_name),
    witnessConfirmedAt: sOrNull(r.witness_confirmed_at),
    appliedAt: sOrNull(r.applied_at),
    appliedBy: nOrNull(r.applied_by),
    appliedByName: sOrNull(r.applied_by_name),
    minutesSha256: sOrNull(r.minutes_sha256),
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
    history: [],
  };
}

/** Each request's history, one query per page. */
export async function withHistory(recs: CorrectionRequest[], conn: Conn): Promise<CorrectionRequest[]> {
  if (recs.length === 0) return recs;
  const rows = (await conn('correction_events as e')
    .join('users as u', 'u.id', 'e.user_id')
    .whereIn(
      'e.correction_request_id',
      recs.map((r) => r.id),
    )
    .orderBy('e.id')
    .select('e.correction_request_id', 'e.at', 'e.user_id', 'u.full_name', 'e.action', 'e.note')) as Array<Record<string, unknown>>;
  const byRequest = new Map<number, CorrectionEvent[]>();
  for (const r of rows) {
    const list = byRequest.get(n(r.correction_request_id)) ?? [];
    list.push({ at: String(r.at), userId: n(r.user_id), userName: String(r.full_name), action: String(r.action), note: sOrNull(r.note) });
    byRequest.set(n(r.correction_request_id), list);
  }
  return recs.map((r) => ({ ...r, history: byRequest.get(r.id) ?? [] }));
}

/** 'own' reaches the requests a user filed, confirmed as VP, or is named in as witness. */
export function applyScope(qb: Knex.QueryBuilder, scope: Scope): void {
  if (scope.kind !== 'own') return void qb.whereRaw('1 = 0');
  qb.where((w) => w.where(`${T}.requested_by`, scope.userId).orWhere(`${T}.vp_user_id`, scope.userId).orWhere(`${T}.witness_user_id`, scope.userId));
}

export function attributes(rec: CorrectionRequest): RecordAttributes {
  return {
    schoolId: rec.schoolId,
    id: rec.id,
    classId: rec.classId,
    grade: rec.grade,
    departmentId: rec.departmentId,
    userIds: [rec.requestedBy, rec.vpUserId, rec.witnessUserId].filter((u): u is number => u !== null),
  };
}

export async function loadRequest(conn: Conn, id: number): Promise<CorrectionRequest | null> {
  const row = (await baseQuery(conn).where(`${T}.id`, id).first()) as Record<string, unknown> | undefined;
  return row ? (await withHistory([toApi(row)], conn))[0] : null;
}

export async function addEvent(trx: Knex.Transaction, requestId: number, userId: number, action: string, at: string, note: string | null = null): Promise<void> {
  await trx('correction_events').insert({ correction_request_id: requestId, at, user_id: userId, action, note });
}

/** The requests as a record type: listed and shown through the resource mechanism; every step is an operation. */
export const correctionRequestsResource: ResourceDef<CorrectionRequest> = {
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
};
