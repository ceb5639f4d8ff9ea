import type { Staff } from '../school/staff';
import { searchKey } from '../../domain/text';
import { nowIso } from '../db/knex';
import { num, numOrNull, strOrNull } from '../school/common';
import { POSTS, type Post } from '../school/staff';
import { auditRow, changedFields, type ImportDef, type PlannedRow } from './plan';
import type { ColumnSpec } from './template';
import { RowReader, SeenInFile } from './values';
import { insertReturningId } from '../core/records';

/** Template "Danh sách cán bộ, giáo viên, nhân viên" (docs/import-templates.md). */
const C = {
  fullName: { key: 'fullName', header: 'Họ và tên', aliases: ['Họ tên'], required: true },
  nationalId: { key: 'nationalId', header: 'Mã định danh', aliases: ['Mã định danh cá nhân', 'Số định danh', 'Số định danh cá nhân', 'CCCD', 'Số CCCD'], required: true },
  birthDate: { key: 'birthDate', header: 'Ngày sinh', aliases: ['Ngày tháng năm sinh'] },
  sex: { key: 'sex', header: 'Giới tính' },
  phone: { key: 'phone', header: 'Điện thoại', aliases: ['Số điện thoại', 'SĐT', 'SDT'] },
  email: { key: 'email', header: 'Email', aliases: ['Thư điện tử', 'E-mail'] },
  post: { key: 'post', header: 'Chức vụ', aliases: ['Chức danh', 'Vị trí việc làm'], required: true },
  department: { key: 'department', header: 'Tổ chuyên môn', aliases: ['Tổ', 'Tổ bộ môn'] },
} satisfies Record<string, ColumnSpec>;

/** How schools write the posts (a department head or homeroom teacher holds the post "teacher"). */
const POST_NAMES: Record<Post, string[]> = {
  teacher: ['Giáo viên', 'GV', 'Giáo viên bộ môn', 'Giáo viên chủ nhiệm', 'Tổ trưởng', 'Tổ trưởng chuyên môn', 'Tổ phó', 'Tổ phó chuyên môn'],
  principal: ['Hiệu trưởng', 'HT'],
  vice_principal: ['Phó hiệu trưởng', 'PHT'],
  academic_staff: ['Giáo vụ', 'Nhân viên giáo vụ', 'Học vụ', 'Nhân viên học vụ'],
  records_clerk: ['Văn thư', 'Nhân viên văn thư'],
  accountant: ['Kế toán', 'Nhân viên kế toán'],
  it: ['Công nghệ thông tin', 'CNTT', 'Nhân viên CNTT', 'Nhân viên công nghệ thông tin'],
};
const POST_BY_KEY = new Map<string, Post>(POSTS.flatMap((p) => [p, ...POST_NAMES[p]].map((n) => [searchKey(n), p] as const)));
const POST_OPTIONS = POSTS.map((p) => POST_NAMES[p][0]).join(', ');

/** "Tổ Toán – Tin", "toan-tin" and "Toán - Tin" all name the same department. */
const departmentKey = (s: string) =>
  searchKey(s)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/^to /, '');

/** The fields an import row sets: the staff record's own, minus what the school manages itself. */
type Fields = Omit<Staff, 'id' | 'schoolId' | 'status' | 'hasAccount'>;
type Stored = Fields & { id: number };

const COLUMN_OF: Record<keyof Fields, string> = {
  fullName: 'full_name',
  nationalId: 'national_id',
  birthDate: 'birth_date',
  sex: 'sex',
  phone: 'phone',
  email: 'email',
  post: 'post',
  departmentId: 'department_id',
};
const HEADER_OF: Record<keyof Fields, string> = {
  fullName: C.fullName.header,
  nationalId: C.nationalId.header,
  birthDate: C.birthDate.header,
  sex: C.sex.header,
  phone: C.phone.header,
  email: C.email.header,
  post: C.post.header,
  departmentId: C.department.header,
};

function toColumns(f: Partial<Fields>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(f).map(([k, v]) => [COLUMN_OF[k as keyof Fields], v]));
}

/**
 * Staff, matched by national ID (one person, one record — seed 002, Điều 7). A national ID already held by someone
 * with another name is refused rather than overwriting that person.
 */
