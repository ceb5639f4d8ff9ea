import type { Student } from '../school/students';
import { searchKey } from '../../domain/text';
import { nowIso } from '../db/knex';
import { addDays, num, strOrNull } from '../school/common';
import { applyEach, auditRow, changedFields, CHUNK, currentYearOf, type ApplyContext, type CommitContext, type CurrentYear, type ImportDef, type PlannedRow } from './plan';
import type { ColumnSpec } from './template';
import { RowReader, SeenInFile } from './values';
import { insertReturningId } from '../core/records';

/** Template "Danh sách học sinh" (docs/import-templates.md). */
const C = {
  studentCode: { key: 'studentCode', header: 'Mã học sinh', aliases: ['Mã HS', 'Mã số học sinh'], required: true },
  fullName: { key: 'fullName', header: 'Họ và tên', aliases: ['Họ tên', 'Họ và tên học sinh', 'Họ tên học sinh'], required: true },
  birthDate: { key: 'birthDate', header: 'Ngày sinh', aliases: ['Ngày tháng năm sinh'], required: true },
  sex: { key: 'sex', header: 'Giới tính', required: true },
  nationalId: { key: 'nationalId', header: 'Mã định danh', aliases: ['Mã định danh cá nhân', 'Số định danh', 'Số định danh cá nhân', 'CCCD', 'Số CCCD'] },
  ethnicity: { key: 'ethnicity', header: 'Dân tộc' },
  nationality: { key: 'nationality', header: 'Quốc tịch' },
  placeOfBirth: { key: 'placeOfBirth', header: 'Nơi sinh' },
  homeTown: { key: 'homeTown', header: 'Quê quán' },
  address: { key: 'address', header: 'Địa chỉ', aliases: ['Nơi ở hiện nay', 'Chỗ ở hiện nay'] },
  fatherName: { key: 'fatherName', header: 'Họ tên cha', aliases: ['Họ và tên cha'] },
  motherName: { key: 'motherName', header: 'Họ tên mẹ', aliases: ['Họ và tên mẹ'] },
  guardianName: { key: 'guardianName', header: 'Người giám hộ', aliases: ['Họ tên người giám hộ'] },
  fatherOccupation: { key: 'fatherOccupation', header: 'Nghề nghiệp của cha', aliases: ['Nghề nghiệp cha'] },
  motherOccupation: { key: 'motherOccupation', header: 'Nghề nghiệp của mẹ', aliases: ['Nghề nghiệp mẹ'] },
  guardianOccupation: { key: 'guardianOccupation', header: 'Nghề nghiệp của người giám hộ', aliases: ['Nghề nghiệp người giám hộ'] },
  phone: { key: 'phone', header: 'Điện thoại', aliases: ['Số điện thoại', 'SĐT', 'SDT'] },
  className: { key: 'className', header: 'Lớp', aliases: ['Tên lớp'], required: true },
} satisfies Record<string, ColumnSpec>;

/** The personal fields an import row sets: the student record's own, minus what the school manages itself. */
type Fields = Omit<Student, 'id' | 'schoolId' | 'status' | 'classId' | 'className' | 'grade'>;
type Stored = Fields & { id: number; status: string };

const COLUMN_OF: Record<keyof Fields, string> = {
  studentCode: 'student_code',
  fullName: 'full_name',
  birthDate: 'birth_date',
  sex: 'sex',
  nationalId: 'national_id',
  ethnicity: 'ethnicity',
  nationality: 'nationality',
  placeOfBirth: 'place_of_birth',
  address: 'address',
  fatherName: 'father_name',
  motherName: 'mother_name',
  guardianName: 'guardian_name',
  homeTown: 'home_town',
  fatherOccupation: 'father_occupation',
  motherOccupation: 'mother_occupation',
  guardianOccupation: 'guardian_occupation',
  phone: 'phone',
};

interface ClassRef {
  id: number;
  name: string;
}
interface Enrolment {
  id: number;
  classId: number;
  startDate: string;
}

function fromRow(r: Record<string, unknown>): Stored {
  const out = { id: num(r.id), status: String(r.status) } as Stored;
  for (const [field, column] of Object.entries(COLUMN_OF)) (out as Record<string, unknown>)[field] = strOrNull(r[column]);
  return out;
}

function toColumns(f: Partial<Fields>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(f).map(([k, v]) => [COLUMN_OF[k as keyof Fields], v]));
}

/**
 * Students, matched by student code and then by national ID: a known student is updated (only the cells that are
 * filled in), an unknown one created; either way they get an active enrolment in the named class of the current
 * school year (moving class ends the old enrolment the day before).
 */
