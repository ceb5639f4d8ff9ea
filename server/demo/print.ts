import { ROLES } from '../../domain/permissions';
import type { SecretBox } from '../auth/secret-box';
import type { Db } from '../db/knex';
import { DEMO_PIN } from '../transcripts/seed';
import { DEMO_USERNAMES } from './accounts';
import { DEMO_PASSWORD, type DemoAccount } from './seed';

/**
 * Prints the demo accounts, one per role, with the TOTP secrets of the roles that need one — on every start of a
 * demo database, not only the first: a newcomer who missed the first start's output was locked out of the admin and
 * principal accounts (issue 12, trap 8).
 */
export function printDemoAccounts(accounts: DemoAccount[]): void {
  console.log('\nTrường mẫu (demo school). Tài khoản dùng thử (demo accounts), one per role — printed on every start:');
  console.table(accounts.map((a) => ({ role: a.role, username: a.username, password: a.password, name: a.fullName, totpSecret: a.totpSecret ?? '' })));
  if (accounts.some((a) => a.totpSecret)) {
    console.log('Accounts with a TOTP secret need a code from an authenticator app: add the secret (base32, SHA-1, 6 digits, 30 s).\n');
  }
  // Học bạ số: every demo signer (teachers, leadership, the school seal) has a TEST certificate in a software keystore.
  console.log(`Mã PIN chứng thư số thử nghiệm (demo keystore PIN, every signer and the school seal): ${DEMO_PIN}\n`);
}

/**
 * The demo accounts as the database holds them now: the demo password while it is unchanged, and the TOTP secret
 * in use (re-enrolled or not). Accounts removed or renamed since the seed are left out.
 */
export async function demoAccountsNow(db: Db, box: SecretBox): Promise<DemoAccount[]> {
  const users = (await db('users')
    .whereIn('username', Object.values(DEMO_USERNAMES))
    .select('username', 'full_name', 'totp_secret', 'totp_enabled', 'password_changed_at', 'created_at')) as Array<Record<string, unknown>>;
  const byName = new Map(users.map((u) => [String(u.username), u]));
  return ROLES.flatMap((role) => {
    const u = byName.get(DEMO_USERNAMES[role]);
    if (!u) return [];
    const unchanged = String(u.password_changed_at) === String(u.created_at);
    const totp = u.totp_enabled && u.totp_secret ? box.open(String(u.totp_secret)) : undefined;
    return [{ role, username: String(u.username), password: unchanged ? DEMO_PASSWORD : '(đã đổi / changed)', fullName: String(u.full_name), ...(totp ? { totpSecret: totp } : {}) }];
  });
}
