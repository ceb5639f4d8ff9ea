/**
 * A child process for the crash tests: one email delivery round (deliverEmails) at a virtual instant.
 * Usage: npx tsx test/timeline/deliver-child.ts <database-url> <smtp-url> <now>
 */
import { createDb } from '../../server/db/knex';
import { deliverEmails } from '../../server/notifications/deliver';
import { smtpMailer } from '../../server/notifications/mailer';

const [url, smtp, now] = process.argv.slice(2);
const db = createDb(url);
await deliverEmails(db, smtpMailer(smtp, 'so-diem@thcs.test'), now);
await db.destroy();
