/**
 * The 2018 general-education curriculum for lower secondary (THCS, grades 6–9): subjects, periods per year,
 * assessment type (TT22 Điều 5) and the departments (tổ chuyên môn) that teach them.
 */
export const GRADES = [6, 7, 8, 9] as const;

/** A school year has 35 teaching weeks: periods per week = periods per year / 35. */
export const TEACHING_WEEKS = 35;

export interface DemoDepartmentDef {
  code: string;
  name: string;
  /** The office (tổ văn phòng) teaches nothing and has no head in the demo. */
  teaching: boolean;
}

export const DEPARTMENTS: readonly DemoDepartmentDef[] = [
  { code: 'TOAN-TIN', name: 'Tổ Toán – Tin', teaching: true },
  { code: 'VAN-SU-DIA', name: 'Tổ Ngữ văn – Lịch sử và Địa lí – GDCD', teaching: true },
  { code: 'NGOAI-NGU', name: 'Tổ Ngoại ngữ', teaching: true },
  { code: 'KHTN-CN', name: 'Tổ Khoa học tự nhiên – Công nghệ', teaching: true },
  { code: 'NT-TC', name: 'Tổ Nghệ thuật – Thể chất', teaching: true },
  { code: 'VAN-PHONG', name: 'Tổ Văn phòng', teaching: false },
];

/**
 * Who teaches a subject: a specialist pool (teachers trained for it; one teacher takes all of a pool's subjects
 * in a class, e.g. Ngữ văn with local-education content) or the class's homeroom teacher, who by custom leads
 * the experiential activities of their own class.
 */
export type Teacher = { pool: string } | 'homeroom';

export interface DemoSubjectDef {
  code: string;
  name: string;
  /** TT22 Điều 5: physical education, arts, local content and experiential activities are assessed by comment only. */
  assessmentType: 'scored' | 'comment';
  departmentCode: string;
  periodsPerYear: Record<string, number>;
  taughtBy: Teacher;
}

const every = (periods: number): Record<string, number> => Object.fromEntries(GRADES.map((g) => [String(g), periods]));

export const SUBJECTS: readonly DemoSubjectDef[] = [
  { code: 'NGU-VAN', name: 'Ngữ văn', assessmentType: 'scored', departmentCode: 'VAN-SU-DIA', periodsPerYear: every(140), taughtBy: { pool: 'VAN' } },
  { code: 'TOAN', name: 'Toán', assessmentType: 'scored', departmentCode: 'TOAN-TIN', periodsPerYear: every(140), taughtBy: { pool: 'TOAN' } },
  { code: 'TIENG-ANH', name: 'Ngoại ngữ 1 (Tiếng Anh)', assessmentType: 'scored', departmentCode: 'NGOAI-NGU', periodsPerYear: every(105), taughtBy: { pool: 'ANH' } },
  { code: 'GDCD', name: 'Giáo dục công dân', assessmentType: 'scored', departmentCode: 'VAN-SU-DIA', periodsPerYear: every(35), taughtBy: { pool: 'SU-DIA' } },
  { code: 'LS-DL', name: 'Lịch sử và Địa lí', assessmentType: 'scored', departmentCode: 'VAN-SU-DIA', periodsPerYear: every(105), taughtBy: { pool: 'SU-DIA' } },
  { code: 'KHTN', name: 'Khoa học tự nhiên', assessmentType: 'scored', departmentCode: 'KHTN-CN', periodsPerYear: every(140), taughtBy: { pool: 'KHTN' } },
  {
    code: 'CONG-NGHE',
    name: 'Công nghệ',
    assessmentType: 'scored',
    departmentCode: 'KHTN-CN',
    // Grades 8–9 add the career-orientation modules: 52 periods instead of 35.
    periodsPerYear: { '6': 35, '7': 35, '8': 52, '9': 52 },
    taughtBy: { pool: 'CN' },
  },
  { code: 'TIN-HOC', name: 'Tin học', assessmentType: 'scored', departmentCode: 'TOAN-TIN', periodsPerYear: every(35), taughtBy: { pool: 'TIN' } },
  { code: 'GDTC', name: 'Giáo dục thể chất', assessmentType: 'comment', departmentCode: 'NT-TC', periodsPerYear: every(70), taughtBy: { pool: 'GDTC' } },
  { code: 'AM-NHAC', name: 'Nghệ thuật (Âm nhạc)', assessmentType: 'comment', departmentCode: 'NT-TC', periodsPerYear: every(35), taughtBy: { pool: 'AM-NHAC' } },
  { code: 'MI-THUAT', name: 'Nghệ thuật (Mĩ thuật)', assessmentType: 'comment', departmentCode: 'NT-TC', periodsPerYear: every(35), taughtBy: { pool: 'MI-THUAT' } },
  {
    code: 'HDTN-HN',
    name: 'Hoạt động trải nghiệm, hướng nghiệp',
    assessmentType: 'comment',
    departmentCode: 'VAN-SU-DIA',
    periodsPerYear: every(105),
    taughtBy: 'homeroom',
  },
  { code: 'GDDP', name: 'Nội dung giáo dục địa phương', assessmentType: 'comment', departmentCode: 'VAN-SU-DIA', periodsPerYear: every(35), taughtBy: { pool: 'VAN' } },
];

/** Specialist pools, in the order their teachers are listed; the first pool of a department supplies its head. */
export const POOLS: readonly { key: string; departmentCode: string }[] = [
  { key: 'TOAN', departmentCode: 'TOAN-TIN' },
  { key: 'TIN', departmentCode: 'TOAN-TIN' },
  { key: 'VAN', departmentCode: 'VAN-SU-DIA' },
  { key: 'SU-DIA', departmentCode: 'VAN-SU-DIA' },
  { key: 'ANH', departmentCode: 'NGOAI-NGU' },
  { key: 'KHTN', departmentCode: 'KHTN-CN' },
  { key: 'CN', departmentCode: 'KHTN-CN' },
  { key: 'GDTC', departmentCode: 'NT-TC' },
  { key: 'AM-NHAC', departmentCode: 'NT-TC' },
  { key: 'MI-THUAT', departmentCode: 'NT-TC' },
];

/**
 * Target teaching load in periods per week. The statutory norm for THCS is 19; a homeroom teacher gets a
 * 4-period reduction and then leads 3 periods of experiential activities, a department head gets 3 off. 15 keeps
 * every teacher near a real timetable whatever the school size.
 */
export const TARGET_WEEKLY_LOAD = 15;

/**
 * Vice principals' supervision (seed 000: one VP per group of departments and grades; the first also manages
 * accounts). The first VP is the one the demo's `phohieutruong` account belongs to.
 */
export const VICE_PRINCIPALS = [
  { departmentCodes: ['TOAN-TIN', 'KHTN-CN'], grades: [6, 7], manageAccounts: true },
  { departmentCodes: ['VAN-SU-DIA', 'NGOAI-NGU', 'NT-TC'], grades: [8, 9], manageAccounts: false },
] as const;
