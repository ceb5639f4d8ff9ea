import { apiCall } from '../api/client';

/** GET /certificates row (docs/transcripts.md): who owns it, what kind, how long valid, its fingerprint, trusted. */
export interface CertificateRow {
  id: number;
  /** The staff member of a personal certificate (null for the seal and the roots). */
  staffName?: string | null;
  commonName?: string | null;
  kind: 'person' | 'seal' | 'root' | string;
  notBefore?: string | null;
  notAfter?: string | null;
  sha256?: string | null;
  /** A trust anchor of the school (the roots). */
  trusted?: boolean;
  revokedAt?: string | null;
  softwareKeystore?: boolean;
}

/** GET /signing/delegations?schoolYearId=: per grade of a year, the vice principal's account that approves it. */
export interface Delegation {
  grade: number;
  /** The vice principal's user account; null: the principal approves. */
  userId: number | null;
  fullName?: string | null;
  schoolYearId?: number;
}

/** GET /transcripts/print-approvals. */
export interface PrintApproval {
  id: number;
  schoolYearId: number;
  grade: number;
  classId: number | null;
  approvedBy?: string | null;
  approvedAt?: string | null;
}

const rows = <T>(r: T[] | { data?: T[] } | null | undefined): T[] => (Array.isArray(r) ? r : (r?.data ?? []));

export const listCertificates = async () => rows(await apiCall<CertificateRow[] | { data?: CertificateRow[] }>('/certificates'));
export const listDelegations = async (schoolYearId: number) => rows(await apiCall<Delegation[] | { data?: Delegation[] }>(`/signing/delegations?schoolYearId=${schoolYearId}`));
export const saveDelegations = (schoolYearId: number, delegations: Delegation[]) =>
  apiCall<unknown>('/signing/delegations', { method: 'PUT', body: { schoolYearId, delegations: delegations.map(({ grade, userId }) => ({ grade, userId })) } });
export const listPrintApprovals = async () => rows(await apiCall<PrintApproval[] | { data?: PrintApproval[] }>('/transcripts/print-approvals'));
/** The principal approves printing a grade, or one class of it, of a school year. */
export const approvePrinting = (scope: { schoolYearId: number; grade: number; classId?: number }) => apiCall<PrintApproval>('/transcripts/print-approvals', { method: 'POST', body: scope });

/** A PKCS#12 as base64 with its PIN (POST /certificates {kind: 'seal' | 'person', pkcs12, pin}). */
export async function registerPkcs12(kind: 'seal' | 'person', file: File, pin: string): Promise<unknown> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return apiCall<unknown>('/certificates', { method: 'POST', body: { kind, pkcs12: btoa(binary), pin } });
}
