/**
 * What the receiving service decides for each entry of a packet whose manifest seal holds: the document is the
 * one the manifest names (SHA-256), well-formed, valid against schemas/hocba-v1.xsd, every signature valid with
 * the school's seal on it, about the record and school the manifest says, and newer than what is stored.
 * Reasons are in Vietnamese and name what failed (a broken signature by its Id and role).
 */
import crypto from 'node:crypto';
import type { Manifest, ManifestEntry } from '../../domain/sync/packet';
import { isStalePhienban } from '../../domain/sync/rules';
import { AppError } from '../core/errors';
import { parseUntrustedXml } from '../signing/safe-xml';
import { sealedTranscriptProblem } from '../transcripts/sealed-check';
import { validateTranscriptXmls } from '../transcripts/xsd';
import type { AcceptedChange, ReceiverStore } from './store';

export type ReasonCode = 'missing_document' | 'hash' | 'malformed' | 'schema' | 'header' | 'signature' | 'stale_version' | 'exists' | 'unknown_record';

export interface EntryResult {
  idbanghi: string;
  sukien: ManifestEntry['sukien'];
  phienban: number;
  status: 'accepted' | 'rejected';
  reason?: { code: ReasonCode; message: string };
}

/** A packet that contains hostile XML anywhere is refused whole (an attack, not a student's error). */
export class HostilePacket extends Error {
  constructor(readonly error: AppError, readonly file: string) {
    super(error.key);
  }
}

/** Refuses the packet if any file in it is hostile XML (DTD, entities, oversize, too deep). */
export function refuseHostile(files: Map<string, Buffer>): void {
  for (const [name, bytes] of files) {
    try {
      parseUntrustedXml(bytes.toString('utf8'));
    } catch (err) {
      if (err instanceof AppError && err.key !== 'xml.malformed') throw new HostilePacket(err, name);
    }
  }
}

export async function judgeEntries(manifest: Manifest, files: Map<string, Buffer>, anchors: string[], store: ReceiverStore): Promise<{ results: EntryResult[]; changes: AcceptedChange[] }> {
  const docs = new Map<string, string>();
  const early = new Map<string, EntryResult['reason']>();
  for (const e of manifest.entries) {
    if (e.sukien === 'CANCEL') continue;
    const bytes = files.get(e.tentep!);
    if (!bytes) early.set(e.idbanghi, { code: 'missing_document', message: `Gói không có tệp ${e.tentep}.` });
    else if (crypto.createHash('sha256').update(bytes).digest('hex') !== e.sha256) early.set(e.idbanghi, { code: 'hash', message: `Mã băm SHA-256 của ${e.tentep} khác với bản kê (tệp đã bị thay đổi).` });
    else docs.set(e.idbanghi, bytes.toString('utf8'));
  }
  const ids = [...docs.keys()];
  const schema = await validateTranscriptXmls(ids.map((id) => docs.get(id)!));
  ids.forEach((id, i) => {
    const check = schema[i];
    if (!check.ok) early.set(id, { code: 'schema', message: `Tài liệu không khớp lược đồ hocba-v1.xsd: ${check.errors.slice(0, 2).join('; ')}` });
  });
  const results: EntryResult[] = [];
  const changes: AcceptedChange[] = [];
  for (const e of manifest.entries) {
    const reason = early.get(e.idbanghi) ?? (e.sukien === 'CANCEL' ? null : documentProblem(docs.get(e.idbanghi)!, e, manifest, anchors)) ?? storeProblem(e, store);
    const base = { idbanghi: e.idbanghi, sukien: e.sukien, phienban: e.phienban };
    if (reason) {
      results.push({ ...base, status: 'rejected', reason });
      continue;
    }
    results.push({ ...base, status: 'accepted' });
    changes.push({ idbanghi: e.idbanghi, sukien: e.sukien, phienban: e.phienban, phienbanhocba: e.phienbanhocba, mahocsinh: e.mahocsinh, sha256: e.sha256, xml: docs.get(e.idbanghi) ?? null });
  }
  return { results, changes };
}

function documentProblem(xml: string, e: ManifestEntry, m: Manifest, anchors: string[]): EntryResult['reason'] | null {
  return sealedTranscriptProblem(xml, anchors, { transcriptUid: e.idbanghi, schoolCode: m.schoolCode, version: e.phienbanhocba }).problem;
}

function storeProblem(e: ManifestEntry, store: ReceiverStore): EntryResult['reason'] | null {
  const stored = store.record(e.idbanghi);
  if (stored && isStalePhienban(e.phienban, stored.phienban)) return { code: 'stale_version', message: `phienban cũ: ${e.phienban} không cao hơn phienban đã lưu ${stored.phienban}.` };
  if (e.sukien === 'NEW' && stored) return { code: 'exists', message: `Bản ghi ${e.idbanghi} đã có (phienban ${stored.phienban}): hãy gửi UPDATE.` };
  if (e.sukien === 'CANCEL' && (!stored || stored.status === 'cancelled')) return { code: 'unknown_record', message: `Không có bản ghi ${e.idbanghi} đang hiệu lực để hủy.` };
  return null;
}
