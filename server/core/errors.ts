import type { MessageKey, Params } from './i18n';

export type { Params };
/** A field error: a message key and its params, translated when the answer is written. */
export type FieldError = { key: MessageKey; params?: Params } | { text: string };

/**
 * What went wrong, in terms any entry point can answer: the HTTP layer maps the kind to a status code
 * (server/http/errors.ts), the timeline worker to a retry or a failure.
 */
export type ErrorKind =
  | 'invalid' // the input is wrong (400)
  | 'unauthenticated' // nobody is signed in (401)
  | 'forbidden' // the actor may not do this (403)
  | 'not_found' // (404)
  | 'conflict' // the state of the data refuses it: a duplicate, a stale version, a decided request (409)
  | 'too_large' // (413)
  | 'unsupported' // not a format we read (415)
  | 'locked' // the data is closed: a lock, a cutoff (423)
  | 'busy' // the server is at capacity for this kind of work: retry shortly (503)
  | 'throttled' // too many attempts from this client; try again later (429)
  | 'internal'; // (500)

/** The one application error: a kind, a message key with its params, optional field errors and extra body fields. */
export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly key: MessageKey,
    readonly params: Params = {},
    readonly fieldErrors: Record<string, FieldError> = {},
    readonly extra: Record<string, unknown> = {},
  ) {
    super(key);
  }
}

export const invalidInput = (fields: Record<string, FieldError>) => new AppError('invalid', 'validation', {}, fields);
export const invalidField = (field: string, error: FieldError) => invalidInput({ [field]: error });
export const forbidden = () => new AppError('forbidden', 'forbidden');
export const notFound = (entity: string, id: string | number) => new AppError('not_found', 'notFound', { entity, id });
