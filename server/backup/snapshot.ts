import path from 'node:path';
import type { Config } from '../config';
import { systemWideActor, type Actor } from '../core/actor';
import { appendAudit, type AuditEntry } from '../core/audit';
import { checkpointKeyFrom } from '../core/audit-checkpoints';
import { dialect, type Db } from '../db/knex';
import { snapshotPath, vnDateTime } from './files';
import { appVersion, writeManifest, type Manifest } from './manifest';
import { dumpPostgres, pgDumpVersion, pgTarget } from './postgres';
import { snapshotSqlite, sqliteFileOf } from './sqlite';
import { checkSnapshot, type SnapshotCheck } from './verify';

export interface BackupOptions {
  /** The file to write (never overwritten); default `<dir>/<name>-<Vietnam time>.sqlite|.dump`. */
  out?: string;
  /** Default DATA_DIR/backups. */
  dir?: string;
  /**
   * Who is recorded in the audit trail. Default: the system ("Hệ thống") in the system's chain — a backup covers
   * every school's records, whether the operator's command or, later, the timeline's nightly run takes it.
   */
  actor?: Actor;
  /** A word in the default file name after the database's name (`school-nightly-2026-12-02T0200.sqlite`). */
  label?: string;
}

export interface BackupResult {
  file: string;
  manifestFile: string;
  manifest: Manifest;
  /** The checks the backup passed (or not) right after it was written: the same a restore runs. */
  check: SnapshotCheck;
}

/**
 * Quy chế Học bạ số, Điều 8: "thực hiện sao lưu định kỳ, phòng chống mất dữ liệu". Takes a consistent backup of
 * the database `db` is connected to while it keeps serving (SQLite's online backup, or pg_dump), checks it as a
 * restore would, writes its manifest next to it and records it in the audit trail (action `backup`, entity
 * `backups`). `config.databaseUrl` must name that database: the client programs and the second SQLite connection
 * need its address, which a knex instance does not give back. A backup that fails its checks is still kept — it
 * is a copy of what the database holds, perhaps the only one — but `check.ok` is false and the audit row says so.
 */
export async function takeBackup(db: Db, config: Pick<Config, 'databaseUrl' | 'dataDir' | 'sessionSecret' | 'auditCheckpointKey'>, opts: BackupOptions = {}): Promise<BackupResult> {
  const createdAt = new Date();
  const dir = opts.dir ?? path.join(config.dataDir, 'backups');
  const key = checkpointKeyFrom(config);
  let file: string;
  let source: string;
  let tool: string | undefined;
  if (dialect(db) === 'sqlite') {
    const live = sqliteFileOf(config.databaseUrl);
    source = `sqlite:${live}`;
    file = snapshotPath({ out: opts.out, dir, base: withLabel(path.basename(live).replace(/\.[^.]*$/, ''), opts.label), ext: '.sqlite', now: createdAt });
    await snapshotSqlite(live, file);
  } else {
    const url = config.databaseUrl;
    const target = pgTarget(url);
    source = target.shown;
    tool = await pgDumpVersion();
    file = snapshotPath({ out: opts.out, dir, base: withLabel(target.database, opts.label), ext: '.dump', now: createdAt });
    await dumpPostgres(url, file);
  }

  const check = await checkSnapshot(file, { key, manifestOf: false, pgServer: dialect(db) === 'pg' ? config.databaseUrl : undefined });
  const contents = check.contents;
  const manifest: Manifest = {
    format: 1,
    kind: dialect(db) === 'pg' ? 'postgres' : 'sqlite',
    file: path.basename(file),
    createdAt: createdAt.toISOString(),
    createdAtVietnam: vnDateTime(createdAt),
    source,
    sizeBytes: check.sizeBytes,
    sha256: check.sha256,
    counts: contents?.counts ?? {},
    audit: contents?.audit ?? { verified: false, events: 0, chains: 0, checkpoints: 0, firstBrokenId: null, reason: 'not checked' },
    app: { version: appVersion(), migration: contents?.migration ?? null },
    ...(tool ? { tool } : {}),
  };
  const manifestFile = writeManifest(file, manifest);
  await recordInLiveDatabase(db, opts.actor ?? systemWideActor(), {
    action: 'backup',
    entity: 'backups',
    entityId: manifest.file,
    after: {
      file,
      sizeBytes: manifest.sizeBytes,
      sha256: manifest.sha256,
      checked: check.ok,
      failed: check.findings.filter((f) => f.level === 'fail').map((f) => f.key),
      auditEvents: manifest.audit.events,
      scores: manifest.counts.assessment_scores ?? null,
    },
  });
  return { file, manifestFile, manifest, check };
}

const withLabel = (base: string, label: string | undefined) => (label ? `${base}-${label}` : base);

/**
 * Appends the backup's audit row to a database another process (the server) is writing. On SQLite the transaction
 * takes the write lock first (BEGIN IMMEDIATE, server/db/knex.ts), waiting its turn up to busy_timeout; a few
 * retries cover a server saving without pause for longer than that.
 */
async function recordInLiveDatabase(db: Db, actor: Actor, entry: AuditEntry): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(async (trx) => {
        await appendAudit(trx, actor, entry);
      });
    } catch (err) {
      if (attempt >= 5 || !String((err as { code?: string }).code).startsWith('SQLITE_BUSY')) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.random() * 50));
    }
  }
}
