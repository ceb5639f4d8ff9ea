/**
 * The entry provider: what each subject teacher still owes of their grade books, as of an instant (domain/progress
 * slots, the same counting as the progress page). Used by the yearly entry milestones, the weekly cutoff rule and
 * the principal's monthly inspection.
 */
import type { Knex } from 'knex';
import { overdueCellsOf, slotsOf, type OverdueCell } from '../../domain/progress';
import { vnDateOf, type ChainRole, type Debt, type DebtDetail, type MilestoneScope } from '../../domain/timeline';
import { loadSettings } from '../gradebook/guards';
import { bookKey, holidaysOf, loadBooks, rosters, studentFills, testDatesOf, type Book } from '../progress/queries';
import { columnLabel } from '../progress/report';
import type { ChainIndex } from './chain';

type Conn = Knex | Knex.Transaction;
const DAY = 86_400_000;

export interface EntryQuery {
  scope: MilestoneScope;
  /** Cells due at or before this instant count. */
  dueBy: string;
  /** Cells due at or before this instant do not (the weekly reminder counts only this week's). */
  dueAfter?: string;
  /** The step's instant: overdue days are counted to it. */
  at: string;
  /** Weekly escalation: the year's cutoffs, to count how many a missing cell has passed. */
  cutoffs?: string[];
}

import { inScope } from '../../domain/timeline/scope';
export { inScope };

const SEMESTER_NAME = ['', 'HK I', 'HK II'];

interface Acc {
  debt: Debt;
  oldestDue: number;
}

function addBook(acc: Map<number, Acc>, userId: number, b: Book, sem: { id: number; number: number }, cells: OverdueCell[], chain: Record<ChainRole, number[]>, at: number): void {
  const detail: DebtDetail = {
    classId: b.classId,
    className: b.className,
    subjectId: b.subjectId,
    subjectName: `${b.subjectName}${SEMESTER_NAME[sem.number] ? ` – ${SEMESTER_NAME[sem.number]}` : ''}`,
    semesterId: sem.id,
    columns: [...new Set(cells.map((c) => `${c.kind}:${c.seq}`))]
      .map((k) => k.split(':'))
      .sort(([ka, sa], [kb, sb]) => KIND_ORDER[ka as OverdueCell['kind']] - KIND_ORDER[kb as OverdueCell['kind']] || Number(sa) - Number(sb))
      // Column names as the progress page writes them (TT22: ĐĐGtx n, ĐĐGgk, ĐĐGck); messages are Vietnamese.
      .map(([k, s]) => columnLabel('vi', k, Number(s))),
    missing: cells.length,
    overdueDays: Math.max(0, ...cells.map((c) => Math.floor((at - Date.parse(c.due)) / DAY))),
    link: `/gradebook?classId=${b.classId}&subjectId=${b.subjectId}&semesterId=${sem.id}`,
  };
  const oldest = Math.min(...cells.map((c) => Date.parse(c.due)));
  const cur = acc.get(userId);
  if (!cur) {
    acc.set(userId, { debt: { personId: userId, personName: b.teacherName, missing: cells.length, details: [detail], chain: { ...chain } }, oldestDue: oldest });
    return;
  }
  cur.debt.missing += cells.length;
  cur.debt.details.push(detail);
  cur.oldestDue = Math.min(cur.oldestDue, oldest);
  for (const role of Object.keys(chain) as ChainRole[]) cur.debt.chain[role] = [...new Set([...(cur.debt.chain[role] ?? []), ...chain[role]])].sort((x, y) => x - y);
}

const KIND_ORDER = { regular: 0, midterm: 1, final: 2 } as const;

/** Every subject teacher who owes cells under the query, with their grade books, in one pass per semester. */
export async function entryDebts(conn: Conn, schoolYearId: number, q: EntryQuery, chain: ChainIndex): Promise<Debt[]> {
  const year = (await conn('school_years').where({ id: schoolYearId }).first('school_id')) as { school_id: number };
  const settings = await loadSettings(conn, Number(year.school_id));
  const books = (await loadBooks(conn, schoolYearId)).filter((b) => inScope(q.scope, b));
  if (books.length === 0) return [];
  const dueBy = Date.parse(q.dueBy);
  const dueAfter = q.dueAfter ? Date.parse(q.dueAfter) : -Infinity;
  const at = Date.parse(q.at);
  const sems = (await conn('semesters').where({ school_year_id: schoolYearId }).where('start_date', '<=', vnDateOf(q.dueBy)).orderBy('number')) as Array<Record<string, unknown>>;
  const classIds = [...new Set(books.map((b) => b.classId))];
  const [roster, holidays] = await Promise.all([rosters(conn, schoolYearId, classIds), holidaysOf(conn, schoolYearId)]);
  const acc = new Map<number, Acc>();
  for (const s of sems) {
    const sem = { id: Number(s.id), number: Number(s.number), startDate: String(s.start_date), endDate: String(s.end_date), holidays };
    const [fills, testDates] = await Promise.all([studentFills(conn, sem.id, classIds), testDatesOf(conn, sem.id)]);
    for (const b of books) {
      const userId = chain.userOfStaff(b.teacherId);
      if (userId === null) continue;
      const slots = slotsOf(b.regularCount, testDates.get(bookKey(b.classId, b.subjectId)) ?? { midterm: null, final: null }, sem, settings);
      if (!slots.some((sl) => Date.parse(sl.due) <= dueBy && Date.parse(sl.due) > dueAfter)) continue;
      const cells: OverdueCell[] = [];
      for (const st of roster.get(b.classId) ?? []) {
        const fill = fills.get(`${b.classId}:${b.subjectId}:${st.id}`) ?? { regularSeqs: [], midterm: false, final: false };
        for (const c of overdueCellsOf(slots, b.regularCount, fill, q.dueBy)) if (Date.parse(c.due) > dueAfter) cells.push(c);
      }
      if (cells.length) addBook(acc, userId, b, sem, cells, chain.above(b.grade, b.departmentId), at);
    }
  }
  const debts = [...acc.values()].map(({ debt, oldestDue }) => {
    if (q.cutoffs) debt.overdueWeeks = q.cutoffs.filter((c) => Date.parse(c) >= oldestDue && Date.parse(c) <= dueBy).length;
    return debt;
  });
  return debts.sort((a, b) => a.personId - b.personId);
}
