import { fetchUtils, HttpError } from 'ra-core';
import { currentLocale, i18nProvider } from '../i18n';

/**
 * The portal's one way to the API (issue 7). The data provider (./dataProvider) and every custom action — the grade
 * book grid, approvals, locks, imports, progress, the sign-in steps — go through `httpClient` here, so the base URL,
 * the cookies, the headers (UI language, CSRF token), JSON parsing and the error conversion live in one place.
 */

/** Where the API is mounted (same origin as the portal). */
export const API_URL = '/api';

let csrfToken: string | null = null;

/** The session's CSRF token, sent on every state-changing call; auth/session sets it on sign-in and clears it. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Headers every API call carries: JSON, the UI language, and the CSRF token on state-changing calls. */
function apiHeaders(method: string, base?: HeadersInit): Headers {
  const headers = new Headers(base ?? { Accept: 'application/json' });
  if (!headers.has('Accept')) headers.set('Accept', 'application/json');
  headers.set('Accept-Language', currentLocale());
  const m = method.toUpperCase();
  if (m !== 'GET' && m !== 'HEAD' && csrfToken) headers.set('X-CSRF-Token', csrfToken);
  return headers;
}

/**
 * Server errors arrive as `{ message, errors: { field: message } }` (architecture.md). react-admin shows
 * `error.message` as the notification and, for pessimistic saves, puts `error.body.errors` on the form fields; the
 * custom pages read the same through `errorBody` / `errorText`. A message is a text from the server or a translation
 * key of the portal.
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
 * One HTTP call to a full API URL (the data provider's client): same-origin cookies, the headers above, the body
 * parsed as JSON; rejects with `HttpError` whose body is `{ message, errors, …extra }`.
 */
export async function httpClient(url: string, options: fetchUtils.Options = {}) {
  const method = (options.method ?? 'GET').toUpperCase();
  const headers = apiHeaders(method, options.headers as HeadersInit | undefined);
  try {
    return await fetchUtils.fetchJson(url, { ...options, method, headers, credentials: 'include' });
  } catch (e) {
    throw toHttpError(e);
  }
}

export interface ApiInit {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as JSON. */
  body?: unknown;
}

/** A custom action: `path` below `/api` (with its query string) → the parsed JSON response. */
export async function apiCall<T>(path: string, init: ApiInit = {}): Promise<T> {
  const { json } = await httpClient(`${API_URL}${path}`, {
    method: init.method ?? 'GET',
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return json as T;
}

/**
 * A file sent as it is (the verification page's XML or PDF): raw body with its content type, JSON back. Same
 * cookies, language and CSRF header as every other call.
 */
export async function apiSend<T>(path: string, body: Blob, contentType: string): Promise<T> {
  const { json } = await httpClient(`${API_URL}${path}`, {
    method: 'POST',
    body,
    headers: { Accept: 'application/json', 'Content-Type': contentType },
  });
  return json as T;
}

/**
 * A file from the API (an Excel export, issue 12): the same cookies, language header and error conversion as every
 * other call — a refusal arrives as `HttpError` with the server's Vietnamese message — and the file's name from
 * Content-Disposition.
 */
export async function apiDownload(path: string): Promise<{ blob: Blob; fileName: string }> {
  const headers = apiHeaders('GET', { Accept: '*/*' });
  let res: Response;
  try {
    res = await fetch(`${API_URL}${path}`, { method: 'GET', headers, credentials: 'include' });
  } catch (e) {
    throw toHttpError(e);
  }
  if (!res.ok) {
    let body: Record<string, unknown> = {};
    try {
      body = (await res.json()) as Record<string, unknown>;
    } catch {
      /* not JSON: the status says enough */
    }
    throw toHttpError(new HttpError(typeof body.message === 'string' ? body.message : res.statusText, res.status, body));
  }
  return { blob: await res.blob(), fileName: fileNameOf(res.headers.get('Content-Disposition')) ?? 'export.xlsx' };
}

/** The name a Content-Disposition gives: `filename*` (RFC 5987, UTF-8: the Vietnamese name) before `filename`. */
export function fileNameOf(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*UTF-8''([^;\s]+)/i.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      /* malformed: fall back to the plain name */
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"/i.exec(header) ?? /filename\s*=\s*([^;]+)/i.exec(header);
  return plain ? plain[1].trim() : null;
}

/** A message in the UI language: the server's are already; the portal's own (network error, forbidden…) are keys. */
const inUiLanguage = (message: string): string => (message ? i18nProvider.translate(message, { _: message }) : message);

/**
 * The server's error body (`{ status, message, errors, …extra }`) from a rejected call, its message ready to show
 * (a portal key such as the network error is translated).
 */
export function errorBody(e: unknown): { status: number; message: string; errors: Record<string, string>; [k: string]: unknown } {
  const err = e as { status?: number; message?: string; body?: Record<string, unknown> };
  const body = (err?.body && typeof err.body === 'object' ? err.body : {}) as Record<string, unknown>;
  const errors = body.errors && typeof body.errors === 'object' ? (body.errors as Record<string, string>) : {};
  const message = typeof body.message === 'string' ? body.message : (err?.message ?? '');
  return { ...body, status: err?.status ?? 0, message: inUiLanguage(message), errors };
}

/** The server's message and every field error, as one line for a notification or a form's error text. */
export function errorText(e: unknown): string {
  const b = errorBody(e);
  return [b.message, ...Object.values(b.errors)].filter(Boolean).join(' ');
}
