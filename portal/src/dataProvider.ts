import simpleRestProvider from 'ra-data-simple-rest';
import { fetchUtils, HttpError, type DataProvider, type Identifier } from 'ra-core';
import { apiHeaders } from './auth/session';

export const API_URL = '/api';

/**
 * Server errors arrive as `{ message, errors: { field: message } }` (architecture.md). react-admin shows
 * `error.message` as the notification and, for pessimistic saves, puts `error.body.errors` on the form fields.
 */
function toHttpError(e: unknown): HttpError {
  if (e instanceof HttpError) {
    const body = (e.body && typeof e.body === 'object' ? e.body : {}) as { message?: unknown; errors?: unknown };
    const errors =
      body.errors && typeof body.errors === 'object' && !Array.isArray(body.errors)
        ? Object.fromEntries(Object.entries(body.errors as Record<string, unknown>).map(([k, v]) => [k, String(v)]))
        : {};
    const message =
      typeof body.message === 'string' && body.message
        ? body.message
        : Object.keys(errors).length > 0
          ? 'ra.message.invalid_form'
          : e.status === 403
            ? 'app.common.forbidden'
            : e.message || 'ra.notification.http_error';
    return new HttpError(message, e.status, { ...body, message, errors });
  }
  // fetch() itself failed: offline, server down, DNS…
  return new HttpError('app.common.network_error', 0, { message: 'app.common.network_error', errors: {} });
}

/**
 * The HTTP client of the data provider: same-origin cookies, `Accept-Language` = the UI language, and the session's
 * CSRF token on every state-changing request.
 */
export const httpClient = async (url: string, options: fetchUtils.Options = {}) => {
  const method = (options.method ?? 'GET').toUpperCase();
  const headers = apiHeaders(method, options.headers as HeadersInit | undefined);
  try {
    return await fetchUtils.fetchJson(url, { ...options, headers, credentials: 'include' });
  } catch (e) {
    throw toHttpError(e);
  }
};

export interface AuditChainResult {
  ok: boolean;
  checked: number;
  firstBrokenId: number | null;
  reason: string | null;
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

const base = simpleRestProvider(API_URL, httpClient);

export const dataProvider: PortalDataProvider = {
  ...base,
  async resetPassword(id) {
    const { json } = await httpClient(`${API_URL}/users/${encodeURIComponent(String(id))}/reset-password`, {
      method: 'POST',
      body: '{}',
    });
    return json as { temporaryPassword: string };
  },
  async unlockUser(id) {
    const { json } = await httpClient(`${API_URL}/users/${encodeURIComponent(String(id))}/unlock`, {
      method: 'POST',
      body: '{}',
    });
    return json;
  },
  async verifyAuditChain() {
    const { json } = await httpClient(`${API_URL}/audit-events/verify`);
    return json as AuditChainResult;
  },
  async requestStep(resource, id, step, body = {}) {
    const { json } = await httpClient(`${API_URL}/${resource}/${encodeURIComponent(String(id))}/${step}`, { method: 'POST', body: JSON.stringify(body) });
    return json as Record<string, unknown>;
  },
  async deleteWithReason(resource, id, reason) {
    const { json } = await httpClient(`${API_URL}/${resource}/${encodeURIComponent(String(id))}`, {
      method: 'DELETE',
      body: JSON.stringify(reason ? { reason } : {}),
      headers: new Headers({ 'Content-Type': 'application/json' }),
    });
    return json as Record<string, unknown>;
  },
};
