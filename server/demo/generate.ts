import type { Role } from '../../domain/permissions';
import { buildAccounts } from './accounts';
import { DEPARTMENTS, GRADES, POOLS, SUBJECTS, TARGET_WEEKLY_LOAD, TEACHING_WEEKS, VICE_PRINCIPALS } from './curriculum';
import { createPeople, nfc, type PersonName, type Sex } from './people';
import { HOME_COMMUNES, OCCUPATIONS } from './names';
import { createRng, type Rng } from '../core/random';

/**
 * A whole demo school as plain data: pure and deterministic (same options → deep-equal result), so the seed
 * writer only turns indexes into database ids, and tests can check the data without a database.
 */
export interface GenerateOptions {
  students?: number;
  seed?: number;
  /** `2026-2027`: the current school year; birth years of the students follow from it. */
  schoolYear?: string;
  code?: string;
}

export type StaffPost = 'teacher' | 'principal' | 'vice_principal' | 'academic_staff' | 'records_clerk' | 'accountant' | 'it';

export interface DemoStaff {
  fullName: string;
  nationalId: string;
  birthDate: string;
  sex: Sex;
  phone: string;
  email: string;
  post: StaffPost;
  departmentCode: string | null;
}

export interface DemoStudent {
  studentCode: string;
  fullName: string;
  birthDate: string;
  sex: Sex;
  nationalId: string;
  ethnicity: string;
  nationality: string;
  placeOfBirth: string;
  address: string;
  fatherName: string;
  motherName: string;
  guardianName: string | null;
  /** Quê quán and the parents' occupations (the transcript's identity page). */
  homeTown: string;
  fatherOccupation: string;
  motherOccupation: string;
  guardianOccupation: string | null;
  phone: string;
}

/** A role as the seed writer grants it; departments, staff and students by code or index, not by database id. */
export interface DemoGrantSpec {
  role: Role;
  departmentCodes?: string[];
  grades?: number[];
  manageAccounts?: boolean;
  departmentCode?: string;
  studentIndex?: number;
}

export interface DemoAccountSpec {
  username: string;
  fullName: string;
  email: string | null;
  staffIndex: number | null;
  studentIndex: number | null;
  /** False for the education-office account: it belongs to no school (users.school_id null). */
  atSchool: boolean;
  roles: DemoGrantSpec[];
  /** Set on the one memorable account per role that the demo hands out. */
  demoRole?: Role;
  /** Base32 TOTP secret, pre-enrolled for the roles that require a second factor. */
  totpSecret?: string;
}

export interface DemoSchool {
  school: { code: string; name: string; level: 'THCS'; province: string; district: string; address: string; phone: string; email: string; principalName: string };
  schoolYear: { name: string; startDate: string; endDate: string };
  semesters: { number: 1 | 2; startDate: string; endDate: string }[];
  departments: { code: string; name: string }[];
  subjects: { code: string; name: string; assessmentType: 'scored' | 'comment'; departmentCode: string; periodsPerYear: Record<string, number> }[];
  staff: DemoStaff[];
  classes: { grade: number; name: string; homeroomStaffIndex: number }[];
  students: DemoStudent[];
  enrolments: { studentIndex: number; classIndex: number; startDate: string }[];
  teachingAssignments: { classIndex: number; subjectCode: string; staffIndex: number }[];
  accounts: DemoAccountSpec[];
}

const SCHOOL = {
  name: 'Trường THCS Khánh Phú',
  province: 'Ninh Bình',
  // The former district: people and paper records still name it, though the 2025 reform removed districts.
  district: 'Yên Khánh',
  commune: 'xã Khánh Phú',
  emailDomain: 'thcskhanhphu.edu.vn',
};
const MAX_CLASS_SIZE = 45;
/** How the students spread over grades 6–9: a slightly larger intake in grade 6, as in most communes now. */
const GRADE_WEIGHTS = [26, 25, 25, 24];