export const studentsImport: ImportDef = {
  columns: Object.values(C),
  needsCurrentYear: true,
  commit: async (ctx, planned) => {
    await createStudents(ctx, planned.filter((p) => p.status === 'create'));
    await applyEach(ctx, planned);
  },
  plan: async ({ conn, schoolId, today }, rows) => {
    const year = (await currentYearOf(conn, schoolId))!;
    const stored = ((await conn('students').where({ school_id: schoolId })) as Record<string, unknown>[]).map(fromRow);
    const byCode = new Map(stored.map((s) => [s.studentCode, s]));
    const byNationalId = new Map(stored.filter((s) => s.nationalId).map((s) => [s.nationalId!, s]));
    const classes = new Map(
      ((await conn('classes').where({ school_year_id: year.id }).select('id', 'name')) as Record<string, unknown>[]).map((c) => [
        searchKey(String(c.name)),
        { id: num(c.id), name: String(c.name) },
      ]),
    );
    const enrolments = new Map(
      ((await conn('enrolments').where({ school_year_id: year.id, status: 'active' }).select('id', 'student_id', 'class_id', 'start_date')) as Record<string, unknown>[]).map(
        (e) => [num(e.student_id), { id: num(e.id), classId: num(e.class_id), startDate: String(e.start_date) }],
      ),
    );
    const seenCode = new SeenInFile();
    const seenNationalId = new SeenInFile();

    return rows.map((r): PlannedRow => {
      const rd = new RowReader(r, today);
      const f = {
        studentCode: rd.code(C.studentCode),
        fullName: rd.name(C.fullName),
        birthDate: rd.date(C.birthDate),
        sex: rd.sex(C.sex),
        nationalId: rd.nationalId(C.nationalId),
        ethnicity: rd.text(C.ethnicity, 64),
        nationality: rd.text(C.nationality, 64),
        placeOfBirth: rd.text(C.placeOfBirth, 200),
        address: rd.text(C.address, 300),
        fatherName: rd.name(C.fatherName),
        motherName: rd.name(C.motherName),
        guardianName: rd.name(C.guardianName),
        homeTown: rd.text(C.homeTown, 200),
        fatherOccupation: rd.text(C.fatherOccupation, 100),
        motherOccupation: rd.text(C.motherOccupation, 100),
        guardianOccupation: rd.text(C.guardianOccupation, 100),
        phone: rd.phone(C.phone),
      };
      const className = rd.text(C.className, 32);
      const cls = className === null ? undefined : classes.get(searchKey(className));
      if (className !== null && !cls) rd.errs.add(C.className, 'importUnknownClass', { name: className, year: year.name });

      const dupCode = seenCode.check(f.studentCode, r.row);
      if (dupCode !== undefined) rd.errs.add(C.studentCode, 'importDuplicateInFile', { value: f.studentCode!, row: dupCode });
      const dupId = seenNationalId.check(f.nationalId, r.row);
      if (dupId !== undefined) rd.errs.add(C.nationalId, 'importDuplicateInFile', { value: f.nationalId!, row: dupId });

      const sameCode = f.studentCode === null ? undefined : byCode.get(f.studentCode);
      const sameId = f.nationalId === null ? undefined : byNationalId.get(f.nationalId);
      if (sameCode && sameId && sameCode.id !== sameId.id) {
        rd.errs.add(C.nationalId, 'importNationalIdOtherPerson', { nationalId: f.nationalId!, name: `${sameId.fullName} (${sameId.studentCode})` });
      }
      const existing = sameCode ?? sameId;
      if (existing && existing.status !== 'studying') rd.errs.add(C.studentCode, 'studentNotStudying');

      const data = { ...f, className: cls?.name ?? className };
      if (rd.errs.any || !cls) return { row: r.row, status: 'error', errors: rd.errs.errors, data };
      const fields = f as Fields;

      if (!existing) return { row: r.row, status: 'create', errors: {}, data, payload: { fields, cls, year } satisfies NewStudent };

      const changed = changedFields(existing as Fields, fields);
      const current = enrolments.get(existing.id);
      const moves = current?.classId !== cls.id;
      const changes = [...changed.map((k) => C[k].header), ...(moves ? [C.className.header] : [])];
      if (changes.length === 0) return { row: r.row, status: 'unchanged', errors: {}, data };
      return {
        row: r.row,
        status: 'update',
        errors: {},
        data,
        changes,
        apply: async (ctx) => {
          if (changed.length > 0) {
            const before = Object.fromEntries(changed.map((k) => [k, existing[k]]));
            const after = Object.fromEntries(changed.map((k) => [k, fields[k]]));
            const merged = { ...existing, ...after };
            await ctx.trx('students')
              .where({ id: existing.id })
              .update({ ...toColumns(after), search_text: searchKey(merged.fullName, merged.studentCode), updated_at: nowIso() });
            await auditRow(ctx, { action: 'update', entity: 'students', entityId: existing.id, before, after });
          }
          if (moves) await enrol(ctx, existing.id, cls, current, year);
        },
      };
    });
  },
};

