import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { hashPassword } from '../../server/auth/passwords';
import { insertReturningId } from '../../server/core/records';
import { DEMO_PASSWORD } from '../../server/demo/seed';
import type { Db } from '../../server/db/knex';
import { nowIso } from '../../server/db/knex';

/**
 * A second school in the same database (one deployment, two schools): the school, the same current school year, one
 * class of the given grade, and a vice principal who may import transfer packages (the demo password).
 */
export async function addSecondSchool(db: Db, o: { code: string; name: string; grade: number; username: string }): Promise<{ schoolId: number; classId: number; className: string; username: string }> {
  const now = nowIso();
  const current = (await db('school_years').where({ is_current: true }).orderBy('id').first('name', 'start_date', 'end_date')) as { name: string; start_date: string; end_date: string };
  const schoolId = await insertReturningId(db, 'schools', { code: o.code, name: o.name, level: 'THCS', province: 'Khánh Hòa', district: 'Nha Trang', created_at: now, updated_at: now });
  const yearId = await insertReturningId(db, 'school_years', { school_id: schoolId, name: current.name, start_date: current.start_date, end_date: current.end_date, is_current: true });
  const classId = await insertReturningId(db, 'classes', { school_id: schoolId, school_year_id: yearId, grade: o.grade, name: `${o.grade}A1`, search_text: `${o.grade}a1` });
  const userId = await insertReturningId(db, 'users', {
    school_id: schoolId,
    username: o.username,
    full_name: 'Phó Hiệu Trưởng Trường Mới',
    search_text: o.username,
    password_hash: await hashPassword(DEMO_PASSWORD),
    disabled: false,
    must_change_password: false,
    failed_login_count: 0,
    totp_enabled: false,
    password_changed_at: now,
    created_at: now,
    updated_at: now,
  });
  await db('user_roles').insert({ user_id: userId, school_id: schoolId, role: 'vice_principal', department_ids: '[]', grades: '[6,7,8,9]', manage_accounts: false });
  return { schoolId, classId, className: `${o.grade}A1`, username: o.username };
}

/** A package with one file changed by `change` (the other files and their names as they were). */
export function editInZip(zip: Buffer, pick: (name: string) => boolean, change: (xml: string) => string): Buffer {
  const files = unzipSync(new Uint8Array(zip));
  const name = Object.keys(files).find(pick);
  if (!name) throw new Error('no such file in the package');
  files[name] = strToU8(change(strFromU8(files[name])));
  return Buffer.from(zipSync(files));
}

export const filesOf = (zip: Buffer): Record<string, string> => Object.fromEntries(Object.entries(unzipSync(new Uint8Array(zip))).map(([k, v]) => [k, strFromU8(v)]));
