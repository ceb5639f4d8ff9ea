import { inSyncScope, type Debt, type DebtDetail, type MilestoneScope } from '../../domain/timeline';
import { studentsForSync, syncStatusOf, type StudentSync } from '../sync/readiness';
import type { Conn } from '../transcripts/store';
import type { ChainIndex } from './chain';

/**
 * The timeline's sync provider (milestones "Đồng bộ … lên CSDL Bộ", issue 13): the dashboard's figure is the share of
 * students in the milestone's scope whose transcript in force the receiver has accepted (or whose revocation it has);
 * reminders and escalations name, per class, the students still owed to the ministry and where each one is stuck.
 * The milestone builds no batch itself: a batch is sealed with the school seal, whose PIN only a person gives
 * (docs/sync.md) — so the reminder sends the vice principal to "Đồng bộ CSDL" instead.
 */
export async function syncCompletion(conn: Conn, schoolId: number, schoolYearId: number, scope: MilestoneScope): Promise<SyncFigure> {
  return syncCounter(await studentsForSync(conn, schoolId, schoolYearId))(scope);
}

export type SyncFigure = { available: true; required: number; entered: number; percent: number | null };

/** The figure for any scope over students already read (the office counts a school and each of its classes from one read). */
export function syncCounter(all: StudentSync[]): (scope: MilestoneScope) => SyncFigure {
  return (scope) => {
    const students = all.filter((s) => inSyncScope(scope, s));
    const entered = students.filter(isAccepted).length;
    const required = students.length;
    return { available: true, required, entered, percent: required === 0 ? null : Math.floor((entered / required) * 1000) / 10 };
  };
}

/** The receiver holds the student's transcript in force (or its revocation): nothing left to send. */
export const isAccepted = (s: StudentSync) => syncStatusOf(s) === 'accepted';


/** Where a student still owed to the ministry is stuck. */
type Stuck = 'noTranscript' | 'notReady' | 'rejected' | 'sent' | 'awaitingUpload' | 'ready';

/** The student's status (syncStatusOf), told finer for a reminder: why not ready, and a ZIP nobody has downloaded. */
function stuckOf(s: StudentSync): Stuck | null {
  const status = syncStatusOf(s);
  switch (status) {
    case 'accepted':
    case 'nothing':
      return null;
    case 'not_ready':
      return s.decision.kind === 'not_ready' && s.decision.why.key === 'syncNoTranscript' ? 'noTranscript' : 'notReady';
    case 'ready':
      return s.lastStatus === 'ready' ? 'awaitingUpload' : 'ready'; // in a ZIP batch nobody has downloaded yet
    default:
      return status;
  }
}

const STUCK_WORDS: Record<Stuck, string> = {
  noTranscript: 'chưa lập học bạ',
  notReady: 'chưa đủ chữ ký hoặc chưa đóng dấu',
  rejected: 'bị từ chối, cần sửa và gửi lại',
  sent: 'đã gửi, chưa có kết quả tiếp nhận',
  awaitingUpload: 'đã vào đợt xuất ZIP, chờ tải về nộp lên cổng',
  ready: 'sẵn sàng gửi',
};
const ORDER: Stuck[] = ['noTranscript', 'notReady', 'rejected', 'sent', 'awaitingUpload', 'ready'];

/**
 * Per vice principal supervising the grade (the principal when the grade has none): the students of the milestone's
 * scope not yet accepted, one detail per class, e.g. "10A1: 5 học sinh chưa được tiếp nhận — 2 sẵn sàng gửi, 3 chưa
 * đủ chữ ký hoặc chưa đóng dấu". Above them: the principal.
 */
export async function syncDebts(conn: Conn, schoolId: number, schoolYearId: number, scope: MilestoneScope, chain: ChainIndex): Promise<Debt[]> {
  const owed = (await studentsForSync(conn, schoolId, schoolYearId)).filter((s) => inSyncScope(scope, s)).flatMap((s) => {
    const stuck = stuckOf(s);
    return stuck ? [{ s, stuck }] : [];
  });
  if (owed.length === 0) return [];
  const names = await userNames(conn, [...new Set([...chain.principals, ...owed.flatMap(({ s }) => chain.above(s.grade, null).vicePrincipal)])]);
  const acc = new Map<number, { debt: Debt; classes: Map<number, { detail: DebtDetail; counts: Map<Stuck, number> }> }>();
  for (const { s, stuck } of owed) {
    const vps = chain.above(s.grade, null).vicePrincipal;
    for (const personId of vps.length ? vps : chain.principals.slice(0, 1)) {
      const entry = acc.get(personId) ?? { debt: { personId, personName: names.get(personId) ?? '', missing: 0, details: [], chain: { principal: chain.principals } }, classes: new Map() };
      acc.set(personId, entry);
      const c = entry.classes.get(s.classId) ?? { detail: { classId: s.classId, className: s.className, missing: 0, link: `/sync?schoolYearId=${schoolYearId}&classId=${s.classId}` }, counts: new Map() };
      entry.classes.set(s.classId, c);
      c.detail.missing++;
      c.counts.set(stuck, (c.counts.get(stuck) ?? 0) + 1);
      entry.debt.missing++;
    }
  }
  return [...acc.values()]
    .map(({ debt, classes }) => ({
      ...debt,
      details: [...classes.values()]
        .sort((a, b) => a.detail.className!.localeCompare(b.detail.className!, 'vi'))
        .map(({ detail, counts }) => ({ ...detail, text: `${detail.missing} học sinh chưa được tiếp nhận — ${ORDER.filter((k) => counts.has(k)).map((k) => `${counts.get(k)} ${STUCK_WORDS[k]}`).join(', ')}` })),
    }))
    .sort((a, b) => a.personId - b.personId);
}

async function userNames(conn: Conn, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = (await conn('users').whereIn('id', ids).select('id', 'full_name')) as Array<{ id: number; full_name: string }>;
  return new Map(rows.map((r) => [Number(r.id), r.full_name]));
}