export function generateDemoSchool(options: GenerateOptions = {}): DemoSchool {
  const { students: studentCount = 320, seed = 2026, schoolYear = '2026-2027', code = 'THCS-KP' } = options;
  const startYear = parseSchoolYear(schoolYear);
  const rng = createRng(seed);
  const people = createPeople(rng);

  const classes = planClasses(studentCount);
  const { staffPlan, assignments, homeroomOf } = planStaffing(classes);
  const staff = staffPlan.map((p) => makeStaff(p, rng, people));
  const { students, enrolments } = makeStudents(classes, startYear, rng, people);
  // A second stream for the fields added later (quê quán, occupations): the first stream's draws, hence every
  // name, code and score seeded before, stay exactly as they were.
  addIdentityExtras(students, createRng(seed ^ 0x5eed11));
  const accounts = buildAccounts({ seed, staff, staffPlan, homeroomOf, assignments, students, people, emailDomain: SCHOOL.emailDomain });
  staff.forEach((s, i) => (s.email = accounts.emails[i]));

  const principal = staff[staffPlan.findIndex((p) => p.post === 'principal')];
  return {
    school: {
      code,
      name: nfc(SCHOOL.name),
      level: 'THCS',
      province: nfc(SCHOOL.province),
      district: nfc(SCHOOL.district),
      address: nfc(`${SCHOOL.commune}, huyện ${SCHOOL.district}, tỉnh ${SCHOOL.province}`),
      phone: `0229 ${rng.digits(3)} ${rng.digits(4)}`,
      email: `c2khanhphu@${SCHOOL.emailDomain}`,
      principalName: principal.fullName,
    },
    // The provincial calendar for 2026-2027; other years reuse the same days of the year.
    schoolYear: { name: schoolYear, startDate: `${startYear}-09-05`, endDate: `${startYear + 1}-05-31` },
    semesters: [
      { number: 1, startDate: `${startYear}-09-05`, endDate: `${startYear + 1}-01-16` },
      { number: 2, startDate: `${startYear + 1}-01-19`, endDate: `${startYear + 1}-05-31` },
    ],
    departments: DEPARTMENTS.map((d) => ({ code: d.code, name: nfc(d.name) })),
    subjects: SUBJECTS.map((s) => ({
      code: s.code,
      name: nfc(s.name),
      assessmentType: s.assessmentType,
      departmentCode: s.departmentCode,
      periodsPerYear: { ...s.periodsPerYear },
    })),
    staff,
    classes: classes.map((c, i) => ({ grade: c.grade, name: c.name, homeroomStaffIndex: homeroomOf[i] })),
    students,
    enrolments: enrolments.map((e) => ({ ...e, startDate: `${startYear}-09-05` })),
    teachingAssignments: assignments,
    accounts: accounts.specs,
  };
}

function parseSchoolYear(name: string): number {
  const m = /^(\d{4})-(\d{4})$/.exec(name);
  if (!m || Number(m[2]) !== Number(m[1]) + 1) throw new Error(`school year must look like 2026-2027, got "${name}"`);
  return Number(m[1]);
}

export interface PlannedClass {
  grade: number;
  name: string;
  size: number;
}

/** At least two classes per grade, no class over 45 (the THCS ceiling), sizes as even as the numbers allow. */
function planClasses(studentCount: number): PlannedClass[] {
  const perGrade = split(studentCount, GRADE_WEIGHTS);
  return GRADES.flatMap((grade, g) => {
    const n = Math.max(2, Math.ceil(perGrade[g] / MAX_CLASS_SIZE));
    return split(perGrade[g], Array(n).fill(1)).map((size, i) => ({ grade, name: `${grade}A${i + 1}`, size }));
  });
}

/** Splits `total` in proportion to `weights` (largest remainder), so the parts always add up. */
function split(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const missing = total - parts.reduce((a, b) => a + b, 0);
  for (let k = 0; k < missing; k++) parts[order[k][1]] += 1;
  return parts;
}

export interface StaffPlan {
  post: StaffPost;
  departmentCode: string | null;
  pool?: string;
  /** Index into VICE_PRINCIPALS. */
  vicePrincipal?: number;
  headOf?: string;
  weeklyLoad: number;
}

const weekly = (periodsPerYear: number): number => periodsPerYear / TEACHING_WEEKS;

