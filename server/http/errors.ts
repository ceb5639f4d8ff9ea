import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, type ErrorKind, type FieldError } from '../core/errors';
import { t, type Lang } from '../core/i18n';
import { langOf } from './lang';

/** The HTTP status of each kind of application error. */
export const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported: 415,
  locked: 423,
  busy: 503,
  throttled: 429,
  internal: 500,
};

function renderField(lang: Lang, e: FieldError): string {
  return 'text' in e ? e.text : t(lang, e.key, e.params);
}

export function errorBody(lang: Lang, err: AppError): Record<string, unknown> {
  const errors = Object.fromEntries(Object.entries(err.fieldErrors).map(([f, e]) => [f, renderField(lang, e)]));
  return { message: t(lang, err.key, err.params), errors, ...err.extra };
}

export const notFoundRoute: RequestHandler = (req, res) => {
  res.status(404).json({ message: t(langOf(req), 'routeNotFound'), errors: {} });
};

/** Turns every error into `{ message, errors }` with the right status; never leaks a stack trace. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const lang = langOf(req);
  const appErr = toAppError(err);
  if (!appErr) {
    console.error(`[${new Date().toISOString()}] ${req.method} ${req.originalUrl}:`, err);
  }
  const e = appErr ?? new AppError('internal', 'internal');
  if (res.headersSent) return;
  if (e.kind === 'busy') res.setHeader('Retry-After', '30');
  res.status(STATUS[e.kind]).json(errorBody(lang, e));
};

function toAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  const e = err as { type?: string; status?: number; code?: string; message?: string; constraint?: string; detail?: string };
  if (e?.type === 'entity.parse.failed') return new AppError('invalid', 'invalidJson');
  if (e?.type === 'entity.too.large') {
    // The limit of the route that refused it (imports take more than other writes).
    const limit = Number((e as { limit?: unknown }).limit);
    return Number.isFinite(limit) && limit > 0 ? new AppError('too_large', 'bodyTooLargeLimit', { limit: formatBytes(limit) }) : new AppError('too_large', 'bodyTooLarge');
  }
  if (e?.type === 'charset.unsupported') return new AppError('unsupported', 'unsupportedMediaType');
  // A Content-Encoding we do not read, or a compressed body that does not decompress: the client's fault (400).
  if (e?.type === 'encoding.unsupported' || isBadEncoding(err)) return new AppError('invalid', 'badEncoding');
  // Constraint violations that slipped past validation (a race between two requests, say).
  const msg = String(e?.message ?? '');
  if (e?.code === '23505' || /UNIQUE constraint failed/.test(msg)) {
    // Two requests raced past validation: say so plainly, without database internals.
    return new AppError('conflict', 'concurrentDuplicate');
  }
  if (e?.code === '23503' || /FOREIGN KEY constraint failed/.test(msg)) return new AppError('conflict', 'badReference');
  return null;
}

/** A body-parser error from decompressing a corrupt gzip / deflate / br body (zlib codes Z_… / ERR_…_DECOMPRESSION…). */
function isBadEncoding(err: unknown): boolean {
  const e = err as { status?: number; code?: string; errno?: number; type?: string } | null;
  if (!e || e.status !== 400 || e.type !== undefined) return false;
  return (typeof e.code === 'string' && (/^Z_/.test(e.code) || /^ERR_(ZLIB|BROTLI)/.test(e.code))) || typeof e.errno === 'number';
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}
