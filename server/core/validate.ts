import type { z } from 'zod';
import { invalidInput, type FieldError } from './errors';
import type { MessageKey } from './i18n';

type Issue = z.core.$ZodIssue;

const TYPE_KEYS: Record<string, MessageKey> = {
  string: 'expectedText',
  number: 'expectedNumber',
  int: 'expectedNumber',
  boolean: 'expectedBoolean',
  array: 'expectedList',
  object: 'expectedObject',
};

/** Parses `input` with `schema` or throws an invalid-input error whose field errors say, in the client's language, what to fix. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  throw invalidInput(fieldErrors(result.error.issues));
}

export function fieldErrors(issues: Issue[]): Record<string, FieldError> {
  const out: Record<string, FieldError> = {};
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) out[[...issue.path, k].join('.')] ??= { key: 'unknownKey', params: { keys: k } };
      continue;
    }
    const field = issue.path.join('.') || '_';
    out[field] ??= describe(issue);
  }
  return out;
}

function describe(issue: Issue): FieldError {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return { key: 'required' };
      return { key: TYPE_KEYS[issue.expected] ?? 'badFormat' };
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? { key: 'required' } : { key: 'tooShort', params: { min: Number(issue.minimum) } };
      return { key: 'tooSmall', params: { min: Number(issue.minimum) } };
    case 'too_big':
      return issue.origin === 'string' ? { key: 'tooLong', params: { max: Number(issue.maximum) } } : { key: 'tooBig', params: { max: Number(issue.maximum) } };
    case 'invalid_value':
      return { key: 'badChoice', params: { options: issue.values.map(String).join(', ') } };
    case 'invalid_format':
      return { key: 'badFormat' };
    case 'custom':
      // Custom refinements carry a message key in `params.key` (see domain schemas).
      if (issue.params && typeof issue.params.key === 'string') return { key: issue.params.key as never, params: issue.params.params as never };
      return { text: issue.message };
    default:
      return { key: 'badFormat' };
  }
}
