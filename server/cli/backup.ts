import { parseArgs } from 'node:util';
import { formatSize } from '../backup/files';
import { findingLines } from '../backup/report';
import { takeBackup } from '../backup/snapshot';
import { backupSettingsOf, ConfigError, loadConfig } from '../config';
import { configureAuditCheckpoints } from '../core/audit-checkpoints';
import { AppError } from '../core/errors';
import { t } from '../core/i18n';
import { createDb } from '../db/knex';

/**
 * npm run backup [-- --out FILE] — a consistent backup of the configured database while the server runs
 * (server/backup/snapshot.ts): BACKUP_DIR (default DATA_DIR/backups)/<name>-<Vietnam time>.sqlite|.dump by default, checked at once as a
 * restore would check it, with its manifest beside it. Exit 0 when the backup passed its checks, 1 otherwise.
 */
try {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const config = loadConfig();
  configureAuditCheckpoints(config);
  const db = createDb(config.databaseUrl);
  try {
    const { file, manifestFile, check } = await takeBackup(db, config, { out: values.out, dir: backupSettingsOf(config).dir });
    console.log(t('vi', check.ok ? 'backup.done' : 'backup.doneButFailed', { file, size: formatSize(check.sizeBytes) }));
    for (const line of findingLines(check.findings)) console.log(line);
    console.log(t('vi', 'backup.manifestWritten', { file: manifestFile }));
    if (!check.ok) process.exitCode = 1;
  } finally {
    await db.destroy();
  }
} catch (err) {
  console.error(err instanceof AppError ? t('vi', err.key, err.params) : err instanceof ConfigError ? err.message : err);
  process.exitCode = 1;
}
