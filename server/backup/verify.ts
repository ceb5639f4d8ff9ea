import fs from 'node:fs';
import type { CheckpointKey } from '../core/audit-checkpoints';
import { AppError } from '../core/errors';
import { msg, type MessageKey, type Params } from '../core/i18n';
import { createDb } from '../db/knex';
import { inspectContents, isUnknownMigration, MAIN_TABLES, type Contents } from './contents';
import { detectKind, formatSize, sha256File, type SnapshotKind } from './files';
import { manifestPathOf, readManifest, type Manifest } from './manifest';
import { pgRestore, withScratchDatabase } from './postgres';
import { integrityOf, withReadonlyDb } from './sqlite';

/** One thing a check found, in words for the operator: fine, worth knowing, or a reason to refuse the backup. */
export interface Finding {
  level: 'ok' | 'warn' | 'fail';
  key: MessageKey;
  params?: Params;
}

export interface SnapshotCheck {
  /** No finding failed: the backup may replace a database. */
  ok: boolean;
  file: string;
  kind: SnapshotKind | null;
  sizeBytes: number;
  sha256: string;
  manifest: Manifest | null;
  contents: Contents | null;
  findings: Finding[];
}

export interface CheckOptions {
  /** The audit checkpoint key the chains are verified with (the server's: AUDIT_CHECKPOINT_KEY or SESSION_SECRET). */
  key: CheckpointKey | null;
  /** The file whose `<file>.json` manifest to compare with (default: the checked file's); false: none yet. */
  manifestOf?: string | false;
  /** The kind of database the backup is meant for (a restore's target): another kind is refused. */
  expectKind?: SnapshotKind;
  /** A PostgreSQL server where a PostgreSQL backup is restored into a scratch database to be checked. */
  pgServer?: string;
  /** The name the operator knows the file by (a restore checks a private copy of it). */
  shownAs?: string;
}

/**
 * The checks every backup passes right after it is written and again before it replaces anything (server/backup/
 * restore.ts): the file against its manifest (SHA-256, size), then its contents opened without touching anything
 * real (SQLite: read-only, `PRAGMA integrity_check`; PostgreSQL: pg_restore into a scratch database), then the
 * audit chains verified and the main tables counted and compared with the manifest. Every finding is kept, so
 * the operator reads all that is wrong at once.
 */
export async function checkSnapshot(file: string, opts: CheckOptions): Promise<SnapshotCheck> {
  if (!fs.existsSync(file)) throw new AppError('not_found', 'backup.fileMissing', { file });
  const findings: Finding[] = [];
  const add = (level: Finding['level'], key: MessageKey, params?: Params) => findings.push({ level, key, params });
  const sizeBytes = fs.statSync(file).size;
  const sha256 = await sha256File(file);
  const check: SnapshotCheck = { ok: false, file: opts.shownAs ?? file, kind: null, sizeBytes, sha256, manifest: null, contents: null, findings };
  add('ok', 'backup.found.file', { file: opts.shownAs ?? file, size: formatSize(sizeBytes), sha256 });
  const done = () => Object.assign(check, { ok: findings.every((f) => f.level !== 'fail') });

  if (opts.manifestOf !== false) {
    const manifestFile = manifestPathOf(opts.manifestOf ?? file);
    const read = readManifest(opts.manifestOf ?? file);
    if ('missing' in read) add('warn', 'backup.found.noManifest', { file: manifestFile });
    else if ('unreadable' in read) add('fail', 'backup.found.manifestUnreadable', { file: manifestFile, detail: read.unreadable });
    else {
      const m = (check.manifest = read.manifest);
      add('ok', 'backup.found.manifest', { file: manifestFile, createdAt: m.createdAtVietnam ?? m.createdAt });
      if (m.sha256 !== sha256) add('fail', 'backup.found.shaMismatch', { expected: m.sha256, actual: sha256 });
      if (m.sizeBytes !== sizeBytes) add('fail', 'backup.found.sizeMismatch', { expected: m.sizeBytes, actual: sizeBytes });
      if (m.sha256 === sha256 && m.sizeBytes === sizeBytes) add('ok', 'backup.found.shaMatches');
    }
  }

  const kind = (check.kind = sizeBytes === 0 ? null : detectKind(file));
  if (!kind) {
    add('fail', sizeBytes === 0 ? 'backup.found.empty' : 'backup.found.unknownFormat');
    return done();
  }
  if (check.manifest && check.manifest.kind !== kind) add('fail', 'backup.found.kindMismatch', { expected: check.manifest.kind, actual: kind });
  if (opts.expectKind && opts.expectKind !== kind) {
    add('fail', 'backup.found.wrongKind', { snapshot: kind, target: opts.expectKind });
    return done();
  }

  const contents = kind === 'sqlite' ? await openSqlite(file, opts.key, add) : await openPostgres(file, opts, add);
  if (!contents) return done();
  check.contents = contents;
  judgeContents(contents, check.manifest, add);
  if (await isUnknownMigration(contents.migration)) add('fail', 'backup.found.newerSchema', { migration: contents.migration ?? '' });
  return done();
}

