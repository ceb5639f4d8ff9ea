import type { RequestHandler } from 'express';
import { MAX_INT } from '../core/fields';
import { AppError } from '../core/errors';

/**
 * Refuses, before any route runs, what one database accepts and the other fails on (issue 8, item 9):
 * a NUL character in any text (PostgreSQL cannot store it in text) and any integer beyond the 32-bit range of
 * the id and count columns (PostgreSQL: "out of range for type integer"). Both are refused with 400 on SQLite too,
 * so the two databases behave the same. Checked: the path (route params), the query string (including the JSON
 * of `filter`, `sort` and `range`) and the parsed JSON body.
 */
export const refuseUnstorableInput: RequestHandler = (req, _res, next) => {
  checkPath(req.path);
  for (const [k, v] of Object.entries(req.query as Record<string, unknown>)) checkQueryValue(v, `query.${k}`);
  if (req.body !== undefined) checkJson(req.body, 'body', 0);
  next();
};

const nul = (where: string) => new AppError('invalid', 'nulCharacter', { where }, { [where]: { key: 'nulCharacter', params: { where } } });
const tooBig = (where: string) => new AppError('invalid', 'numberOutOfRange', { where, max: MAX_INT }, { [where]: { key: 'numberOutOfRange', params: { where, max: MAX_INT } } });

/** A number-looking text (a route param or a query value) beyond the integer columns' range. */
function outOfRange(s: string): boolean {
  const t = s.trim();
  if (t === '' || !/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$|^0x[0-9a-f]+$/i.test(t)) return false;
  const n = Number(t);
  return Number.isFinite(n) && Math.abs(n) > MAX_INT;
}

function checkPath(path: string): void {
  for (const raw of path.split('/')) {
    if (raw === '') continue;
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      throw new AppError('invalid', 'badQuery', { param: 'path' });
    }
    if (seg.includes('\u0000')) throw nul('path');
    if (outOfRange(seg)) throw tooBig('path');
  }
}

function checkQueryValue(v: unknown, where: string): void {
  if (typeof v === 'string') {
    if (v.includes('\u0000')) throw nul(where);
    if (outOfRange(v)) throw tooBig(where);
    // ra-data-simple-rest sends filter / sort / range as JSON: its numbers and texts get the body's checks.
    const t = v.trim();
    if (t.startsWith('{') || t.startsWith('[')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(t);
      } catch {
        return; // the list parser answers 400 for bad JSON
      }
      checkJson(parsed, where, 0);
    }
    return;
  }
  if (Array.isArray(v)) v.forEach((x, i) => checkQueryValue(x, `${where}.${i}`));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) checkQueryValue(x, `${where}.${k}`);
}

function checkJson(v: unknown, where: string, depth: number): void {
  if (depth > 64) throw new AppError('invalid', 'badQuery', { param: where });
  if (typeof v === 'string') {
    if (v.includes('\u0000')) throw nul(where);
    return;
  }
  if (typeof v === 'number') {
    if (Number.isInteger(v) && Math.abs(v) > MAX_INT) throw tooBig(where);
    return;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) checkJson(v[i], `${where}.${i}`, depth + 1);
    return;
  }
  if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k.includes('\u0000')) throw nul(where);
      checkJson(x, where === 'body' ? k : `${where}.${k}`, depth + 1);
    }
  }
}
