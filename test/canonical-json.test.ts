import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../server/core/audit';

/** The definition: JSON of a copy with every object's keys sorted (what audit rows before this change hashed). */
function reference(v: unknown): string {
  const sorted = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sorted);
    if (x && typeof x === 'object') return Object.fromEntries(Object.keys(x).sort().map((k) => [k, sorted((x as Record<string, unknown>)[k])]));
    return x;
  };
  return JSON.stringify(sorted(v));
}

describe('audit rows: canonical JSON', () => {
  it.each([
    ['keys already in order (a grid save)', { cells: [{ kind: 'regular', seq: 1, studentId: 7, value: '8.5' }], comments: [{ studentId: 7, text: 'Chăm' }] }],
    ['keys out of order, nested', { value: '8', studentId: 7, nested: { z: 1, a: [{ y: 2, b: null }] } }],
    ['one object out of order deep inside ordered ones', { a: [{ a: 1, b: 2 }, { b: 2, a: 1 }], b: 'x' }],
    ['number-like keys (JavaScript lists them first, sorting puts "10" before "2")', { 2: 'b', 10: 'a', x: 1 }],
    ['undefined values and holes', { b: undefined, a: [undefined, 1], c: { d: undefined } }],
    ['a Date (no own keys)', { at: new Date('2026-11-30T00:00:00Z'), a: 1 }],
    ['Vietnamese keys and text', { 'Điểm': 'Đạt', 'ánh': 'ổn', a: 'Nguyễn Văn A' }],
    ['primitives', ['8.5', 8.5, true, null]],
  ])('%s: the same text as the sorted copy', (_name, value) => {
    expect(canonicalJson(value)).toBe(reference(value));
  });

  it('the same content in any key order gives the same text', () => {
    expect(canonicalJson({ studentId: 7, kind: 'final', seq: 1, value: null })).toBe(canonicalJson({ kind: 'final', seq: 1, studentId: 7, value: null }));
  });
});
