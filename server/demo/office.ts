/**
 * DEMO ONLY, and the office benchmark's generator (bench/office.ts): more generated schools under the demo's
 * education office (`phonggd`), so its dashboard has several schools to compare. Each school is a whole generated
 * school (demo/generate.ts) with its own code, name and usernames (`<code>.<username>`), written by the same
 * writer as the demo school; the office account gets one `education_office` grant per school.
 */
import { hashPassword } from '../auth/passwords';
import type { SecretBox } from '../auth/secret-box';
import { nowIso, type Db } from '../db/knex';
import { DEMO_USERNAMES } from './accounts';
import { generateDemoSchool, type DemoSchool } from './generate';
import { seedDemoScores } from './scores';
import { DEMO_PASSWORD, insertDemoSchool } from './seed';
import { seedDemoTimeline } from './timeline';

/** Communes of the demo's province, for the schools' names (Trường THCS <commune>). */
const COMMUNES = ['Khánh An', 'Khánh Hòa', 'Khánh Cư', 'Yên Ninh', 'Gia Sinh', 'Tân Thành', 'Khánh Lợi', 'Khánh Thiện', 'Khánh Hồng', 'Khánh Mậu', 'Khánh Vân', 'Khánh Hải', 'Khánh Trung', 'Khánh Công', 'Khánh Thành', 'Khánh Nhạc', 'Khánh Thủy', 'Khánh Hội', 'Khánh Tiên', 'Khánh Cường', 'Yên Lâm', 'Yên Thắng', 'Yên Hòa', 'Yên Mạc'];

export interface OfficeSchoolsOptions {
  /** How many schools to add beside the demo school. */
  schools: number;
  students?: number;
  schoolYear?: string;
  secretBox: SecretBox;
  /** Semester I's scores as the demo school has them (demo/scores.ts), and the school's timeline. */
  scores?: boolean;
  timeline?: boolean;
}

/** One more school's data: its own code and name, no office account (the demo's supervises it), prefixed usernames. */
export function officeSchoolData(index: number, o: { students?: number; schoolYear?: string }): DemoSchool {
  const code = `THCS-${String(index).padStart(2, '0')}`;
  const data = generateDemoSchool({ students: o.students, seed: 2026 + index, schoolYear: o.schoolYear, code });
  const commune = COMMUNES[(index - 2) % COMMUNES.length] + (index - 2 >= COMMUNES.length ? ` ${index}` : '');
  const prefix = `${code.toLowerCase()}.`;
  return {
    ...data,
    school: { ...data.school, name: `Trường THCS ${commune}` },
    accounts: data.accounts.filter((a) => a.atSchool).map((a) => ({ ...a, username: prefix + a.username })),
  };
}

/** Adds `schools` schools under the demo office (the demo school must be seeded); returns their ids. */
export async function seedOfficeSchools(db: Db, o: OfficeSchoolsOptions): Promise<number[]> {
  const office = (await db('users').where({ username: DEMO_USERNAMES.education_office }).first('id')) as { id: number } | undefined;
  if (!office) throw new Error('seedOfficeSchools: seed the demo school first (its office account supervises the others)');
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const ids: number[] = [];
  for (let i = 0; i < o.schools; i++) {
    const data = officeSchoolData(i + 2, o);
    const schoolId = await db.transaction(async (trx) => {
      const { schoolId: id } = await insertDemoSchool(trx, data, { password: DEMO_PASSWORD, passwordHash, secretBox: o.secretBox, now: nowIso() });
      await trx('user_roles').insert({ user_id: office.id, school_id: id, role: 'education_office', manage_accounts: false });
      return id;
    });
    if (o.scores) await seedDemoScores(db, 2026 + i + 2, schoolId);
    if (o.timeline) await seedDemoTimeline(db, { schoolId });
    ids.push(schoolId);
  }
  return ids;
}
