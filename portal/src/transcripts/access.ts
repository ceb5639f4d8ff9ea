import {
  canDirectTranscripts,
  canManageCertificates as canManageSchoolCertificates,
  canPrintTranscripts,
  canTakePartInSigning,
  transcriptReadScope,
  type Principal,
  type Role,
} from '../../../domain/permissions';

/**
 * Who sees the transcript pages (issue 10), from the rules of domain/permissions.ts the server enforces
 * (transcriptReadScope, canTakePartInSigning, canDirectTranscripts, canManageCertificates, canPrintTranscripts),
 * so a menu entry never leads to a page that answers 403. The transcript resources are not in domain RESOURCES;
 * `transcriptResourceAccess` answers react-admin's canAccess for them.
 */

export const TRANSCRIPT_RESOURCES = ['transcripts', 'certificates', 'signing-delegations', 'transcript-print-approvals'] as const;
export type TranscriptResource = (typeof TRANSCRIPT_RESOURCES)[number];

const schools = (p: Principal) => [...new Set(p.grants.map((g) => g.schoolId))];
const anySchool = (p: Principal, rule: (p: Principal, schoolId: number) => boolean) => schools(p).some((s) => rule(p, s));
const hasRole = (p: Principal, roles: Role[]) => p.grants.some((g) => roles.includes(g.role));

/** Staff who read transcripts (school-wide or their own classes); students read theirs through "Học bạ của em". */
export const canListTranscripts = (p: Principal) => anySchool(p, (q, s) => ['all', 'own'].includes(transcriptReadScope(q, s)?.kind ?? ''));
/** Reads every transcript of the school: the print approvals and delegations lists need it. */
export const readsWholeSchool = (p: Principal) => anySchool(p, (q, s) => transcriptReadScope(q, s)?.kind === 'all');
export const canOpenSigning = (p: Principal) => anySchool(p, canTakePartInSigning);
export const canVerifyFiles = canListTranscripts;
export const canOpenMyTranscripts = (p: Principal) => anySchool(p, (q, s) => transcriptReadScope(q, s)?.kind === 'student');
/** "Lập học bạ" (server/transcripts/operations.ts openYearTranscripts): the principal, giáo vụ, the admin. */
export const canOpenTranscripts = (p: Principal) => hasRole(p, ['principal', 'academic_staff', 'admin']);
/** A corrected version, the delegations, print approvals: the principal decides (roles.md). */
export const canCorrectTranscripts = (p: Principal) => anySchool(p, canDirectTranscripts);
export const canDelegateSigning = canCorrectTranscripts;
export const canApprovePrinting = canCorrectTranscripts;
export const canPrint = (p: Principal) => anySchool(p, canPrintTranscripts);
/** The admin registers the seal and trust anchors. */
export const canRegisterSeal = (p: Principal) => anySchool(p, canManageSchoolCertificates);
/** The certificates page: the admin (certificates) and the principal (delegations, print approvals). */
export const canManageCertificates = (p: Principal) => canRegisterSeal(p) || canCorrectTranscripts(p);

/** react-admin `canAccess` for the transcript resources while domain/permissions does not list them. */
export function transcriptResourceAccess(p: Principal, action: string, resource: string): boolean {
  switch (resource) {
    case 'transcripts':
      return action === 'list' || action === 'show' || action === 'export' ? canListTranscripts(p) : false;
    case 'certificates':
      return action === 'list' || action === 'show' ? canManageCertificates(p) : action === 'create' ? canRegisterSeal(p) : false;
    case 'signing-delegations':
      return action === 'list' || action === 'show' ? readsWholeSchool(p) : canDelegateSigning(p);
    case 'transcript-print-approvals':
      return action === 'list' || action === 'show' ? readsWholeSchool(p) : canApprovePrinting(p);
    default:
      return false;
  }
}

export const isTranscriptResource = (r: string): r is TranscriptResource => (TRANSCRIPT_RESOURCES as readonly string[]).includes(r);
