import Decimal from 'decimal.js';

/**
 * Scores and money-like values never go through binary floats in our code. PostgreSQL `numeric` arrives as a
 * string; SQLite stores a REAL and hands back a number whose shortest round-trip form is the decimal we wrote
 * (one decimal place, 0–10: always exact). This is the one place both are turned into a canonical string.
 */
export function toDecimalString(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`not a finite decimal: ${v}`);
    return new Decimal(String(v)).toString();
  }
  if (typeof v === 'string') return new Decimal(v.trim()).toString();
  throw new Error(`not a decimal: ${String(v)}`);
}

export function toDecimal(v: unknown): Decimal | null {
  const s = toDecimalString(v);
  return s === null ? null : new Decimal(s);
}
