import { describe, expect, it } from 'vitest';
import { diffEntries, digitisationStatus, inPlaceNote, paperSlotSigner, reconcileEntries, type DigitisationEntry } from '../domain/transcript/digitisation';

/** The pure rules of digitising paper transcripts (domain/transcript/digitisation.ts, docs/digitisation.md). */
const base = (): DigitisationEntry => ({
  subjects: [
    { subjectId: 1, hk1: '7.5', hk2: '8', year: '7.8', retest: null, comment: 'Chăm', teacherStaffId: 10 },
    { subjectId: 2, hk1: 'D', hk2: 'D', year: 'D', retest: null, comment: null, teacherStaffId: 11 },
  ],
  summary: {
    learning: { hk1: 'K', hk2: 'K', year: 'K', afterRetest: null },
    conduct: { hk1: 'T', hk2: 'T', year: 'T', afterSummerTraining: null },
    absences: 2,
    summerTraining: false,
    promoted: true,
    completedLevel: null,
    award: null,
    homeroomComment: null,
  },
  homeroomStaffId: 11,
  principalStaffId: null,
});

describe('digitisation rules', () => {
  it('finds no difference between two equal readings, whatever order the subjects were typed in', () => {
    const b = base();
    b.subjects.reverse();
    expect(diffEntries(base(), b)).toEqual([]);
  });

  it('names each differing field with both values', () => {
    const b = base();
    b.subjects[0].hk1 = '6.5';
    b.summary.absences = 3;
    b.homeroomStaffId = 12;
    expect(diffEntries(base(), b)).toEqual([
      { path: 'subjects.1.hk1', first: '7.5', second: '6.5' },
      { path: 'summary.absences', first: 2, second: 3 },
      { path: 'homeroomStaffId', first: 11, second: 12 },
    ]);
  });

  it('reconciles per field and refuses while a difference has no choice', () => {
    const b = base();
    b.subjects[0].hk1 = '6.5';
    b.summary.absences = 3;
    expect(reconcileEntries(base(), b, { 'summary.absences': 'second' })).toEqual({ missing: ['subjects.1.hk1'] });
    const r = reconcileEntries(base(), b, { 'summary.absences': 'second', 'subjects.1.hk1': 'first' });
    expect('entry' in r && r.entry.summary.absences).toBe(3);
    expect('entry' in r && r.entry.subjects.map((s) => [s.subjectId, s.hk1])).toEqual([
      [1, '7.5'],
      [2, 'D'],
    ]);
  });

  it('keeps a subject only one reading has when all its fields are taken from that reading', () => {
    const b = base();
    b.subjects.push({ subjectId: 3, hk1: '9', hk2: '9', year: '9', retest: null, comment: null, teacherStaffId: 10 });
    const paths = diffEntries(base(), b).map((d) => d.path);
    expect(paths.every((p) => p.startsWith('subjects.3.'))).toBe(true);
    const take = reconcileEntries(base(), b, Object.fromEntries(paths.map((p) => [p, 'second' as const])));
    expect('entry' in take && take.entry.subjects.map((s) => s.subjectId)).toEqual([1, 2, 3]);
    const drop = reconcileEntries(base(), b, Object.fromEntries(paths.map((p) => [p, 'first' as const])));
    expect('entry' in drop && drop.entry.subjects.map((s) => s.subjectId)).toEqual([1, 2]);
  });

  it('lets a current teacher sign their own, and only the principal, after the review, for a departed one', () => {
    expect(paperSlotSigner({ staffId: 10, name: 'A', left: false }, false)).toEqual({ kind: 'teacher', staffId: 10 });
    expect(paperSlotSigner({ staffId: 11, name: 'B', left: true }, false)).toEqual({ kind: 'principalInPlace', ready: false });
    expect(paperSlotSigner({ staffId: 11, name: 'B', left: true }, true)).toEqual({ kind: 'principalInPlace', ready: true });
    expect(inPlaceNote('Trần Thị B')).toBe('Hiệu trưởng ký thay cho GV Trần Thị B đã nghỉ việc');
  });

  it("reports the version's progress once opened", () => {
    expect(digitisationStatus('to_reconcile', null)).toBe('to_reconcile');
    expect(digitisationStatus('opened', 'draft')).toBe('reviewing');
    expect(digitisationStatus('opened', 'signing')).toBe('signing');
    expect(digitisationStatus('opened', 'superseded')).toBe('sealed');
  });
});