interface NewStudent {
  fields: Fields;
  cls: ClassRef;
  year: CurrentYear;
}

/** The first day of a placement made today: today, kept inside the school year. */
function placementStart(today: string, year: CurrentYear): string {
  return today < year.startDate ? year.startDate : today > year.endDate ? year.endDate : today;
}

/**
 * New students and their enrolments in multi-row inserts (a whole school's list is thousands of rows); one audit
 * row per student records both.
 */
async function createStudents(ctx: CommitContext, rows: PlannedRow[]): Promise<void> {
  const news = rows.map((p) => ({ row: p.row, ...(p.payload as NewStudent) }));
  const now = nowIso();
  const studentIds = new Map<string, number>();
  for (let i = 0; i < news.length; i += CHUNK) {
    const chunk = news.slice(i, i + CHUNK).map(({ fields }) => ({
      ...toColumns(fields),
      search_text: searchKey(fields.fullName, fields.studentCode),
      school_id: ctx.schoolId,
      status: 'studying',
      created_at: now,
      updated_at: now,
    }));
    const inserted = (await ctx.trx('students').insert(chunk).returning(['id', 'student_code'])) as Array<{ id: number; student_code: string }>;
    for (const r of inserted) studentIds.set(String(r.student_code), num(r.id));
  }
  const enrolmentIds = new Map<number, number>();
  for (let i = 0; i < news.length; i += CHUNK) {
    const chunk = news.slice(i, i + CHUNK).map(({ fields, cls, year }) => ({
      school_id: ctx.schoolId,
      school_year_id: year.id,
      class_id: cls.id,
      student_id: studentIds.get(fields.studentCode)!,
      start_date: placementStart(ctx.today, year),
      end_date: null,
      status: 'active',
    }));
    const inserted = (await ctx.trx('enrolments').insert(chunk).returning(['id', 'student_id'])) as Array<{ id: number; student_id: number }>;
    for (const r of inserted) enrolmentIds.set(num(r.student_id), num(r.id));
  }
  for (const { row, fields, cls, year } of news) {
    const id = studentIds.get(fields.studentCode)!;
    const enrolment = { id: enrolmentIds.get(id)!, schoolYearId: year.id, classId: cls.id, className: cls.name, startDate: placementStart(ctx.today, year), status: 'active' };
    await auditRow({ ...ctx, row }, { action: 'create', entity: 'students', entityId: id, after: { id, ...fields, status: 'studying', enrolment } });
  }
}

/**
 * Puts the student in `cls` for the current year from today (or the year's first day, before it starts). A move
 * on or before the old enrolment's first day corrects the placement in place; a later move ends the old
 * enrolment the day before, so the class the student left keeps its history.
 */
async function enrol(ctx: ApplyContext, studentId: number, cls: ClassRef, current: Enrolment | undefined, year: CurrentYear): Promise<void> {
  const start = placementStart(ctx.today, year);
  if (current && start <= current.startDate) {
    await ctx.trx('enrolments').where({ id: current.id }).update({ class_id: cls.id });
    await auditRow(ctx, { action: 'update', entity: 'enrolments', entityId: current.id, before: { classId: current.classId }, after: { classId: cls.id } });
    return;
  }
  if (current) {
    const end = addDays(start, -1);
    await ctx.trx('enrolments').where({ id: current.id }).update({ end_date: end, status: 'left' });
    await auditRow(ctx, { action: 'update', entity: 'enrolments', entityId: current.id, before: { endDate: null, status: 'active' }, after: { endDate: end, status: 'left' } });
  }
  const row = { school_id: ctx.schoolId, school_year_id: year.id, class_id: cls.id, student_id: studentId, start_date: start, end_date: null, status: 'active' };
  const id = await insertReturningId(ctx.trx, 'enrolments', row);
  await auditRow(ctx, {
    action: 'create',
    entity: 'enrolments',
    entityId: id,
    after: { id, schoolYearId: year.id, classId: cls.id, studentId, startDate: start, endDate: null, status: 'active' },
  });
}
