import type { PaperSigner } from '../../domain/transcript/digitisation';
import type { Conn } from './store';

/**
 * The signers of digitised paper years (docs/digitisation.md): a version opened from a paper entry takes its
 * subject and homeroom signers from the entry's snapshot (`transcript_digitisations.signers`), not from the
 * grade book's teaching assignments. Read once per task with the other signers (server/transcripts/chain.ts).
 */

export interface PaperSlot extends PaperSigner {
  /** The teacher's account, if any (a current teacher signs with it). */
  userId: number | null;
  /** Left since the version was opened: nobody may sign until the entry is reopened. */
  leftNow: boolean;
}

export interface PaperChain {
  digitisationId: number;
  /** By signature Id (sig-gvbm-…, sig-gvcn-…). */
  slots: Map<string, PaperSlot>;
  /** Slots of departed teachers the academic staff marked reviewed. */
  reviewed: Set<string>;
}

/** The snapshot stored at opening: per slot the teacher of that year and whether they had left. */
export type SignersSnapshot = Record<string, PaperSigner>;

export async function loadPaperChains(conn: Conn, versionIds: number[]): Promise<Map<number, PaperChain>> {
  const out = new Map<number, PaperChain>();
  for (let i = 0; i < versionIds.length; i += 500) {
    const rows = (await conn('transcript_digitisations').whereIn('version_id', versionIds.slice(i, i + 500)).select('id', 'version_id', 'signers')) as Array<Record<string, unknown>>;
    if (rows.length === 0) continue;
    const snapshots = rows.map((r) => ({ id: Number(r.id), versionId: Number(r.version_id), slots: JSON.parse(String(r.signers ?? '{}')) as SignersSnapshot }));
    const staffIds = [...new Set(snapshots.flatMap((s) => Object.values(s.slots).map((p) => p.staffId)))];
    const staff = (await conn('staff as s').leftJoin('users as u', 'u.staff_id', 's.id').whereIn('s.id', staffIds).select('s.id', 's.status', 'u.id as user_id')) as Array<Record<string, unknown>>;
    const live = new Map(staff.map((r) => [Number(r.id), { left: r.status === 'left', userId: r.user_id === null || r.user_id === undefined ? null : Number(r.user_id) }]));
    const reviews = (await conn('transcript_digitisation_reviews').whereIn('digitisation_id', snapshots.map((s) => s.id)).select('digitisation_id', 'slot')) as Array<Record<string, unknown>>;
    for (const s of snapshots) {
      const slots = new Map<string, PaperSlot>();
      for (const [id, p] of Object.entries(s.slots)) {
        const now = live.get(p.staffId);
        slots.set(id, { ...p, userId: now?.userId ?? null, leftNow: now?.left ?? true });
      }
      const reviewed = new Set(reviews.filter((r) => Number(r.digitisation_id) === s.id).map((r) => String(r.slot)));
      out.set(s.versionId, { digitisationId: s.id, slots, reviewed });
    }
  }
  return out;
}

/** The departed teacher a signature of this slot stands in for (null: an ordinary signature). */
export async function inPlaceOfSlot(conn: Conn, versionId: number, signatureId: string): Promise<{ staffId: number; name: string } | null> {
  const slot = (await loadPaperChains(conn, [versionId])).get(versionId)?.slots.get(signatureId);
  return slot?.left ? { staffId: slot.staffId, name: slot.name } : null;
}
