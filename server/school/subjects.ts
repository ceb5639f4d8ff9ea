import { z } from 'zod';
import { regularAssessmentsByGrade } from '../../domain/assessment-count';
import { searchKey } from '../../domain/text';
import type { ResourceDef, WriteContext } from '../core/resource';
import { events } from '../core/events';
import { assertUnreferenced, code, duplicate, entityId, gradesOfSchool, invalid, num, numOrNull, stripUndefined } from './common';
import { name } from '../core/fields';
import { assertInSchool, insertReturningId } from '../core/records';

/** Môn học: how it is assessed (TT22 Điều 5), who teaches it, and how many periods a year per grade. */
export interface Subject {
  id: number;
  schoolId: number;
  code: string;
  name: string;
  assessmentType: 'scored' | 'comment';
  departmentId: number | null;
  periodsPerYear: Record<string, number>;
  regularAssessmentsOverride: number | null;
  /** Read only: regular assessments per semester per grade (TT22 Điều 7), the override winning. */
  regularAssessments: Record<string, number>;
}

const SubjectInput = z.strictObject({
  code: code(32),
  name: name(200),
  // TT22 Điều 5: physical education, arts, local content and experiential activities are assessed by comment only;
  // every other subject by comment and score.
  assessmentType: z.enum(['scored', 'comment']),
  departmentId: entityId.nullish(),
  periodsPerYear: z.record(z.string().regex(/^(6|7|8|9|10|11|12)$/), z.number().int().min(1).max(1000)).optional(),
  regularAssessmentsOverride: z.number().int().min(2).max(4).nullish(),
});
type Input = z.output<typeof SubjectInput>;
type Fields = Omit<Subject, 'id' | 'schoolId' | 'regularAssessments'>;

async function check(s: Fields, ctx: WriteContext, selfId?: number): Promise<void> {
  await assertInSchool(ctx.trx, 'departments', s.departmentId, ctx.schoolId, 'departmentId');
  const grades = await gradesOfSchool(ctx.trx, ctx.schoolId);
  for (const grade of Object.keys(s.periodsPerYear)) {
    if (!grades.includes(Number(grade))) throw invalid(`periodsPerYear.${grade}`, 'badChoice', { options: grades.join(', ') });
  }
  const same = ctx.trx('subjects').where({ school_id: ctx.schoolId, code: s.code });
  if (selfId) same.whereNot({ id: selfId });
  if (await same.first('id')) throw duplicate('code', s.code);
}

function toRow(s: Fields): Record<string, unknown> {
  return {
    code: s.code,
    name: s.name,
    search_text: searchKey(s.name, s.code),
    assessment_type: s.assessmentType,
    department_id: s.departmentId,
    // Grades in order, so the stored JSON reads the same whoever wrote it.
    periods_per_year: JSON.stringify(Object.fromEntries(Object.entries(s.periodsPerYear).sort(([a], [b]) => Number(a) - Number(b)))),
    regular_assessments_override: s.regularAssessmentsOverride,
  };
}

export function subjectFromRow(r: Record<string, unknown>): Subject {
  const periodsPerYear = (typeof r.periods_per_year === 'string' ? JSON.parse(r.periods_per_year) : {}) as Record<string, number>;
  const override = numOrNull(r.regular_assessments_override);
  return {
    id: num(r.id),
    schoolId: num(r.school_id),
    code: String(r.code),
    name: String(r.name),
    assessmentType: r.assessment_type as Subject['assessmentType'],
    departmentId: numOrNull(r.department_id),
    periodsPerYear,
    regularAssessmentsOverride: override,
    regularAssessments: regularAssessmentsByGrade(periodsPerYear, override),
  };
}

export const subjectsResource: ResourceDef<Subject> = {
  name: 'subjects',
  table: 'subjects',
  baseQuery: (conn) => conn('subjects').select('subjects.*'),
  fields: {
    id: { column: 'subjects.id', type: 'number' },
    code: { column: 'subjects.code', type: 'string' },
    name: { column: 'subjects.name', type: 'string' },
    assessmentType: { column: 'subjects.assessment_type', type: 'string' },
    departmentId: { column: 'subjects.department_id', type: 'number' },
    regularAssessmentsOverride: { column: 'subjects.regular_assessments_override', type: 'number' },
  },
  searchColumns: ['subjects.search_text'],
  defaultSort: 'name',
  readOnly: ['regularAssessments'],
  toApi: subjectFromRow,
  // A department head's scope is their department: the subjects it teaches.
  applyScope: (qb, scope) => {
    if (scope.kind === 'department') qb.whereIn('subjects.department_id', scope.departmentIds);
    else qb.whereRaw('1 = 0');
  },
  attributes: (rec) => ({ schoolId: rec.schoolId, departmentId: rec.departmentId }),
  create: {
    schema: SubjectInput,
    insert: async (raw, ctx) => {
      const input = raw as Input;
      const s: Fields = {
        ...input,
        departmentId: input.departmentId ?? null,
        periodsPerYear: input.periodsPerYear ?? {},
        regularAssessmentsOverride: input.regularAssessmentsOverride ?? null,
      };
      await check(s, ctx);
      return insertReturningId(ctx.trx, 'subjects', { ...toRow(s), school_id: ctx.schoolId });
    },
  },
  update: {
    schema: SubjectInput.partial(),
    apply: async (existing, raw, ctx) => {
      const { regularAssessments: _derived, id: _id, schoolId: _school, ...current } = existing;
      const s: Fields = { ...current, ...stripUndefined(raw as Partial<Input>) } as Fields;
      await check(s, ctx, existing.id);
      await ctx.trx('subjects').where({ id: existing.id }).update(toRow(s));
      // Periods or the override decide how many regular assessments count (TT22 Điều 7): results follow.
      if (JSON.stringify(s.periodsPerYear) !== JSON.stringify(existing.periodsPerYear) || s.regularAssessmentsOverride !== existing.regularAssessmentsOverride) {
        await events.emit(ctx.trx, { type: 'curriculumChanged', schoolId: ctx.schoolId });
      }
    },
  },
  remove: async (existing, { trx }) => {
    await assertUnreferenced(trx, existing.id, [['teaching_assignments', 'subject_id']]);
    await trx('subjects').where({ id: existing.id }).delete();
  },
};
