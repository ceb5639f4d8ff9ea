import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { VN_OFFSET_MS } from '../../domain/cutoffs';
import { AppError } from '../core/errors';

export type SnapshotKind = 'sqlite' | 'postgres';

/** SHA-256 of a file, read as a stream: a school's database can be larger than we want in memory at once. */
export async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * What a file holds, from its first bytes: an SQLite database ("SQLite format 3\0") or a pg_dump custom-format
 * archive ("PGDMP"); null for anything else (a damaged file, a plain-SQL dump, the wrong file).
 */
export function detectKind(file: string): SnapshotKind | null {
  const head = Buffer.alloc(16);
  const fd = fs.openSync(file, 'r');
  let read: number;
  try {
    read = fs.readSync(fd, head, 0, 16, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (read === 16 && head.toString('latin1') === 'SQLite format 3\0') return 'sqlite';
  if (read >= 5 && head.subarray(0, 5).toString('latin1') === 'PGDMP') return 'postgres';
  return null;
}

/** `2026-12-01T0930`: the Vietnam wall-clock minute of an instant (UTC+7 all year), as backup names carry it. */
export function vnStamp(instant: Date = new Date()): string {
  const local = new Date(instant.getTime() + VN_OFFSET_MS).toISOString(); // its UTC fields are Vietnam's
  return `${local.slice(0, 10)}T${local.slice(11, 13)}${local.slice(14, 16)}`;
}

/** `2026-12-01 09:30:12` in Vietnam time, for people reading a manifest. */
export function vnDateTime(instant: Date = new Date()): string {
  return new Date(instant.getTime() + VN_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * Where a new backup goes: `--out` as given (refused if it exists: a backup never overwrites anything), or
 * `<dir>/<base>-<Vietnam time>.<ext>`, with `-2`, `-3`… when two backups fall in the same minute.
 */
export function snapshotPath(opts: { out?: string; dir: string; base: string; ext: string; now?: Date }): string {
  if (opts.out) {
    const out = path.resolve(opts.out);
    if (fs.existsSync(out)) throw new AppError('conflict', 'backup.outExists', { file: out });
    return out;
  }
  fs.mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
  const stem = path.join(path.resolve(opts.dir), `${opts.base}-${vnStamp(opts.now)}`);
  for (let n = 1; ; n++) {
    const candidate = `${stem}${n === 1 ? '' : `-${n}`}${opts.ext}`;
    if (!fs.existsSync(candidate) && !fs.existsSync(`${candidate}.partial`)) return candidate;
  }
}

/** How a backup's size reads (one rule with the portal's). */
export { formatSize } from '../../domain/text';

/** Writes a file and flushes it to disk before returning (a manifest is worth nothing if it is lost with power). */
export function writeDurably(file: string, text: string): void {
  const fd = fs.openSync(file, 'w', 0o600);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Flushes a file already written by another program (sqlite, pg_dump) to disk. */
export function flushFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
