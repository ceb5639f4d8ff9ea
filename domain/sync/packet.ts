/**
 * The sync packet's manifest as data (issue 13): what the XML in server/sync/manifest.ts says. Pure types and
 * checks shared by the school's side and the receiving service.
 */
import type { SyncEvent } from './rules';

export interface ManifestEntry {
  /** The record's stable id at the receiver: the transcript's madinhdanhhocba (a UUID). */
  idbanghi: string;
  sukien: SyncEvent;
  /** Rising per idbanghi: every entry of a record is higher than the last (domain/sync/rules.ts). */
  phienban: number;
  /** The transcript version the document is (phienbanthongtinhocba). */
  phienbanhocba: number;
  mahocsinh: string;
  /** The document's file name in the packet; null for a CANCEL, which carries no document. */
  tentep: string | null;
  /** SHA-256 (hex) of the document's bytes; null for a CANCEL. */
  sha256: string | null;
  /** Why, for a CANCEL (the revocation's reason). */
  lydo: string | null;
}

export interface Manifest {
  packetId: string;
  schoolCode: string;
  schoolName: string;
  schoolYear: string;
  createdAt: string;
  entries: ManifestEntry[];
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const SHA256_RE = /^[0-9a-f]{64}$/;
/** Document names in a packet: no directories, nothing a file system could misread. */
export const DOCUMENT_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.xml$/;
export const MANIFEST_NAME = 'manifest.xml';

/** The name a record's document gets in the packet. */
export const documentName = (idbanghi: string, phienbanhocba: number) => `${idbanghi}-v${phienbanhocba}.xml`;
