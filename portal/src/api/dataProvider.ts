import simpleRestProvider from 'ra-data-simple-rest';
import type { DataProvider, Identifier } from 'ra-core';
import { API_URL, apiCall, httpClient } from './client';

export interface AuditChainResult {
  ok: boolean;
  checked: number;
  firstBrokenId: number | null;
  reason: string | null;
  /** Events older than a couple of minutes that no signed checkpoint covers yet (a warning, not a break). */
  notCheckpointed?: number;
}

export interface PortalDataProvider extends DataProvider {
  /** POST /api/users/:id/reset-password → the temporary password, shown once. */
  resetPassword(id: Identifier): Promise<{ temporaryPassword: string }>;
  /** POST /api/users/:id/unlock */
  unlockUser(id: Identifier): Promise<unknown>;
  /** GET /api/audit-events/verify */
  verifyAuditChain(): Promise<AuditChainResult>;
  /**
   * A state change of a request or record that is not a plain create/update/delete: POST /api/<resource>/:id/<step>
   * (unlock-requests approve|reject; correction-requests approve|reject|confirm|cancel|apply) → the updated record.
   */
  requestStep(resource: string, id: Identifier, step: string, body?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** DELETE with a reason in the body: lifting a lock, revoking a delegation (the record stays, marked). */
  deleteWithReason(resource: string, id: Identifier, reason?: string): Promise<Record<string, unknown>>;
}

const idPath = (resource: string, id: Identifier) => `/${resource}/${encodeURIComponent(String(id))}`;

/** ra-data-simple-rest over the API, plus the record actions that are not plain CRUD; all through ./client. */
export const dataProvider: PortalDataProvider = {
  ...simpleRestProvider(API_URL, httpClient),
  resetPassword: (id) => apiCall<{ temporaryPassword: string }>(`${idPath('users', id)}/reset-password`, { method: 'POST', body: {} }),
  unlockUser: (id) => apiCall<unknown>(`${idPath('users', id)}/unlock`, { method: 'POST', body: {} }),
  verifyAuditChain: () => apiCall<AuditChainResult>('/audit-events/verify'),
  requestStep: (resource, id, step, body = {}) => apiCall<Record<string, unknown>>(`${idPath(resource, id)}/${step}`, { method: 'POST', body }),
  deleteWithReason: (resource, id, reason) =>
    apiCall<Record<string, unknown>>(idPath(resource, id), { method: 'DELETE', body: reason ? { reason } : {} }),
};