export const staffImport: ImportDef = {
  columns: Object.values(C),
  needsCurrentYear: false,
  plan: async ({ conn, schoolId, today }, rows) => {
    const stored = ((await conn('staff').where({ school_id: schoolId })) as Record<string, unknown>[]).map(
      (r): Stored => ({
        id: num(r.id),
        fullName: String(r.full_name),
        nationalId: String(r.national_id),
        birthDate: strOrNull(r.birth_date),
        sex: strOrNull(r.sex) as Stored['sex'],
        phone: strOrNull(r.phone),
        email: strOrNull(r.email),
        post: r.post as Post,
        departmentId: numOrNull(r.department_id),
      }),
    );
    const byNationalId = new Map(stored.map((s) => [s.nationalId, s]));
    const departments = (await conn('departments').where({ school_id: schoolId }).select('id', 'code', 'name')) as Record<string, unknown>[];
    const departmentByKey = new Map<string, { id: number; name: string }>();
    for (const d of departments) {
      const dep = { id: num(d.id), name: String(d.name) };
      departmentByKey.set(departmentKey(String(d.code)), dep);
      departmentByKey.set(departmentKey(String(d.name)), dep);
    }
    const seenNationalId = new SeenInFile();

    return rows.map((r): PlannedRow => {
      const rd = new RowReader(r, today);
      const postText = rd.text(C.post, 64);
      const post = postText === null ? null : (POST_BY_KEY.get(searchKey(postText)) ?? null);
      if (postText !== null && post === null) rd.errs.add(C.post, 'importPost', { options: POST_OPTIONS });
      const departmentText = rd.text(C.department);
      const department = departmentText === null ? undefined : departmentByKey.get(departmentKey(departmentText));
      if (departmentText !== null && !department) rd.errs.add(C.department, 'importUnknownDepartment', { name: departmentText });
      const f = {
        fullName: rd.name(C.fullName),
        nationalId: rd.nationalId(C.nationalId),
        birthDate: rd.date(C.birthDate),
        sex: rd.sex(C.sex),
        phone: rd.phone(C.phone),
        email: rd.email(C.email),
        post,
        departmentId: department?.id ?? null,
      };
      const dup = seenNationalId.check(f.nationalId, r.row);
      if (dup !== undefined) rd.errs.add(C.nationalId, 'importDuplicateInFile', { value: f.nationalId!, row: dup });
      const existing = f.nationalId === null ? undefined : byNationalId.get(f.nationalId);
      if (existing && f.fullName !== null && searchKey(existing.fullName) !== searchKey(f.fullName)) {
        rd.errs.add(C.nationalId, 'importNationalIdOtherPerson', { nationalId: f.nationalId!, name: existing.fullName });
      }

      const { departmentId: _d, ...shown } = f;
      const data = { ...shown, department: department?.name ?? departmentText };
      if (rd.errs.any) return { row: r.row, status: 'error', errors: rd.errs.errors, data };
      const fields = f as Fields;

      if (!existing) {
        return {
          row: r.row,
          status: 'create',
          errors: {},
          data,
          apply: async (ctx) => {
            const now = nowIso();
            const id = await insertReturningId(ctx.trx, 'staff', {
              ...toColumns(fields),
              search_text: searchKey(fields.fullName),
              school_id: ctx.schoolId,
              status: 'active',
              created_at: now,
              updated_at: now,
            });
            await auditRow(ctx, { action: 'create', entity: 'staff', entityId: id, after: { id, ...fields, status: 'active' } });
          },
        };
      }
      const changed = changedFields(existing as Fields, fields);
      if (changed.length === 0) return { row: r.row, status: 'unchanged', errors: {}, data };
      return {
        row: r.row,
        status: 'update',
        errors: {},
        data,
        changes: changed.map((k) => HEADER_OF[k]),
        apply: async (ctx) => {
          const before = Object.fromEntries(changed.map((k) => [k, existing[k]]));
          const after = Object.fromEntries(changed.map((k) => [k, fields[k]]));
          const fullName = (after.fullName as string | undefined) ?? existing.fullName;
          await ctx.trx('staff').where({ id: existing.id }).update({ ...toColumns(after), search_text: searchKey(fullName), updated_at: nowIso() });
          await auditRow(ctx, { action: 'update', entity: 'staff', entityId: existing.id, before, after });
        },
      };
    });
  },
};
