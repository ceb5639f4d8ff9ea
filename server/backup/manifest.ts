import fs from 'node:fs';
import type { AuditSummary, Counts } from './contents';
import type { SnapshotKind } from './files';
import { writeDurably } from './files';
import { fromRoot } from '../paths';

/**
 * The manifest written next to each backup (`<file>.json`): what the backup held when it was made, so a restore can
 * tell a damaged or edited file (SHA-256, size) and a file from another backup (row counts) before replacing
 * anything. It never holds a password.
 */
export interface Manifest {
  format: 1;
  kind: SnapshotKind;
  file: string;
  /** ISO-8601 UTC, and the same instant in Vietnam time for people. */
  createdAt: string;
  createdAtVietnam: string;
  /** `sqlite:/abs/path.sqlite` or `postgres://user@host:port/db` (no password). */
  source: string;
  sizeBytes: number;
  sha256: string;
  counts: Counts;
  audit: AuditSummary;
  app: { version: string; migration: string | null };
  /** pg_dump's own version line, for PostgreSQL backups. */
  tool?: string;
}

export const manifestPathOf = (file: string): string => `${file}.json`;

export function writeManifest(file: string, manifest: Manifest): string {
  const to = manifestPathOf(file);
  writeDurably(to, JSON.stringify(manifest, null, 2) + '\n');
  return to;
}

export type ManifestRead = { manifest: Manifest } | { missing: true } | { unreadable: string };

/** The manifest of a backup file, if there is one and it reads as one. */
export function readManifest(file: string): ManifestRead {
  const from = manifestPathOf(file);
  if (!fs.existsSync(from)) return { missing: true };
  try {
    const parsed = JSON.parse(fs.readFileSync(from, 'utf8')) as Partial<Manifest>;
    if (typeof parsed.sha256 !== 'string' || typeof parsed.sizeBytes !== 'number' || !parsed.counts || typeof parsed.counts !== 'object') {
      return { unreadable: 'sha256, sizeBytes or counts is missing' };
    }
    return { manifest: parsed as Manifest };
  } catch (err) {
    return { unreadable: (err as Error).message };
  }
}

/** The app's version from package.json, recorded so a restore knows which program wrote the backup. */
export function appVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(fromRoot('package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
