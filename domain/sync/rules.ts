/**
 * Đồng bộ CSDL (issue 13): which students of a school year go into a sync packet, with which event and version.
 * Pure rules, no I/O.
 *
 * What is known of the ministry's exchange (hoc-ba-so.md, "Formats and signatures": its data dictionary): each
 * record carries `idbanghi`, an event `sukien` (NEW, UPDATE, CANCEL) and a rising `phienban`; the warehouse takes
 * "register" and "revoke" packets from each province under a registered certificate. Only sealed transcripts leave
 * the school (seed 003, 3.3: a signed transcript is sealed); every sync is traceable per student (hoc-ba-so.md,
 * "Sync, lookup, transfer": sent, accepted, rejected and why).
 */

export const SYNC_EVENTS = ['NEW', 'UPDATE', 'CANCEL'] as const;
export type SyncEvent = (typeof SYNC_EVENTS)[number];

export const SYNC_RECORD_STATUSES = ['not_ready', 'ready', 'sent', 'accepted', 'rejected'] as const;
export type SyncRecordStatus = (typeof SYNC_RECORD_STATUSES)[number];

export const SYNC_TRANSPORTS = ['file', 'http'] as const;
export type SyncTransportKind = (typeof SYNC_TRANSPORTS)[number];

/** A student's transcript for the year, as far as sync cares. */
export type TranscriptState =
  | { kind: 'none' }
  | { kind: 'open'; versionId: number; missing: string[] }
  | { kind: 'sealed'; versionId: number; version: number }
  | { kind: 'revoked'; versionId: number; version: number; reason: string | null }
  /** The year's version was superseded by a later year's (which carries this year too): nothing of this year to send. */
  | { kind: 'superseded' };

/** What earlier batches did with this student's record. */
export interface SyncHistory {
  /** Highest phienban ever put in a packet for this record (0 when never). */
  maxPhienban: number;
  /** The record was in an earlier packet (whatever became of it). */
  everSent: boolean;
  /** The last accepted entry, if any. */
  lastAccepted: { versionId: number | null; sukien: SyncEvent } | null;
}

export const NO_HISTORY: SyncHistory = { maxPhienban: 0, everSent: false, lastAccepted: null };

/** Why a student is not in the packet; keys index the server's messages. */
export type NotReady = { key: 'syncNoTranscript' } | { key: 'syncMissingSignatures'; missing: string[] };

export type SyncDecision =
  | { kind: 'skip'; why: 'upToDate' | 'neverSentRevoked' | 'laterVersion' }
  | { kind: 'not_ready'; why: NotReady }
  | { kind: 'entry'; sukien: SyncEvent; phienban: number; versionId: number };

/**
 * - A sealed version in force goes as NEW the first time the record is sent, as UPDATE afterwards — a resend after a
 *   rejection and a fix, or a correction sealed after acceptance (a new version) — unless that very version was
 *   already accepted (nothing to send).
 * - A revoked transcript with no version in force sends a CANCEL, once the receiver holds the record.
 * - Anything else is not ready, and says why: no transcript opened, or whose signatures are still missing.
 * - `phienban` rises with every entry of the record, so the receiver can refuse a stale one ("phienban cũ").
 */
export function decideEntry(state: TranscriptState, history: SyncHistory): SyncDecision {
  const next = history.maxPhienban + 1;
  switch (state.kind) {
    case 'none':
      return { kind: 'not_ready', why: { key: 'syncNoTranscript' } };
    case 'open':
      return { kind: 'not_ready', why: { key: 'syncMissingSignatures', missing: state.missing } };
    case 'superseded':
      return { kind: 'skip', why: 'laterVersion' };
    case 'sealed': {
      const accepted = history.lastAccepted;
      if (accepted && accepted.sukien !== 'CANCEL' && accepted.versionId === state.versionId) return { kind: 'skip', why: 'upToDate' };
      return { kind: 'entry', sukien: history.everSent ? 'UPDATE' : 'NEW', phienban: next, versionId: state.versionId };
    }
    case 'revoked': {
      const accepted = history.lastAccepted;
      if (!accepted) return { kind: 'skip', why: 'neverSentRevoked' };
      if (accepted.sukien === 'CANCEL') return { kind: 'skip', why: 'upToDate' };
      return { kind: 'entry', sukien: 'CANCEL', phienban: next, versionId: state.versionId };
    }
  }
}

/** The receiver's rule on versions: an entry must carry a phienban higher than the one it holds. */
export function isStalePhienban(incoming: number, stored: number | null): boolean {
  return stored !== null && incoming <= stored;
}

/** Progress of a batch for the portal's bar: the share of its entries accepted. */
export function batchProgress(counts: Partial<Record<SyncRecordStatus, number>>): { entries: number; accepted: number; rejected: number; percent: number } {
  const entries = (counts.ready ?? 0) + (counts.sent ?? 0) + (counts.accepted ?? 0) + (counts.rejected ?? 0);
  const accepted = counts.accepted ?? 0;
  return { entries, accepted, rejected: counts.rejected ?? 0, percent: entries === 0 ? 0 : Math.round((accepted * 100) / entries) };
}
