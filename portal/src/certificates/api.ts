import { apiCall } from '../api/client';

/** GET /certificates row (docs/transcripts.md): who owns it, what kind, how long valid, its fingerprint, trusted. */
export interface CertificateRow {
  id: number;
  ownerName?: string | null;
  commonName?: string | null;
  kind: 'personal' | 'seal' | 'ca' | string;
  notBefore?: string | null;
  notAfter?: string | null;
  sha256?: string | null;
  trusted?: boolean;
  issuerCommonName?: string | null;
}

/** GET /signing/delegations: one row per grade, the vice principal who approves it (null: the principal). */
export interface Delegation {
  grade: number;
  staffId: number | null;
  staffName?: string | null;
}

/** GET /transcripts/print-approvals. */
export interface PrintApproval {
  id: number;
  grade?: number | null;
  classId?: number | null;
  className?: string | null;
  schoolYear?: string | null;
  approvedByName?: string | null;
  approvedAt?: string | null;
}

const rows = <T>(r: T[] | { data?: T[] } | null | undefined): T[] => (Array.isArray(r) ? r : (r?.data ?? []));

export const listCertificates = async () => rows(await apiCall<CertificateRow[] | { data?: CertificateRow[] }>('/certificates'));
export const listDelegations = async () => rows(await apiCall<Delegation[] | { data?: Delegation[] }>('/signing/delegations'));
export const saveDelegations = (delegations: Delegation[]) =>
  apiCall<unknown>('/signing/delegations', { method: 'PUT', body: { delegations: delegations.map(({ grade, staffId }) => ({ grade, staffId })) } });
export const listPrintApprovals = async () => rows(await apiCall<PrintApproval[] | { data?: PrintApproval[] }>('/transcripts/print-approvals'));
export const approvePrinting = (scope: { grade: number } | { classId: number }) => apiCall<PrintApproval>('/transcripts/print-approvals', { method: 'POST', body: scope });

/** The seal's PKCS#12 as base64 with its PIN (POST /certificates {kind: 'seal', pkcs12, pin}). */
export async function registerSeal(file: File, pin: string): Promise<unknown> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return apiCall<unknown>('/certificates', { method: 'POST', body: { kind: 'seal', pkcs12: btoa(binary), pin } });
}