/**
 * Who works at the school and who teaches what. Each specialist pool gets enough teachers for its periods at
 * the target load; a teacher takes a run of neighbouring classes (so mostly one or two grades, as timetables do).
 * The first teacher of each department's first pool heads it; each class gets a homeroom teacher among those
 * who already teach it, the least loaded first, who then also leads its experiential activities.
 */
function planStaffing(classes: PlannedClass[]) {
  const staffPlan: StaffPlan[] = [
    { post: 'principal', departmentCode: null, weeklyLoad: 0 },
    ...VICE_PRINCIPALS.map((_, i) => ({ post: 'vice_principal' as const, departmentCode: null, vicePrincipal: i, weeklyLoad: 0 })),
  ];
  const teacherOf = new Map<string, number>(); // `${classIndex}:${subjectCode}` → staff index
  for (const pool of POOLS) {
    const subjects = SUBJECTS.filter((s) => s.taughtBy !== 'homeroom' && s.taughtBy.pool === pool.key);
    const loadOf = (c: PlannedClass) => subjects.reduce((sum, s) => sum + weekly(s.periodsPerYear[String(c.grade)] ?? 0), 0);
    const total = classes.reduce((sum, c) => sum + loadOf(c), 0);
    const n = Math.min(classes.length, Math.max(1, Math.ceil(total / TARGET_WEEKLY_LOAD)));
    const first = staffPlan.length;
    const isHead = !staffPlan.some((p) => p.headOf === pool.departmentCode);
    for (let t = 0; t < n; t++) {
      staffPlan.push({ post: 'teacher', departmentCode: pool.departmentCode, pool: pool.key, weeklyLoad: 0, headOf: t === 0 && isHead ? pool.departmentCode : undefined });
    }
    classes.forEach((c, ci) => {
      const staffIndex = first + Math.floor((ci * n) / classes.length);
      staffPlan[staffIndex].weeklyLoad += loadOf(c);
      for (const s of subjects) if (s.periodsPerYear[String(c.grade)]) teacherOf.set(`${ci}:${s.code}`, staffIndex);
    });
  }
  for (const post of ['academic_staff', 'records_clerk', 'accountant', 'it'] as const) {
    staffPlan.push({ post, departmentCode: 'VAN-PHONG', weeklyLoad: 0 });
  }

  const homeroomOf: number[] = [];
  const isFree = (i: number) => staffPlan[i].post === 'teacher' && !staffPlan[i].headOf && !homeroomOf.includes(i);
  const leastLoaded = (candidates: number[]) =>
    candidates.sort((a, b) => staffPlan[a].weeklyLoad - staffPlan[b].weeklyLoad || a - b)[0] as number | undefined;
  classes.forEach((c, ci) => {
    const teaching = [...new Set([...teacherOf].filter(([k]) => k.startsWith(`${ci}:`)).map(([, v]) => v))];
    const chosen = leastLoaded(teaching.filter(isFree)) ?? leastLoaded(staffPlan.map((_, i) => i).filter(isFree));
    if (chosen === undefined) throw new Error('not enough teachers for a homeroom teacher per class');
    homeroomOf.push(chosen);
    for (const s of SUBJECTS) {
      if (s.taughtBy === 'homeroom' && s.periodsPerYear[String(c.grade)]) {
        teacherOf.set(`${ci}:${s.code}`, chosen);
        staffPlan[chosen].weeklyLoad += weekly(s.periodsPerYear[String(c.grade)]);
      }
    }
  });

  // Class by class in curriculum order, so the list reads like a timetable.
  const assignments = classes.flatMap((c, ci) =>
    SUBJECTS.filter((s) => s.periodsPerYear[String(c.grade)]).map((s) => ({ classIndex: ci, subjectCode: s.code, staffIndex: teacherOf.get(`${ci}:${s.code}`)! })),
  );
  return { staffPlan, assignments, homeroomOf };
}

/** Birth-year ranges by post: managers are senior teachers, the office is younger. */
const BIRTH_YEARS: Record<StaffPost, [number, number]> = {
  principal: [1970, 1978],
  vice_principal: [1972, 1985],
  teacher: [1968, 1999],
  academic_staff: [1980, 1998],
  records_clerk: [1980, 1998],
  accountant: [1980, 1998],
  it: [1988, 1999],
};

