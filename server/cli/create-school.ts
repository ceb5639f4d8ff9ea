import { parseArgs } from 'node:util';
import { z } from 'zod';
import { searchKey } from '../../domain/text';
import { hashPassword, temporaryPassword } from '../auth/passwords';
import { ConfigError, loadConfig } from '../config';
import { createDb, migrateLatest, nowIso } from '../db/knex';
import { recordAudit } from '../core/audit';
import { insertReturningId } from '../core/records';

/**
 * npm run school:create -- --code THCS-XX --name "Trường THCS …" --level THCS --admin-username admin --admin-name "…"
 *
 * Starts a real (non-demo) school: the school row and its first admin account, with a one-time password that must be
 * changed — and a TOTP factor enrolled — at first login. Everything else is then done in the portal.
 */
const Args = z.object({
  code: z.string().regex(/^[A-Za-z0-9_-]{2,32}$/, 'letters, digits, - or _, 2–32 characters'),
  name: z.string().trim().min(3).max(200),
  level: z.enum(['THCS', 'THPT']),
  'admin-username': z.string().regex(/^[a-z0-9][a-z0-9._-]{2,63}$/, 'lower-case letters, digits, . _ -'),
  'admin-name': z.string().trim().min(3).max(200),
});

const { values } = parseArgs({
  options: {
    code: { type: 'string' },
    name: { type: 'string' },
    level: { type: 'string', default: 'THCS' },
    'admin-username': { type: 'string', default: 'admin' },
    'admin-name': { type: 'string' },
  },
});

try {
  const parsed = Args.safeParse(values);
  if (!parsed.success) {
    console.error('Invalid arguments:\n' + parsed.error.issues.map((i) => `  --${i.path.join('.')}: ${i.message}`).join('\n'));
    process.exit(1);
  }
  const a = parsed.data;
  const config = loadConfig();
  const db = createDb(config.databaseUrl);
  await migrateLatest(db);
  const password = temporaryPassword();
  const hash = await hashPassword(password);
  const now = nowIso();
  const adminId = await db.transaction(async (trx) => {
    if (await trx('schools').where({ code: a.code }).first()) throw new Error(`A school with code ${a.code} already exists; nothing was changed.`);
    if (await trx('users').where({ username: a['admin-username'] }).first()) throw new Error(`Username ${a['admin-username']} is taken; nothing was changed.`);
    const schoolId = await insertReturningId(trx, 'schools', {
      code: a.code,
      name: a.name.normalize('NFC'),
      level: a.level,
      created_at: now,
      updated_at: now,
    });
    const userId = await insertReturningId(trx, 'users', {
      school_id: schoolId,
      username: a['admin-username'],
      full_name: a['admin-name'].normalize('NFC'),
      search_text: searchKey(a['admin-username'], a['admin-name']),
      password_hash: hash,
      must_change_password: true,
      created_at: now,
      updated_at: now,
    });
    await trx('user_roles').insert({ user_id: userId, school_id: schoolId, role: 'admin', manage_accounts: false });
    return userId;
  });
  await recordAudit(db, { userId: null, username: 'cli', roles: [], ip: null, schoolId: null }, { action: 'create', entity: 'users', entityId: adminId, after: { username: a['admin-username'], role: 'admin' }, reason: 'school:create' });
  await db.destroy();
  console.log(`School ${a.code} created. First admin: ${a['admin-username']}  one-time password: ${password}`);
  console.log('At first login the admin sets up two-factor authentication and chooses a new password.');
} catch (err) {
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : err);
  process.exit(1);
}
