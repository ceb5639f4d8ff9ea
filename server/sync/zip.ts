/**
 * The packet as a ZIP (fflate): `manifest.xml` first, then one XML per student. The same bytes go to the file
 * export (the admin uploads them through the ministry or province portal) and over HTTP (the receiving service).
 *
 * Reading a ZIP from outside is bounded before anything is trusted: entries counted, each name checked, and the
 * inflated bytes counted as they come out (a streaming inflate fed in small chunks), so a zip bomb — or a header
 * that lies about its sizes — is stopped at the limit instead of filling memory or the CPU.
 */
import { Unzip, UnzipInflate, zipSync, type Zippable } from 'fflate';
import { DOCUMENT_NAME_RE, MANIFEST_NAME } from '../../domain/sync/packet';
import { AppError } from '../core/errors';

export function zipPacket(manifestXml: string, documents: Array<{ name: string; xml: string }>, createdAt: string): Buffer {
  // A fixed modification time: the same batch gives the same bytes on every download and every retry.
  const mtime = new Date(createdAt);
  const files: Zippable = { [MANIFEST_NAME]: [Buffer.from(manifestXml, 'utf8'), { mtime }] };
  for (const d of documents) files[d.name] = [Buffer.from(d.xml, 'utf8'), { mtime }];
  return Buffer.from(zipSync(files, { level: 6 }));
}

export interface ZipLimits {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 5_001, maxEntryBytes: 5_000_000, maxTotalBytes: 500_000_000 };

const CHUNK = 16 * 1024;

/** The entries of an untrusted packet ZIP, by name; refuses (AppError) anything beyond the limits or oddly named. */
export function unzipPacket(zip: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let total = 0;
  let entries = 0;
  const tooLarge = () => new AppError('too_large', 'sync.zipTooLarge', { max: `${Math.round(limits.maxEntryBytes / 1_000_000)} MB` });
  const unzip = new Unzip((file) => {
    entries++;
    if (entries > limits.maxEntries) throw new AppError('too_large', 'sync.zipTooManyEntries', { max: limits.maxEntries });
    if (file.name !== MANIFEST_NAME && !DOCUMENT_NAME_RE.test(file.name)) throw new AppError('invalid', 'sync.zipBadName', { name: file.name.slice(0, 80) });
    if (out.has(file.name)) throw new AppError('invalid', 'sync.zipBadName', { name: file.name.slice(0, 80) });
    if (file.originalSize !== undefined && file.originalSize > limits.maxEntryBytes) throw tooLarge();
    const parts: Uint8Array[] = [];
    let size = 0;
    file.ondata = (err, chunk, final) => {
      if (err) throw new AppError('invalid', 'sync.zipCorrupt', { detail: err.message.slice(0, 120) });
      size += chunk.length;
      total += chunk.length;
      if (size > limits.maxEntryBytes || total > limits.maxTotalBytes) throw tooLarge();
      parts.push(chunk);
      if (final) out.set(file.name, Buffer.concat(parts));
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    for (let at = 0; at < zip.length; at += CHUNK) unzip.push(zip.subarray(at, Math.min(zip.length, at + CHUNK)), at + CHUNK >= zip.length);
    if (zip.length === 0) unzip.push(new Uint8Array(0), true);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('invalid', 'sync.zipCorrupt', { detail: err instanceof Error ? err.message.slice(0, 120) : 'zip' });
  }
  return out;
}
