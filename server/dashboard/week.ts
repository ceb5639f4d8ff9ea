import { can, progressReach, type Principal } from '../../domain/permissions';
import type { Db } from '../db/knex';
import { principalOf, type Actor } from '../core/actor';
import type { Lang } from '../core/i18n';
import { AppError } from '../core/errors';
import { context, inputs } from '../progress/view';
import { summarise, tallyBook } from '../progress/report';

/**
 * Each role's week on the home page (trang chủ): for a teacher, their grade books with what is due before this
 * week's cutoff (Friday 15:00 by default) and what is already overdue; for those who supervise (a vice principal,
 * a department head, a homeroom teacher for their class, the principal, academic staff), their scope's progress
 * and who is furthest behind; for the principal, the requests waiting for their decision. Counted by the same
 * rules as the progress page (domain/progress.ts), and only over what the actor may see.
 */
export async function myWeek(db: Db, actor: Actor, l: Lang) {
  const principal = principalOf(actor);
  const [progress, pending] = await Promise.all([progressPart(db, actor, principal, l), pendingApprovals(db, principal)]);
  return { ...progress, pending };
}

async function progressPart(db: Db, actor: Actor, principal: Principal, l: Lang) {
  const schoolId = actor.schoolId;
  if (schoolId === null || !progressReach(principal, schoolId)) return { week: null, semester: null, teaching: [], scope: null };
  const ctx = await context(db, actor, {}).catch((e: unknown) => {
    if (e instanceof AppError && e.kind === 'not_found') return null; // no current school year yet
    throw e;
  });
  if (!ctx) return { week: null, semester: null, teaching: [], scope: null };
  const x = await inputs(db, ctx);
  const own = ctx.books.filter((b) => principal.staffId != null && b.teacherId === principal.staffId);
  const teaching = own
    .map((b) => {
      const t = tallyBook(b, x);
      return {
        classId: b.classId,
        className: b.className,
        subjectId: b.subjectId,
        subjectName: b.subjectName,
        semesterId: ctx.semester.id,
        dueThisWeek: t.week.required - t.week.entered,
        overdueCells: t.overdueCells,
        maxOverdueHours: t.maxOverdueHours,
      };
    })
    // Overdue first (the oldest first), then what is due this week.
    .sort((a, b) => (b.maxOverdueHours ?? -1) - (a.maxOverdueHours ?? -1) || b.dueThisWeek - a.dueThisWeek);
  // A scope beyond the actor's own grade books: what they supervise.
  const others = ctx.books.filter((b) => !own.includes(b));
  const scope = others.length === 0 ? null : scopeOf(summarise(ctx.books, x, 'teacher', false, l));
  return { week: x.week, semester: { id: ctx.semester.id, number: ctx.semester.number }, teaching, scope };
}

function scopeOf(s: ReturnType<typeof summarise>) {
  const late = s.rows.filter((r) => r.overdueCells > 0);
  return {
    ...s.totals,
    teachers: s.rows.length,
    teachersLate: late.length,
    furthestBehind: late
      .sort((a, b) => b.overdueCells - a.overdueCells)
      .slice(0, 5)
      .map((r) => ({ teacherId: r.key, teacherName: r.label, overdueCells: r.overdueCells, maxOverdueHours: r.maxOverdueHours })),
  };
}

/** The menu's badges: the requests waiting for this actor's decision, zero for those who decide none. */
export async function pendingCounts(db: Db, actor: Actor) {
  return (await pendingApprovals(db, principalOf(actor))) ?? { unlockRequests: 0, correctionRequests: 0 };
}

/** Requests waiting for this actor's decision (the principal's: unlocks and corrections), per kind. */
export async function pendingApprovals(db: Db, principal: Principal): Promise<{ unlockRequests: number; correctionRequests: number } | null> {
  const schools = [...new Set(principal.grants.map((g) => g.schoolId))];
  const unlock = schools.filter((schoolId) => can(principal, 'approve', 'unlock-requests', { schoolId }));
  const correction = schools.filter((schoolId) => can(principal, 'approve', 'correction-requests', { schoolId }));
  if (unlock.length + correction.length === 0) return null;
  const count = async (table: string, ids: number[]) =>
    ids.length === 0 ? 0 : Number(((await db(table).whereIn('school_id', ids).where({ status: 'pending' }).count({ n: '*' }).first()) as { n: number | string }).n);
  const [unlockRequests, correctionRequests] = await Promise.all([count('unlock_requests', unlock), count('correction_requests', correction)]);
  return { unlockRequests, correctionRequests };
}
