/**
 * Where each student of a school year stands for sync: the year's transcript version (sealed, revoked, still being
 * signed and by whom, or none) and what earlier batches did with the record. The decision itself is pure
 * (domain/sync/rules.ts `decideEntry`).
 */
import { decideEntry, NO_HISTORY, type SyncDecision, type SyncEvent, type SyncHistory, type SyncRecordStatus, type TranscriptState } from '../../domain/sync/rules';
import type { Conn } from '../transcripts/store';
import { chainStateOf, listVersions, signaturesOf, type VersionRow } from '../transcripts/store';
import { loadSigners, missingOf } from '../transcripts/chain';

/** The seal is the school's, not a person's: named as such in a not-ready reason. */
const SEAL_NAME = 'con dấu số của trường';

export interface StudentSync {
  studentId: number;
  studentCode: string;
  fullName: string;
  className: string;
  classId: number;
  grade: number;
  transcriptId: number | null;
  transcriptUid: string | null;
  /** The version the decision is about (sealed or revoked), with what the manifest needs. */
  version: { id: number; version: number; sha256: string | null; reason: string | null } | null;
  decision: SyncDecision;
  /** What became of the record's last entry in a batch (null when never in one): tells "rejected" from "ready". */
  lastStatus: SyncRecordStatus | null;
  /** The receiver's reason when it rejected that entry (stored JSON, read by server/sync/queries.ts). */
  lastReason: string | null;
  /** The stored year result waits for a retest or summer training (Điều 12–14): synced by the later deadline. */
  awaitingSummer: boolean;
}

/** Where a student stands now (the page's students list, the milestones' counts and reminders). */
export type StudentSyncStatus = 'not_ready' | 'ready' | 'sent' | 'accepted' | 'rejected' | 'nothing';

/**
 * Not ready; accepted (the receiver holds the version in force, or its revocation); nothing of this year to send; or,
 * for a record to send, what became of its last entry: rejected, sent without an answer, else ready.
 */
export function syncStatusOf(s: StudentSync): StudentSyncStatus {
  const d = s.decision;
  if (d.kind === 'not_ready') return 'not_ready';
  if (d.kind === 'skip') return d.why === 'upToDate' ? 'accepted' : 'nothing';
  return s.lastStatus === 'rejected' || s.lastStatus === 'sent' ? s.lastStatus : 'ready';
}

type History = SyncHistory & { lastStatus: SyncRecordStatus | null; lastReason: string | null };

export async function studentsForSync(conn: Conn, schoolId: number, schoolYearId: number, filter: { classId?: number } = {}): Promise<StudentSync[]> {
  const q = conn('enrolments as e')
    .join('students as s', 's.id', 'e.student_id')
    .join('classes as c', 'c.id', 'e.class_id')
    .leftJoin('transcripts as t', 't.student_id', 's.id')
    .leftJoin('student_year_results as yr', function () {
      this.on('yr.student_id', '=', 'e.student_id').andOn('yr.school_year_id', '=', 'e.school_year_id');
    })
    .where({ 'e.school_year_id': schoolYearId, 'e.school_id': schoolId, 'e.status': 'active' })
    .orderBy('c.name')
    .orderBy('s.full_name')
    .orderBy('s.id')
    .select('s.id as student_id', 's.student_code', 's.full_name', 'c.name as class_name', 'c.id as class_id', 'c.grade', 't.id as transcript_id', 't.transcript_uid', 'yr.decision as year_decision');
  if (filter.classId) q.where('e.class_id', filter.classId);
  const rows = (await q) as Array<Record<string, unknown>>;
  const transcriptIds = rows.filter((r) => r.transcript_id !== null).map((r) => Number(r.transcript_id));
  const versions = transcriptIds.length ? await listVersions(conn, (qb) => qb.whereIn('v.transcript_id', transcriptIds).where('v.school_year_id', schoolYearId)) : [];
  const reasons = await revocationReasons(conn, versions);
  const missing = await missingByVersion(conn, schoolId, versions);
  const history = await historyOf(conn, transcriptIds);
  const byTranscript = new Map<number, VersionRow[]>();
  for (const v of versions) byTranscript.set(v.transcriptId, [...(byTranscript.get(v.transcriptId) ?? []), v]);
  const seen = new Set<number>();
  const out: StudentSync[] = [];
  for (const r of rows) {
    const studentId = Number(r.student_id);
    if (seen.has(studentId)) continue; // two enrolments of the same year (a move between classes): one line
    seen.add(studentId);
    const tid = r.transcript_id === null ? null : Number(r.transcript_id);
    const { state, version } = stateOf(byTranscript.get(tid ?? -1) ?? [], missing, reasons);
    const past = tid === null ? undefined : history.get(tid);
    out.push({
      studentId,
      studentCode: String(r.student_code),
      fullName: String(r.full_name),
      className: String(r.class_name),
      classId: Number(r.class_id),
      grade: Number(r.grade),
      transcriptId: tid,
      transcriptUid: r.transcript_uid === null ? null : String(r.transcript_uid),
      version,
      decision: decideEntry(state, past ?? NO_HISTORY),
      lastStatus: past?.lastStatus ?? null,
      lastReason: past?.lastReason ?? null,
      awaitingSummer: r.year_decision === 'retest' || r.year_decision === 'summer_training',
    });
  }
  return out;
}

