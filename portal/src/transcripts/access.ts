import type { Principal, Role } from '../../../domain/permissions';

/**
 * Who sees the transcript pages (issue 10). The server decides every call; these only keep the menu from leading
 * to pages that would answer 403. They read the roles the way domain/permissions.ts does; when the transcript
 * resources land in domain/permissions (RESOURCES 'transcripts', 'certificates', 'signing-delegations',
 * 'transcript-print-approvals'), `canAccessResource` answers from there and `transcriptResourceAccess` is no
 * longer reached for them.
 */

export const TRANSCRIPT_RESOURCES = ['transcripts', 'certificates', 'signing-delegations', 'transcript-print-approvals'] as const;
export type TranscriptResource = (typeof TRANSCRIPT_RESOURCES)[number];

const hasRole = (p: Principal, roles: Role[]) => p.grants.some((g) => roles.includes(g.role));

/** Read transcripts of the school (the staff, the office); students read their own through "Học bạ của em". */
const READERS: Role[] = ['admin', 'principal', 'vice_principal', 'department_head', 'homeroom_teacher', 'subject_teacher', 'academic_staff', 'records_clerk', 'education_office'];
/** Who may hold a signing task: the teachers (steps 1–2), the principal and the VPs (step 3), the seal holder (step 4). */
const SIGNERS: Role[] = ['subject_teacher', 'homeroom_teacher', 'principal', 'vice_principal', 'records_clerk', 'admin'];

export const canListTranscripts = (p: Principal) => hasRole(p, READERS);
export const canOpenSigning = (p: Principal) => hasRole(p, SIGNERS);
export const canVerifyFiles = (p: Principal) => hasRole(p, [...READERS, 'accountant']);
export const canOpenMyTranscripts = (p: Principal) => hasRole(p, ['student']);
/** The principal opens a year's transcripts after the year-end lock ("Lập học bạ") and a corrected version. */
export const canOpenTranscripts = (p: Principal) => hasRole(p, ['principal']);
/** Certificates: the admin registers the seal, the principal oversees; delegations and print approvals are the principal's. */
export const canManageCertificates = (p: Principal) => hasRole(p, ['admin', 'principal']);
export const canRegisterSeal = (p: Principal) => hasRole(p, ['admin']);
export const canDelegateSigning = (p: Principal) => hasRole(p, ['principal']);
export const canApprovePrinting = (p: Principal) => hasRole(p, ['principal']);

/** react-admin `canAccess` for the transcript resources while domain/permissions does not list them. */
export function transcriptResourceAccess(p: Principal, action: string, resource: string): boolean {
  switch (resource) {
    case 'transcripts':
      return action === 'list' || action === 'show' || action === 'export' ? canListTranscripts(p) : false;
    case 'certificates':
      return action === 'list' || action === 'show' ? canManageCertificates(p) : action === 'create' ? canRegisterSeal(p) : false;
    case 'signing-delegations':
      return action === 'list' || action === 'show' ? canManageCertificates(p) : canDelegateSigning(p);
    case 'transcript-print-approvals':
      return action === 'list' || action === 'show' ? canListTranscripts(p) : canApprovePrinting(p);
    default:
      return false;
  }
}

export const isTranscriptResource = (r: string): r is TranscriptResource => (TRANSCRIPT_RESOURCES as readonly string[]).includes(r);