function makeStaff(plan: StaffPlan, rng: Rng, people: ReturnType<typeof createPeople>): DemoStaff {
  // Most THCS teachers are women; physical-education teachers and school managers less so.
  const femaleShare = plan.pool === 'GDTC' || plan.post === 'it' ? 0.3 : plan.post === 'principal' || plan.post === 'vice_principal' ? 0.45 : 0.72;
  const sex: Sex = rng.chance(femaleShare) ? 'female' : 'male';
  const name = people.name(sex, 'staff');
  const year = rng.int(...BIRTH_YEARS[plan.post]);
  return {
    fullName: name.fullName,
    nationalId: people.nationalId(people.birthProvince('staff'), sex, year),
    birthDate: people.birthDate(year),
    sex,
    phone: people.phone(),
    email: '', // set from the username once all are known (they are de-duplicated)
    post: plan.post,
    departmentCode: plan.departmentCode,
  };
}

// Vietnamese collation (Đ after D, Ă/Â after A); Node ships full ICU, so the order is the same on every machine.
const collator = new Intl.Collator('vi');

/**
 * Students class by class. Every student of grade g in school year Y–Y+1 was born in Y − g − 5 (first grade at
 * six). The class list is in Vietnamese order (by given name, then the rest), and student codes follow it.
 */
function makeStudents(classes: PlannedClass[], startYear: number, rng: Rng, people: ReturnType<typeof createPeople>) {
  const students: DemoStudent[] = [];
  const enrolments: { studentIndex: number; classIndex: number }[] = [];
  classes.forEach((c, classIndex) => {
    const list = Array.from({ length: c.size }, () => makeStudent(startYear - c.grade - 5, rng, people));
    list.sort((a, b) => collator.compare(a.name.given, b.name.given) || collator.compare(a.student.fullName, b.student.fullName));
    for (const { student } of list) {
      student.studentCode = people.studentCode();
      enrolments.push({ studentIndex: students.length, classIndex });
      students.push(student);
    }
  });
  return { students, enrolments };
}

function makeStudent(birthYear: number, rng: Rng, people: ReturnType<typeof createPeople>): { name: PersonName; student: DemoStudent } {
  const sex: Sex = rng.chance(0.51) ? 'male' : 'female';
  const name = people.name(sex, 'student');
  const province = people.birthProvince('student');
  // A child carries the father's family name; the mother keeps her own.
  const father = people.name('male', 'staff', name.family);
  const mother = people.name('female', 'staff');
  return {
    name,
    student: {
      studentCode: '',
      fullName: name.fullName,
      birthDate: people.birthDate(birthYear),
      sex,
      nationalId: people.nationalId(province, sex, birthYear),
      ethnicity: nfc(people.ethnicity()),
      nationality: nfc('Việt Nam'),
      placeOfBirth: nfc(province),
      address: people.address(SCHOOL.commune, `tỉnh ${SCHOOL.province}`),
      fatherName: father.fullName,
      motherName: mother.fullName,
      guardianName: null,
      homeTown: '',
      fatherOccupation: '',
      motherOccupation: '',
      guardianOccupation: null,
      phone: people.phone(),
    },
  };
}

const MOTHER_OCCUPATIONS = OCCUPATIONS.filter(([o]) => o !== 'Thợ xây' && o !== 'Lái xe');
const FATHER_OCCUPATIONS = OCCUPATIONS.filter(([o]) => o !== 'Nội trợ');

/** Quê quán: mostly the father's commune in the school's province, as families here rarely move far. */
function addIdentityExtras(students: DemoStudent[], rng: Rng): void {
  for (const s of students) {
    const province = rng.chance(0.85) ? SCHOOL.province : rng.pick(Object.keys(HOME_COMMUNES));
    s.homeTown = nfc(`${rng.pick(HOME_COMMUNES[province])}, ${province}`);
    s.fatherOccupation = nfc(rng.weighted(FATHER_OCCUPATIONS));
    s.motherOccupation = nfc(rng.weighted(MOTHER_OCCUPATIONS));
  }
}
