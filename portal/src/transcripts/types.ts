/**
 * What the transcript API returns (docs/transcripts.md, "HTTP API"). Fields the plan leaves open are optional, so
 * the pages show what arrives and nothing breaks when the server sends less.
 */

export type TranscriptStatus = 'draft' | 'signing' | 'sealed' | 'superseded' | 'revoked';
export const TRANSCRIPT_STATUSES: TranscriptStatus[] = ['draft', 'signing', 'sealed', 'superseded', 'revoked'];

/** The four steps of the chain (docs/transcripts.md "The chain"). */
export type SigningStep = 'subject' | 'homeroom' | 'approver' | 'seal';
export const SIGNING_STEPS: SigningStep[] = ['subject', 'homeroom', 'approver', 'seal'];

/** "11/13", "1/1", a count object, or a boolean: the server's per-step progress, in whichever form it sends. */
export type StepCount = string | number | boolean | { done: number; total: number } | null | undefined;

/** One row of GET /transcripts. */
export interface TranscriptRow {
  id: number;
  schoolId?: number;
  studentId: number;
  studentName: string;
  className: string;
  classId?: number;
  grade: number;
  schoolYear: string;
  version: number;
  status: TranscriptStatus;
  signed?: Partial<Record<SigningStep, StepCount>>;
  missing?: string[];
}

/**
 * One slot of the chain as GET /transcripts/:id sends it (server/transcripts/queries.ts transcriptDetail): the
 * expected signer, and once signed who signed and when ('seal' for the school's seal).
 */
export interface ChainSlot {
  step: SigningStep;
  signatureId: string;
  covers: string[];
  subject: { id: number; code: string; name: string } | null;
  signer: string | null;
  signed: boolean;
  signedBy: string | null;
  signedAt: string | null;
}

/** One signature of a version, present or still expected (the portal's reading of a slot). */
export interface SignatureSlot {
  step: SigningStep;
  signatureId?: string | null;
  schoolYear?: string | null;
  subjectCode?: string | null;
  subjectName?: string | null;
  signerName?: string | null;
  /** The post of the signer: 'subject_teacher' | 'homeroom_teacher' | 'principal' | 'vice_principal' | 'seal'. */
  role?: string | null;
  signedAt?: string | null;
  /** Ids of the covered parts ('' the whole document). */
  covers?: string[];
}

export interface TranscriptVersionRef {
  id: number;
  version: number;
  status: TranscriptStatus;
  sealedAt?: string | null;
  supersededAt?: string | null;
  reason?: string | null;
}

/** GET /transcripts/:id. */
export interface TranscriptDetail extends TranscriptRow {
  /** The transcript (all versions); POST /transcripts/:transcriptId/reopen opens version + 1. */
  transcriptId?: number;
  schoolYearId?: number;
  transcriptUid: string;
  slots?: ChainSlot[];
  verificationCode?: string | null;
  sha256?: string | null;
  sealedAt?: string | null;
  signatures?: SignatureSlot[];
  printApproved?: boolean;
  printApproval?: { approvedByName?: string | null; approvedAt?: string | null } | null;
  versions?: TranscriptVersionRef[];
  correctionReason?: string | null;
}

/** One group of GET /signing/tasks as the server sends it: `{task: {step, classId?, subjectId?, grade?}, label, …}`. */
export interface SigningTaskWire {
  task: TaskRef;
  label?: string;
  ready: number;
  waiting: number;
  missing?: string[];
}

/** One group of GET /signing/tasks, flattened for the page. */
export interface SigningTask {
  label?: string | null;
  step: SigningStep;
  classId?: number | null;
  className?: string | null;
  subjectId?: number | null;
  subjectName?: string | null;
  grade?: number | null;
  schoolYear?: string | null;
  /** Transcripts this task can sign now. */
  ready: number;
  /** Transcripts waiting for an earlier step. */
  waiting: number;
  /** Already signed by this user. */
  signed?: number;
  total?: number;
  /** Who the waiting ones wait for (names). */
  missing?: string[];
  /** The principal's and seal holder's signing asks for a TOTP code as well. */
  totpRequired?: boolean;
}

export interface TaskRef {
  step: SigningStep;
  classId?: number;
  subjectId?: number;
  grade?: number;
}

/** GET /signing/batches/:id. */
export interface BatchStatus {
  total: number;
  done: number;
  failed: number;
  status: string;
  /** Per failed item: a message key of the server (server/core/i18n.ts) and its parameters. */
  errors?: Array<string | { studentName?: string; studentId?: number; versionId?: number; key?: string; message?: string; reason?: string; params?: unknown }>;
}

/** POST /transcripts/verify. */
export interface VerifyResult {
  kind: 'xml' | 'pdf' | string;
  signatures: SignatureReport[];
  valid?: boolean;
  problems?: string[];
  /** PDF: the last signature's byte range covers the whole file. */
  coversWholeFile?: boolean;
  /** PDF: the attached XML's own verification (or the XML text, or null when none is attached). */
  attachedXml?: { valid?: boolean; signatures?: SignatureReport[]; problems?: string[] } | string | null;
  attachedXmlValid?: boolean | null;
  transcriptUid?: string | null;
  version?: number | null;
}

/** GET /public/transcripts/:code. */
export interface PublicTranscript {
  transcriptUid: string;
  version: number;
  status: string;
  school: string | { name?: string; code?: string } | null;
  sha256: string;
}

/** GET /my/transcripts. */
export interface MyTranscript {
  id: number;
  transcriptUid?: string;
  version: number;
  status: TranscriptStatus;
  schoolYear?: string | null;
  sealedAt?: string | null;
  verificationCode?: string | null;
}

/** server/signing/types.ts SignatureReport as JSON (the portal does not import server code). */
export interface SignatureReport {
  signatureId: string | null;
  signer: {
    commonName: string;
    subjectSerial?: string | null;
    organization?: string | null;
    issuerCommonName?: string;
    notBefore?: string;
    notAfter?: string;
    sha256?: string;
  } | null;
  signingTime: string | null;
  covers: string[];
  chainTrusted: boolean;
  intact: boolean;
  valid: boolean;
  problems: string[];
  /** The server's reading of the signature Id (server/transcripts/verify.ts annotate). */
  role?: string | null;
}
