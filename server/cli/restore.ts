import readline from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { findingLines } from '../backup/report';
import { restoreSnapshot } from '../backup/restore';
import { ConfigError, loadConfig } from '../config';
import { configureAuditCheckpoints } from '../core/audit-checkpoints';
import { AppError } from '../core/errors';
import { t } from '../core/i18n';

/**
 * npm run restore -- <file> [--yes] — checks a backup (server/backup/verify.ts) and prints what it found, then,
 * only if every check passed and the operator confirmed (--yes, or typing "co" at the prompt), replaces the
 * configured database with it (server/backup/restore.ts). Stop the server first: an open database is refused.
 * Exit 0 when restored, 1 when refused, cancelled or failed — nothing is replaced then.
 */
const YES = new Set(['co', 'có', 'c', 'y', 'yes', 'dong y', 'đồng ý']);

try {
  const { values, positionals } = parseArgs({ options: { yes: { type: 'boolean', default: false } }, allowPositionals: true });
  if (positionals.length !== 1) throw new AppError('invalid', 'backup.usage');
  const config = loadConfig();
  configureAuditCheckpoints(config);
  const file = positionals[0];
  console.log(t('vi', 'backup.checking', { file }));
  const result = await restoreSnapshot(config, file, {
    onChecked: (check) => {
      for (const line of findingLines(check.findings)) console.log(line);
    },
    confirm: async () => {
      if (values.yes) return true;
      if (!process.stdin.isTTY) throw new AppError('invalid', 'backup.needsConfirmation');
      const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
      try {
        const answer = await rl.question(t('vi', 'backup.confirmPrompt', { target: config.databaseUrl.replace(/\/\/[^@]*@/, '//…@') }));
        return YES.has(answer.trim().toLowerCase());
      } finally {
        rl.close();
      }
    },
  });
  if (result.status === 'restored') {
    console.log(t('vi', 'backup.restored', { file: result.check.file, target: result.target }));
    if (result.previous) console.log(t('vi', 'backup.previousKept', { file: result.previous }));
  } else {
    console.error(t('vi', result.status === 'refused' ? 'backup.refused' : 'backup.cancelled'));
    process.exitCode = 1;
  }
} catch (err) {
  console.error(err instanceof AppError ? t('vi', err.key, err.params) : err instanceof ConfigError ? err.message : err);
  process.exitCode = 1;
}
