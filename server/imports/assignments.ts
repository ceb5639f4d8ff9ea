import { searchKey } from '../../domain/text';
import { num } from '../school/common';
import { auditRow, currentYearOf, type ImportDef, type PlannedRow } from './plan';
import type { ColumnSpec } from './template';
import { RowReader, SeenInFile } from './values';
import { insertReturningId } from '../core/records';

/** Template "Phân công giảng dạy" (docs/import-templates.md). */
const C = {
  className: { key: 'className', header: 'Lớp', aliases: ['Tên lớp'], required: true },
  subject: { key: 'subject', header: 'Môn', aliases: ['Môn học', 'Mã môn', 'Tên môn'], required: true },
  teacher: { key: 'teacher', header: 'Giáo viên', aliases: ['Giáo viên bộ môn', 'GV', 'Giáo viên giảng dạy'], required: true },
} satisfies Record<string, ColumnSpec>;

interface Subject {
  id: number;
  code: string;
  name: string;
  grades: string[];
}
interface Staff {
  id: number;
  fullName: string;
  nationalId: string;
  active: boolean;
}

/**
 * Teaching assignments of the current school year, one per class × subject: a known class × subject gets the
 * named teacher (an update when the teacher changes), a new one is created. The subject is given by code or name,
 * the teacher by national ID or by name (a name two people share must be replaced by the national ID).
 */
export const assignmentsImport: ImportDef = {
  columns: Object.values(C),
  needsCurrentYear: true,
  plan: async ({ conn, schoolId, today }, rows) => {
    const year = (await currentYearOf(conn, schoolId))!;
    const classes = new Map(
      ((await conn('classes').where({ school_year_id: year.id }).select('id', 'name', 'grade')) as Record<string, unknown>[]).map((c) => [
        searchKey(String(c.name)),
        { id: num(c.id), name: String(c.name), grade: num(c.grade) },
      ]),
    );
    const subjects = ((await conn('subjects').where({ school_id: schoolId }).select('id', 'code', 'name', 'periods_per_year')) as Record<string, unknown>[]).map(
      (s): Subject => ({
        id: num(s.id),
        code: String(s.code),
        name: String(s.name),
        grades: Object.keys(JSON.parse(String(s.periods_per_year ?? '{}')) as Record<string, number>),
      }),
    );
    const staff = ((await conn('staff').where({ school_id: schoolId }).select('id', 'full_name', 'national_id', 'status')) as Record<string, unknown>[]).map(
      (s): Staff => ({ id: num(s.id), fullName: String(s.full_name), nationalId: String(s.national_id), active: s.status === 'active' }),
    );
    const existing = new Map(
      ((await conn('teaching_assignments').where({ school_year_id: year.id }).select('id', 'class_id', 'subject_id', 'staff_id')) as Record<string, unknown>[]).map(
        (a) => [`${num(a.class_id)}:${num(a.subject_id)}`, { id: num(a.id), staffId: num(a.staff_id) }],
      ),
    );
    const seen = new SeenInFile();

    return rows.map((r): PlannedRow => {
      const rd = new RowReader(r, today);
      const className = rd.text(C.className, 32);
      const cls = className === null ? undefined : classes.get(searchKey(className));
      if (className !== null && !cls) rd.errs.add(C.className, 'importUnknownClass', { name: className, year: year.name });

      const subjectText = rd.text(C.subject);
      let subject: Subject | undefined;
      if (subjectText !== null) {
        const k = searchKey(subjectText);
        const byCode = subjects.filter((s) => searchKey(s.code) === k);
        const byName = subjects.filter((s) => searchKey(s.name) === k);
        const found = byCode.length > 0 ? byCode : byName;
        if (found.length === 1) subject = found[0];
        else if (found.length === 0) rd.errs.add(C.subject, 'importUnknownSubject', { name: subjectText });
        else rd.errs.add(C.subject, 'importAmbiguousSubject', { name: subjectText, count: found.length });
      }
      // A subject the class's grade does not study (subjects.periods_per_year names the grades).
      if (cls && subject && !subject.grades.includes(String(cls.grade))) rd.errs.add(C.subject, 'subjectNotInGrade', { grade: cls.grade });

      // Excel may have stored a national ID as a number and dropped its leading 0.
      const teacherCell = r.values[C.teacher.key];
      const teacherText = typeof teacherCell === 'number' ? rd.nationalId(C.teacher) : rd.text(C.teacher);
      let teacher: Staff | undefined;
      if (teacherText !== null) {
        const candidates = /^\d{12}$/.test(teacherText)
          ? staff.filter((s) => s.nationalId === teacherText)
          : staff.filter((s) => searchKey(s.fullName) === searchKey(teacherText));
        const active = candidates.filter((s) => s.active);
        if (candidates.length === 0) rd.errs.add(C.teacher, 'importUnknownTeacher', { name: teacherText });
        else if (active.length === 0) rd.errs.add(C.teacher, 'staffNotActive');
        else if (active.length > 1) rd.errs.add(C.teacher, 'importAmbiguousTeacher', { name: teacherText, count: active.length });
        else teacher = active[0];
      }

      if (cls && subject) {
        const dup = seen.check(`${cls.id}:${subject.id}`, r.row);
        if (dup !== undefined) rd.errs.add(C.subject, 'importDuplicateInFile', { value: `${cls.name} – ${subject.name}`, row: dup });
      }

      const data = { className: cls?.name ?? className, subject: subject?.name ?? subjectText, subjectCode: subject?.code ?? null, teacher: teacher?.fullName ?? teacherText, teacherNationalId: teacher?.nationalId ?? null };
      if (rd.errs.any || !cls || !subject || !teacher) return { row: r.row, status: 'error', errors: rd.errs.errors, data };

      const current = existing.get(`${cls.id}:${subject.id}`);
      if (current && current.staffId === teacher.id) return { row: r.row, status: 'unchanged', errors: {}, data };
      if (current) {
        return {
          row: r.row,
          status: 'update',
          errors: {},
          data,
          changes: [C.teacher.header],
          apply: async (ctx) => {
            await ctx.trx('teaching_assignments').where({ id: current.id }).update({ staff_id: teacher.id });
            await auditRow(ctx, { action: 'update', entity: 'teaching-assignments', entityId: current.id, before: { staffId: current.staffId }, after: { staffId: teacher.id } });
          },
        };
      }
      return {
        row: r.row,
        status: 'create',
        errors: {},
        data,
        apply: async (ctx) => {
          const row = { school_id: ctx.schoolId, school_year_id: year.id, class_id: cls.id, subject_id: subject.id, staff_id: teacher.id };
          const id = await insertReturningId(ctx.trx, 'teaching_assignments', row);
          await auditRow(ctx, {
            action: 'create',
            entity: 'teaching-assignments',
            entityId: id,
            after: { id, schoolYearId: year.id, classId: cls.id, subjectId: subject.id, staffId: teacher.id },
          });
        },
      };
    });
  },
};
