import { migrationSource } from '../../migrations';
import { verifyChain } from '../audit/audit-log';
import type { CheckpointKey } from '../core/audit-checkpoints';
import type { MessageKey } from '../core/i18n';
import type { Db } from '../db/knex';

/**
 * What a database holds, as a backup's manifest records it and a restore compares it: row counts of the main
 * tables, the schema's last migration, and whether the audit chains verify — with the audit module's own
 * verification (server/audit/audit-log.ts, the one `npm run audit:verify` runs), never a second copy of it.
 */
export const MAIN_TABLES: ReadonlyArray<{ table: string; label: MessageKey }> = [
  { table: 'schools', label: 'backup.table.schools' },
  { table: 'users', label: 'backup.table.users' },
  { table: 'staff', label: 'backup.table.staff' },
  { table: 'students', label: 'backup.table.students' },
  { table: 'classes', label: 'backup.table.classes' },
  { table: 'enrolments', label: 'backup.table.enrolments' },
  { table: 'assessment_scores', label: 'backup.table.assessment_scores' },
  { table: 'conduct_records', label: 'backup.table.conduct_records' },
  { table: 'transcript_versions', label: 'backup.table.transcript_versions' },
  { table: 'audit_events', label: 'backup.table.audit_events' },
  { table: 'audit_checkpoints', label: 'backup.table.audit_checkpoints' },
];

/** Table → rows; null when the table does not exist (a backup from before that table's migration). */
export type Counts = Record<string, number | null>;

export interface AuditSummary {
  verified: boolean;
  events: number;
  chains: number;
  checkpoints: number;
  firstBrokenId: number | null;
  reason: string | null;
  /** Events older than the grace period that no signed checkpoint covers yet (absent in older manifests). */
  notCheckpointed?: number;
}

export interface Contents {
  /** Tables the app cannot do without that are missing: not one of our databases. */
  missingTables: string[];
  migration: string | null;
  counts: Counts;
  audit: AuditSummary | null;
}

const REQUIRED = ['knex_migrations', 'audit_events', 'audit_chain_head', 'audit_checkpoints'];

export async function inspectContents(db: Db, key: CheckpointKey | null): Promise<Contents> {
  const missingTables: string[] = [];
  for (const table of REQUIRED) if (!(await db.schema.hasTable(table))) missingTables.push(table);
  if (missingTables.length > 0) return { missingTables, migration: null, counts: {}, audit: null };

  const last = (await db('knex_migrations').orderBy('id', 'desc').first('name')) as { name: string } | undefined;
  const counts = await countRows(db);
  const report = await verifyChain(db, { key });
  const audit: AuditSummary = {
    verified: report.ok,
    events: report.checked,
    chains: report.chains.length,
    checkpoints: report.checkpoints,
    firstBrokenId: report.firstBrokenId,
    reason: report.reason,
    notCheckpointed: report.notCheckpointed,
  };
  return { missingTables, migration: last?.name ?? null, counts, audit };
}

/** Rows of each main table (null: no such table). */
export async function countRows(db: Db): Promise<Counts> {
  const counts: Counts = {};
  for (const { table } of MAIN_TABLES) {
    counts[table] = (await db.schema.hasTable(table)) ? Number(((await db(table).count({ n: '*' }).first()) as { n: number | string }).n) : null;
  }
  return counts;
}

/** A migration this version of the app does not know: the backup was made by a newer version. */
export async function isUnknownMigration(name: string | null): Promise<boolean> {
  if (name === null) return false;
  return !(await migrationSource.getMigrations([])).includes(name);
}
