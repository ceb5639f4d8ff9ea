import type { ErrorRequestHandler, RequestHandler } from 'express';
import { langOf, t, type Lang, type MessageKey } from './i18n';

type Params = Record<string, string | number>;
/** A field error: a message key and its params, translated when the response is written. */
export type FieldError = { key: MessageKey; params?: Params } | { text: string };

/** An error the client caused (or may see): a status, a translated message, and optional field errors. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly key: MessageKey,
    readonly params: Params = {},
    readonly fieldErrors: Record<string, FieldError> = {},
    readonly extra: Record<string, unknown> = {},
  ) {
    super(key);
  }
}

export const badRequest = (fields: Record<string, FieldError>) => new HttpError(400, 'validation', {}, fields);
export const forbidden = () => new HttpError(403, 'forbidden');
export const notFound = (entity: string, id: string | number) => new HttpError(404, 'notFound', { entity, id });

function renderField(lang: Lang, e: FieldError): string {
  return 'text' in e ? e.text : t(lang, e.key, e.params);
}

export function errorBody(lang: Lang, err: HttpError): Record<string, unknown> {
  const errors = Object.fromEntries(Object.entries(err.fieldErrors).map(([f, e]) => [f, renderField(lang, e)]));
  return { message: t(lang, err.key, err.params), errors, ...err.extra };
}

export const notFoundRoute: RequestHandler = (req, res) => {
  res.status(404).json({ message: t(langOf(req), 'routeNotFound'), errors: {} });
};

/** Turns every error into `{ message, errors }` with the right status; never leaks a stack trace. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const lang = langOf(req);
  const httpErr = toHttpError(err);
  if (!httpErr) {
    console.error(`[${new Date().toISOString()}] ${req.method} ${req.originalUrl}:`, err);
  }
  const e = httpErr ?? new HttpError(500, 'internal');
  if (res.headersSent) return;
  res.status(e.status).json(errorBody(lang, e));
};

function toHttpError(err: unknown): HttpError | null {
  if (err instanceof HttpError) return err;
  const e = err as { type?: string; status?: number; code?: string; message?: string; constraint?: string; detail?: string };
  if (e?.type === 'entity.parse.failed') return new HttpError(400, 'invalidJson');
  if (e?.type === 'entity.too.large') return new HttpError(413, 'bodyTooLarge');
  if (e?.type === 'charset.unsupported' || e?.type === 'encoding.unsupported') return new HttpError(415, 'unsupportedMediaType');
  // Constraint violations that slipped past validation (a race between two requests, say).
  const msg = String(e?.message ?? '');
  if (e?.code === '23505' || /UNIQUE constraint failed/.test(msg)) {
    // Two requests raced past validation: say so plainly, without database internals.
    return new HttpError(409, 'concurrentDuplicate');
  }
  if (e?.code === '23503' || /FOREIGN KEY constraint failed/.test(msg)) return new HttpError(409, 'badReference');
  return null;
}