type Add = (level: Finding['level'], key: MessageKey, params?: Params) => void;

async function openSqlite(file: string, key: CheckpointKey | null, add: Add): Promise<Contents | null> {
  let integrity: string;
  try {
    integrity = integrityOf(file);
  } catch (err) {
    add('fail', 'backup.found.cannotOpen', { detail: (err as Error).message });
    return null;
  }
  if (integrity !== 'ok') {
    add('fail', 'backup.found.integrity', { detail: integrity });
    return null;
  }
  add('ok', 'backup.found.integrityOk');
  return withReadonlyDb(file, (db) => inspectContents(db, key));
}

async function openPostgres(file: string, opts: CheckOptions, add: Add): Promise<Contents | null> {
  if (!opts.pgServer) {
    add('fail', 'backup.found.wrongKind', { snapshot: 'postgres', target: 'sqlite' });
    return null;
  }
  return withScratchDatabase(opts.pgServer, async (scratchUrl) => {
    try {
      await pgRestore(scratchUrl, file, { clean: false });
    } catch (err) {
      if (!(err instanceof AppError) || err.key !== 'backup.toolFailed') throw err;
      add('fail', 'backup.found.pgRestoreFailed', { detail: err.params.detail ?? '' });
      return null;
    }
    add('ok', 'backup.found.scratchRestored');
    const db = createDb(scratchUrl);
    try {
      return await inspectContents(db, opts.key);
    } finally {
      await db.destroy();
    }
  });
}

/** Our tables, the audit chains, and the row counts against the manifest's. */
function judgeContents(contents: Contents, manifest: Manifest | null, add: Add): void {
  if (contents.missingTables.length > 0) {
    add('fail', 'backup.found.notOurs', { table: contents.missingTables });
    return;
  }
  add('ok', 'backup.found.schema', { migration: contents.migration ?? '—' });
  const audit = contents.audit!;
  if (audit.verified) add('ok', 'backup.found.auditOk', { events: audit.events, chains: audit.chains, checkpoints: audit.checkpoints });
  else add('fail', 'backup.found.auditBroken', { id: audit.firstBrokenId ?? '?', reason: audit.reason ?? '' });
  // Still hash-chained: the server's sweep signs them once the chain checks (docs/security.md).
  if (audit.verified && audit.notCheckpointed) add('warn', 'backup.found.auditNotCheckpointed', { events: audit.notCheckpointed });
  const present = MAIN_TABLES.filter(({ table }) => contents.counts[table] !== null && contents.counts[table] !== undefined);
  add('ok', 'backup.found.counts', { counts: present.map(({ table, label }) => msg('backup.count', { label: msg(label), n: contents.counts[table]! })) });
  if (!manifest) return;
  let same = true;
  for (const { table, label } of MAIN_TABLES) {
    if (!(table in manifest.counts)) continue;
    const expected = manifest.counts[table];
    const actual = contents.counts[table] ?? null;
    if (expected !== actual) {
      same = false;
      add('fail', 'backup.found.countMismatch', { table: msg(label), expected: expected ?? '—', actual: actual ?? '—' });
    }
  }
  if (same) add('ok', 'backup.found.countsMatch');
}
