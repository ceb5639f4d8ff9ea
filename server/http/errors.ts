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
  res.status(STATUS[e.kind]).json(errorBody(lang, e));
};

function toAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  const e = err as { type?: string; status?: number; code?: string; message?: string; constraint?: string; detail?: string };
  if (e?.type === 'entity.parse.failed') return new AppError('invalid', 'invalidJson');
  if (e?.type === 'entity.too.large') return new AppError('too_large', 'bodyTooLarge');
  if (e?.type === 'charset.unsupported' || e?.type === 'encoding.unsupported') return new AppError('unsupported', 'unsupportedMediaType');
  // Constraint violations that slipped past validation (a race between two requests, say).
  const msg = String(e?.message ?? '');
  if (e?.code === '23505' || /UNIQUE constraint failed/.test(msg)) {
    // Two requests raced past validation: say so plainly, without database internals.
    return new AppError('conflict', 'concurrentDuplicate');
  }
  if (e?.code === '23503' || /FOREIGN KEY constraint failed/.test(msg)) return new AppError('conflict', 'badReference');
  return null;
}
