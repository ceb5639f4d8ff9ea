import { z } from 'zod';
import { nowIso } from '../db/knex';
import type { ResourceDef } from '../core/resource';
import { entityId, invalid, num, numOrNull, strOrNull } from './common';
import { POSTS, revokeAccountOfStaff } from './staff';
import { isoDate, optionalText } from '../core/fields';
import { assertInSchool, insertReturningId } from '../core/records';

/**
 * Thay đổi chức vụ: a change of post (or leaving the school) recorded with its date (Quy chế Học bạ số, seed 002
 * Điều 7.4). Creating one also updates the staff record; leaving disables the person's account at once.
 */
export interface StaffPostChange {
  id: number;
  schoolId: number;
  staffId: number;
  /** Read only: the post and department before the change (`left` when re-joining). */
  fromPost: string | null;
  toPost: string;
  fromDepartmentId: number | null;
  toDepartmentId: number | null;
  effectiveDate: string;
  note: string | null;
}

const TO_POSTS = [...POSTS, 'left'] as const;

const PostChangeInput = z.strictObject({
  staffId: entityId,
  toPost: z.enum(TO_POSTS),
  // Omitted: the department stays as it is.
  toDepartmentId: entityId.nullish(),
  effectiveDate: isoDate,
  note: optionalText(500),
});
type Input = z.output<typeof PostChangeInput>;

export const staffPostChangesResource: ResourceDef<StaffPostChange> = {
  name: 'staff-post-changes',
  table: 'staff_post_changes',
  baseQuery: (conn) =>
    conn('staff_post_changes').join('staff', 'staff.id', 'staff_post_changes.staff_id').select('staff_post_changes.*'),
  fields: {
    id: { column: 'staff_post_changes.id', type: 'number' },
    staffId: { column: 'staff_post_changes.staff_id', type: 'number' },
    fromPost: { column: 'staff_post_changes.from_post', type: 'string' },
    toPost: { column: 'staff_post_changes.to_post', type: 'string' },
    fromDepartmentId: { column: 'staff_post_changes.from_department_id', type: 'number' },
    toDepartmentId: { column: 'staff_post_changes.to_department_id', type: 'number' },
    effectiveDate: { column: 'staff_post_changes.effective_date', type: 'string' },
  },
  searchColumns: ['staff.search_text'],
  defaultSort: 'effectiveDate',
  readOnly: ['fromPost', 'fromDepartmentId'],
  toApi: (r) => ({
    id: num(r.id),
    schoolId: num(r.school_id),
    staffId: num(r.staff_id),
    fromPost: strOrNull(r.from_post),
    toPost: String(r.to_post),
    fromDepartmentId: numOrNull(r.from_department_id),
    toDepartmentId: numOrNull(r.to_department_id),
    effectiveDate: String(r.effective_date),
    note: strOrNull(r.note),
  }),
  applyScope: (qb, scope) => {
    if (scope.kind === 'department') {
      qb.where((w) =>
        w
          .whereIn('staff_post_changes.from_department_id', scope.departmentIds)
          .orWhereIn('staff_post_changes.to_department_id', scope.departmentIds),
      );
    } else qb.whereRaw('1 = 0');
  },
  attributes: (rec) => ({ schoolId: rec.schoolId, departmentId: rec.toDepartmentId ?? rec.fromDepartmentId }),
  create: {
    schema: PostChangeInput,
    insert: async (raw, ctx) => {
      const c = raw as Input;
      await assertInSchool(ctx.trx, 'staff', c.staffId, ctx.schoolId, 'staffId');
      await assertInSchool(ctx.trx, 'departments', c.toDepartmentId, ctx.schoolId, 'toDepartmentId');
      const staff = (await ctx.trx('staff').where({ id: c.staffId }).first('post', 'department_id', 'status')) as {
        post: string;
        department_id: number | null;
        status: string;
      };
      const fromPost = staff.status === 'left' ? 'left' : staff.post;
      const fromDepartmentId = numOrNull(staff.department_id);
      let toDepartmentId: number | null;
      if (c.toPost === 'left') {
        // Someone who already left can only come back to a post.
        if (fromPost === 'left') throw invalid('toPost', 'badChoice', { options: POSTS.join(', ') });
        if (c.toDepartmentId !== null && c.toDepartmentId !== undefined) {
          throw invalid('toDepartmentId', 'unknownKey', { keys: 'toDepartmentId' });
        }
        toDepartmentId = null;
        // The staff record keeps the last post and department; the account goes at once (Điều 7.4).
        await ctx.trx('staff').where({ id: c.staffId }).update({ status: 'left', updated_at: nowIso() });
        await revokeAccountOfStaff(ctx, c.staffId, c.note ?? null);
      } else {
        toDepartmentId = c.toDepartmentId === undefined ? fromDepartmentId : c.toDepartmentId;
        await ctx
          .trx('staff')
          .where({ id: c.staffId })
          .update({ post: c.toPost, department_id: toDepartmentId, status: 'active', updated_at: nowIso() });
      }
      return insertReturningId(ctx.trx, 'staff_post_changes', {
        school_id: ctx.schoolId,
        staff_id: c.staffId,
        from_post: fromPost,
        to_post: c.toPost,
        from_department_id: fromDepartmentId,
        to_department_id: toDepartmentId,
        effective_date: c.effectiveDate,
        note: c.note,
        created_at: nowIso(),
      });
    },
  },
};
