import { DEMO_PIN } from '../transcripts/seed';
import type { DemoAccount } from './seed';

/** Prints the demo accounts at first start, one per role, with the TOTP secrets of the roles that need one. */
export function printDemoAccounts(accounts: DemoAccount[]): void {
  console.log('\nTrường mẫu đã được tạo. Tài khoản dùng thử (demo accounts), one per role:');
  console.table(accounts.map((a) => ({ role: a.role, username: a.username, password: a.password, name: a.fullName, totpSecret: a.totpSecret ?? '' })));
  if (accounts.some((a) => a.totpSecret)) {
    console.log('Accounts with a TOTP secret need a code from an authenticator app: add the secret (base32, SHA-1, 6 digits, 30 s).\n');
  }
  // Học bạ số: every demo signer (teachers, leadership, the school seal) has a TEST certificate in a software keystore.
  console.log(`Mã PIN chứng thư số thử nghiệm (demo keystore PIN, every signer and the school seal): ${DEMO_PIN}\n`);
}
