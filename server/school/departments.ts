import { z } from 'zod';
import { searchKey } from '../../domain/text';
import type { ResourceDef } from '../core/resource';
import { name } from '../core/fields';
import { insertReturningId } from '../core/records';
import { fromRow, toRow } from '../core/rows';

/** Tổ chuyên môn: the unit a department head leads and a vice principal may supervise. */
export interface Department {
  id: number;
  schoolId: number;
  code: string;
  name: string;
}

const DepartmentInput = z.strictObject({
  schoolId: z.number().int().positive().optional(),
  code: z
    .string()
    .trim()
    .min(1)
    .max(32)
    .regex(/^[A-Za-z0-9_-]+$/),
  name: name(200),
});

export const departmentsResource: ResourceDef<Department> = {
  name: 'departments',
  table: 'departments',
  baseQuery: (conn) => conn('departments').select('departments.*'),
  fields: {
    id: { column: 'departments.id', type: 'number' },
    code: { column: 'departments.code', type: 'string' },
    name: { column: 'departments.name', type: 'string' },
  },
  searchColumns: ['departments.search_text'],
  defaultSort: 'name',
  toApi: (r) => fromRow<Department>(r),
  // A department head sees their own department: the department row's id is the scoped attribute.
  attributes: (rec) => ({ schoolId: rec.schoolId, departmentId: rec.id }),
  create: {
    schema: DepartmentInput,
    insert: async (input, { trx, schoolId }) => {
      const { schoolId: _ignored, ...rest } = input as z.output<typeof DepartmentInput>;
      return insertReturningId(trx, 'departments', { ...toRow(rest), school_id: schoolId, search_text: searchKey(rest.name, rest.code) });
    },
  },
  update: {
    schema: DepartmentInput.omit({ schoolId: true }).partial(),
    apply: async (existing, input, { trx }) => {
      const merged = { ...existing, ...input } as Department;
      await trx('departments')
        .where({ id: existing.id })
        .update({ ...toRow(input), search_text: searchKey(merged.name, merged.code) });
    },
  },
  remove: async (existing, { trx }) => {
    await trx('departments').where({ id: existing.id }).delete();
  },
};
