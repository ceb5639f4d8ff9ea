import { z } from 'zod';
import { nowIso } from '../db/knex';
import type { ResourceDef } from '../core/resource';
import { name, optionalName, optionalText } from '../core/fields';
import { fromRow, toRow } from '../core/rows';

/** Trường: its identity as printed on transcripts. Only an admin edits it; schools are created by the operator. */
export interface School {
  id: number;
  schoolId: number;
  code: string;
  name: string;
  level: string;
  province: string | null;
  district: string | null;
  address: string | null;
  phone: string | null;
  email: string | null;
  principalName: string | null;
}

const UpdateSchool = z
  .strictObject({
    name: name(200),
    province: optionalText(100),
    district: optionalText(100),
    address: optionalText(300),
    phone: optionalText(32),
    email: z.email().max(200).nullish(),
    principalName: optionalName(200),
  })
  .partial();

export const schoolsResource: ResourceDef<School> = {
  name: 'schools',
  table: 'schools',
  schoolColumn: 'schools.id',
  baseQuery: (conn) => conn('schools').select('schools.*'),
  fields: {
    id: { column: 'schools.id', type: 'number' },
    code: { column: 'schools.code', type: 'string' },
    name: { column: 'schools.name', type: 'string' },
    level: { column: 'schools.level', type: 'string' },
  },
  searchColumns: ['schools.name', 'schools.code'],
  readOnly: ['code', 'level'],
  toApi: (r) => ({ ...fromRow<School>(r, { omit: ['created_at', 'updated_at'] }), schoolId: Number(r.id) }),
  update: {
    schema: UpdateSchool,
    apply: async (existing, input, { trx }) => {
      await trx('schools').where({ id: existing.id }).update({ ...toRow(input), updated_at: nowIso() });
    },
  },
};