/** The year's versions of one transcript, as one state: the sealed one in force, else the latest's status. */
function stateOf(versions: VersionRow[], missing: Map<number, string[]>, reasons: Map<number, string | null>): { state: TranscriptState; version: StudentSync['version'] } {
  const sealed = versions.find((v) => v.status === 'sealed');
  const latest = [...versions].sort((a, b) => b.version - a.version)[0];
  const pick = sealed ?? latest;
  if (!pick) return { state: { kind: 'none' }, version: null };
  const version = { id: pick.id, version: pick.version, sha256: pick.sha256, reason: reasons.get(pick.id) ?? null };
  switch (pick.status) {
    case 'sealed':
      return { state: { kind: 'sealed', versionId: pick.id, version: pick.version }, version };
    case 'revoked':
      return { state: { kind: 'revoked', versionId: pick.id, version: pick.version, reason: version.reason }, version };
    case 'superseded':
      return { state: { kind: 'superseded' }, version };
    default:
      return { state: { kind: 'open', versionId: pick.id, missing: missing.get(pick.id) ?? [] }, version: null };
  }
}

/** Who still has to sign each open version ("Nguyễn Văn A (Toán)", "… (con dấu)"). */
async function missingByVersion(conn: Conn, schoolId: number, versions: VersionRow[]): Promise<Map<number, string[]>> {
  const open = versions.filter((v) => v.status === 'draft' || v.status === 'signing');
  const out = new Map<number, string[]>();
  if (open.length === 0) return out;
  const signers = await loadSigners(conn, schoolId, open);
  const sigs = await signaturesOf(conn, open.map((v) => v.id));
  for (const v of open) out.set(v.id, missingOf(signers, v, chainStateOf(v, sigs.get(v.id) ?? [])).map((m) => (m.step === 'seal' ? SEAL_NAME : m.name)));
  return out;
}

async function revocationReasons(conn: Conn, versions: VersionRow[]): Promise<Map<number, string | null>> {
  const revoked = versions.filter((v) => v.status === 'revoked').map((v) => v.id);
  if (revoked.length === 0) return new Map();
  const rows = (await conn('transcript_versions').whereIn('id', revoked).select('id', 'reason')) as Array<{ id: number; reason: string | null }>;
  return new Map(rows.map((r) => [Number(r.id), r.reason]));
}

/** Per transcript: the highest phienban used, whether it ever went out, the last accepted entry and the last status. */
async function historyOf(conn: Conn, transcriptIds: number[]): Promise<Map<number, History>> {
  const out = new Map<number, History>();
  for (let i = 0; i < transcriptIds.length; i += 500) {
    const rows = (await conn('sync_records')
      .whereIn('transcript_id', transcriptIds.slice(i, i + 500))
      .whereNotNull('sukien')
      .orderBy('id')
      .select('transcript_id', 'version_id', 'sukien', 'phienban', 'status', 'reason')) as Array<Record<string, unknown>>;
    for (const r of rows) {
      const tid = Number(r.transcript_id);
      const h = out.get(tid) ?? { ...NO_HISTORY, lastStatus: null, lastReason: null };
      h.lastStatus = r.status as SyncRecordStatus;
      h.lastReason = r.reason === null || r.reason === undefined ? null : String(r.reason);
      h.maxPhienban = Math.max(h.maxPhienban, Number(r.phienban ?? 0));
      if (r.status !== 'ready') h.everSent = true;
      if (r.status === 'accepted') h.lastAccepted = { versionId: r.version_id === null ? null : Number(r.version_id), sukien: r.sukien as SyncEvent };
      out.set(tid, h);
    }
  }
  return out;
}
