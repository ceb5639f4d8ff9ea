import { describe, expect, it } from 'vitest';
import {
  afterRetest,
  award,
  conductYearResult,
  learningResult,
  LEVELS,
  parseComment,
  parseScore,
  retestSubjects,
  ScoringInputError,
  semesterAverage,
  semesterComment,
  studentYearOutcome,
  yearAverage,
  yearComment,
  type Comment,
  type Level,
  type ScoringOptions,
  type StudentYearInput,
  type SubjectInput,
  type SubjectResult,
} from '../domain/scoring';

// A lower-secondary timetable: 8 scored subjects, 4 comment subjects (Điều 5).
const SCORED = ['toan', 'van', 'anh', 'khtn', 'lsdl', 'gdcd', 'cn', 'tin'];
const COMMENTED = ['gdtc', 'nghe-thuat', 'hdtn', 'gddp'];

/** Subject results from 8 averages (in SCORED order) and 4 comment results (default all Đạt). */
function results(averages: string[], comments: Comment[] = ['D', 'D', 'D', 'D']): SubjectResult[] {
  return [
    ...averages.map((average, i): SubjectResult => ({ subject: SCORED[i], kind: 'scored', average })),
    ...comments.map((result, i): SubjectResult => ({ subject: COMMENTED[i], kind: 'comment', result })),
  ];
}
const level = (averages: string[], comments?: Comment[]) => learningResult(results(averages, comments));
const n = (count: number, value: string) => Array<string>(count).fill(value);

describe('parseScore (Điều 5: 0–10, an integer or one decimal)', () => {
  it.each([
    ['8,5', '8.5'],
    ['8.5', '8.5'],
    ['10', '10'],
    ['10,0', '10'],
    ['10.0', '10'],
    ['0', '0'],
    ['0,5', '0.5'],
    ['9,9', '9.9'],
    [' 7 ', '7'],
    ['7.0', '7'],
    ['08', '8'],
    ['8.50', '8.5'],
  ])('accepts %j → %s', (input, canonical) => {
    expect(parseScore(input)).toEqual({ ok: true, value: canonical });
  });

  it.each([
    ['abc', 'format'],
    ['', 'format'],
    ['   ', 'format'],
    ['8.', 'format'],
    ['.5', 'format'],
    ['8,5,5', 'format'],
    ['8 5', 'format'],
    ['8,,5', 'format'],
    ['1e1', 'format'],
    ['+8', 'format'],
    ['NaN', 'format'],
    ['Infinity', 'format'],
    ['８', 'format'],
    ['11', 'range'],
    ['10.1', 'range'],
    ['100', 'range'],
    ['-1', 'range'],
    ['-0,5', 'range'],
    ['10.25', 'range'],
    ['8.25', 'precision'],
    ['0,05', 'precision'],
    ['9.99', 'precision'],
  ])('refuses %j (%s)', (input, error) => {
    expect(parseScore(input)).toEqual({ ok: false, error });
  });

  it('refuses a non-string (a JSON number slipped through) as format', () => {
    expect(parseScore(8.5 as unknown as string)).toEqual({ ok: false, error: 'format' });
  });
});

describe('parseComment (Điều 5: Đạt / Chưa đạt)', () => {
  it.each([
    ['D', 'D'],
    ['d', 'D'],
    ['Đ', 'D'],
    ['đ', 'D'],
    [' Đ ', 'D'],
    ['Đạt', 'D'],
    ['đạt', 'D'],
    ['Dat', 'D'],
    ['Đạt'.normalize('NFD'), 'D'],
    ['CD', 'CD'],
    ['cd', 'CD'],
    ['Cd', 'CD'],
    ['cđ', 'CD'],
    ['CĐ', 'CD'],
    ['CĐ'.normalize('NFD'), 'CD'],
    ['Chưa đạt', 'CD'],
    ['Chưa đạt'.normalize('NFD'), 'CD'],
    ['chua dat', 'CD'],
  ])('accepts %j → %s', (input, code) => {
    expect(parseComment(input)).toEqual({ ok: true, value: code });
  });

  it.each(['', 'X', 'C', 'DD', 'CDD', '8', 'Tốt', 'K', 'không đạt'])('refuses %j', (input) => {
    expect(parseComment(input)).toEqual({ ok: false, error: 'format' });
  });
});

describe('semester average (Điều 9.1): (Σtx + 2·gk + 3·ck) / (n + 5), half up in decimal', () => {
  it.each([
    // [regular, midterm, final, exact value, rounded]
    [['8', '8', '8'], '6', '10', '66/8 = 8.25', '8.3'],
    [['8', '8', '8.8'], '6', '10', '66.8/8 = 8.35 (floats print 8.3)', '8.4'],
    [['5', '5', '5.6'], '3', '6', '39.6/8 = 4.95', '5'],
    [['0', '0', '0.4'], '0', '0', '0.4/8 = 0.05', '0.1'],
    [['6', '6', '6.6'], '6', '7', '51.6/8 = 6.45', '6.5'],
    [['8', '8', '8.4'], '6', '10', '66.4/8 = 8.3 exactly', '8.3'],
    [['8', '8', '7.8'], '6', '10', '65.8/8 = 8.225', '8.2'],
    [['7', '8'], '9', '6', '51/7 = 7.2857…', '7.3'],
    [['7', '8'], '9', '5.5', '49.5/7 = 7.0714…', '7.1'],
    [['9', '9', '9', '9'], '8', '8.5', '77.5/9 = 8.6111…', '8.6'],
    [['10', '10', '10', '10'], '10', '10', '90/9', '10'],
    [['0', '0'], '0', '0', '0/7', '0'],
  ])('%j, gk %s, ck %s: %s → %s', (regular, midterm, final, _exact, rounded) => {
    expect(semesterAverage(regular, midterm, final)).toBe(rounded);
  });

  it('takes typed input with a comma', () => {
    expect(semesterAverage(['8', '8', '8,8'], '6', '10')).toBe('8.4');
  });

  it.each([
    [['8', null, '8'], '7', '7', 3],
    [['8', '8'], '7', '7', 3],
    [['8', '8', '8'], null, '7', 3],
    [['8', '8', '8'], '7', null, 3],
    [[], null, null, 2],
  ])('is null while a required score is missing: %j, %s, %s of %i regular', (regular, midterm, final, count) => {
    expect(semesterAverage(regular, midterm, final, count)).toBeNull();
  });

  it('is computed once the missing score is entered', () => {
    expect(semesterAverage(['8', '8', null], '7', '7', 3)).toBeNull();
    expect(semesterAverage(['8', '8', '8'], '7', '7', 3)).toBe('7.4'); // 59/8 = 7.375
  });

  it('refuses more regular assessments than the subject has, and values that are not scores', () => {
    expect(() => semesterAverage(['8', '8', '8', '8'], '7', '7', 3)).toThrow(ScoringInputError);
    expect(() => semesterAverage(['8', '8.25'], '7', '7')).toThrow(/precision/);
    expect(() => semesterAverage(['8', '11'], '7', '7')).toThrow(/range/);
    expect(() => semesterAverage(['8', '8'], '7', '7', -1)).toThrow(ScoringInputError);
    expect(() => semesterAverage(['8', '8'], '7', '7', 2.5)).toThrow(ScoringInputError);
  });

  it("has one missing-assessment policy, 'incomplete', and refuses others", () => {
    expect(semesterAverage(['8', null], '7', '7', 2, { missing: 'incomplete' })).toBeNull();
    expect(() => semesterAverage(['8', '8'], '7', '7', 2, { missing: 'zero' } as unknown as ScoringOptions)).toThrow(ScoringInputError);
  });
});

describe('year average (Điều 9.1): (hk1 + 2·hk2) / 3 from the rounded semester averages, half up', () => {
  it.each([
    ['8.2', '8.3', '24.8/3 = 8.2666…', '8.3'],
    ['6.4', '6.5', '19.4/3 = 6.4666…', '6.5'],
    ['8.3', '7.8', '23.9/3 = 7.9666…', '8'],
    ['5', '5', '15/3', '5'],
    ['4.9', '5', '14.9/3 = 4.9666…', '5'],
    ['5.1', '4.9', '14.9/3 = 4.9666…', '5'],
    ['4.9', '4.9', '14.7/3', '4.9'],
    ['10', '10', '30/3', '10'],
    ['0', '0.1', '0.2/3 = 0.0666…', '0.1'],
    ['9.1', '8.9', '26.9/3 = 8.9666…', '9'],
    ['7', '7.1', '21.2/3 = 7.0666…', '7.1'],
    ['7', '7.2', '21.4/3 = 7.1333…', '7.1'],
  ])('(%s + 2·%s)/3: %s → %s', (s1, s2, _exact, rounded) => {
    expect(yearAverage(s1, s2)).toBe(rounded);
  });

  it('is null while either semester is', () => {
    expect(yearAverage(null, '8')).toBeNull();
    expect(yearAverage('8', null)).toBeNull();
  });

  it('refuses an unrounded semester average', () => {
    expect(() => yearAverage('8.25', '7.75')).toThrow(ScoringInputError);
  });

  it('rounds each semester first: 8.25 → 8.3 and 7.75 → 7.8 give 8.0, where the exact values would give 7.9', () => {
    const hk1 = semesterAverage(['8', '8', '8'], '6', '10'); // 66/8 = 8.25
    const hk2 = semesterAverage(['8', '8', '8'], '7', '8'); // 62/8 = 7.75
    expect([hk1, hk2]).toEqual(['8.3', '7.8']);
    expect(yearAverage(hk1, hk2)).toBe('8');
  });
});

describe('comment subjects (Điều 9.1)', () => {
  it.each([
    [['D', 'D'], 'D', 'D', 'D'],
    [['Đ', 'đ'], 'Đạt', 'd', 'D'],
    [['CD', 'D'], 'D', 'D', 'CD'],
    [['D', 'D'], 'CĐ', 'D', 'CD'],
    [['D', 'D'], 'D', 'CD', 'CD'],
    [[], 'D', 'D', 'D'],
  ])('%j, gk %s, ck %s → %s', (regular, midterm, final, expected) => {
    expect(semesterComment(regular, midterm, final)).toBe(expected);
  });

  it('is null, not Chưa đạt, while a required assessment is missing (policy incomplete)', () => {
    expect(semesterComment(['D', null], 'D', 'D')).toBeNull();
    expect(semesterComment(['D'], 'D', 'D', 2)).toBeNull();
    expect(semesterComment(['D', 'D'], null, 'D')).toBeNull();
    expect(semesterComment(['CD', 'D'], 'D', null)).toBeNull();
  });

  it('refuses a value that is not Đ/CĐ', () => {
    expect(() => semesterComment(['D', '8'], 'D', 'D')).toThrow(ScoringInputError);
  });

  it.each([
    ['D', 'D'],
    ['CD', 'CD'],
    [null, null],
  ] as const)('the year is semester II: %s → %s', (hk2, expected) => {
    expect(yearComment(hk2)).toBe(expected);
  });
});

describe('learning result, the table (Điều 9.2)', () => {
  it.each([
    // Tốt: all comment Đạt; every scored ≥ 6.5; at least 6 ≥ 8.0.
    ['Tốt: 6 at 8.0, 2 at 6.5', [...n(6, '8'), ...n(2, '6.5')], undefined, 'T'],
    ['Tốt: all 10', n(8, '10'), undefined, 'T'],
    ['Khá: only 5 at 8.0 (6th at 7.9)', [...n(5, '8'), '7.9', ...n(2, '6.5')], undefined, 'K'],
    ['Khá: 6 at 8.0 but one at 6.4', [...n(6, '8'), '6.4', '7'], undefined, 'K'],
    ['Khá: Tốt scores but a comment CĐ → Đạt, lifted (9.3) to Khá', [...n(6, '8'), ...n(2, '6.5')], ['D', 'D', 'D', 'CD'], 'K'],
    // Khá: all comment Đạt; every scored ≥ 5.0; at least 6 ≥ 6.5.
    ['Khá: 6 at 6.5, 2 at 5.0', [...n(6, '6.5'), ...n(2, '5')], undefined, 'K'],
    ['Đạt: only 5 at 6.5 (6th at 6.4)', [...n(5, '6.5'), '6.4', ...n(2, '5')], undefined, 'D'],
    ['Đạt: 6 at 6.5, one at 4.9', [...n(6, '6.5'), '4.9', '5'], undefined, 'D'],
    ['Đạt: Khá scores, one comment CĐ (one step only: no lift)', [...n(6, '6.5'), ...n(2, '5')], ['CD', 'D', 'D', 'D'], 'D'],
    // Đạt: at most one comment CĐ; at least 6 scored ≥ 5.0; none < 3.5.
    ['Đạt: 6 at 5.0, 2 at 3.5', [...n(6, '5'), ...n(2, '3.5')], undefined, 'D'],
    ['Đạt: 6 at 5.0, 2 at 3.5, one comment CĐ', [...n(6, '5'), ...n(2, '3.5')], ['D', 'CD', 'D', 'D'], 'D'],
    ['Chưa đạt: 6 at 5.0, 2 at 3.5, two comment CĐ', [...n(6, '5'), ...n(2, '3.5')], ['CD', 'CD', 'D', 'D'], 'CD'],
    ['Chưa đạt: only 5 at 5.0 (others 4.9)', [...n(5, '5'), ...n(3, '4.9')], undefined, 'CD'],
    ['Chưa đạt: one at 3.4', [...n(6, '5'), '3.4', '3.5'], undefined, 'CD'],
    ['Chưa đạt: all comment CĐ', n(8, '10'), ['CD', 'CD', 'CD', 'CD'], 'CD'],
  ])('%s → %s', (_label, averages, comments, expected) => {
    expect(level(averages, comments as Comment[] | undefined)?.level).toBe(expected);
  });

  it('needs 6 scored subjects even for Đạt: a timetable with 5 cannot reach it', () => {
    const five: SubjectResult[] = SCORED.slice(0, 5).map((subject) => ({ subject, kind: 'scored', average: '10' }));
    expect(learningResult(five)?.level).toBe('CD');
  });

  it('is null while any subject result is missing', () => {
    const r = results(n(8, '9'));
    expect(learningResult([...r.slice(1), { subject: 'toan', kind: 'scored', average: null }])).toBeNull();
    expect(learningResult([...r.slice(0, -1), { subject: 'gddp', kind: 'comment', result: null }])).toBeNull();
  });
});

describe('learning result, the one-subject adjustment (Điều 9.3)', () => {
  const TOT_WORTHY = [...n(6, '8.5'), ...n(2, '7')]; // Tốt without the weak subject
  const KHA_WORTHY = [...n(6, '7'), ...n(2, '6')]; // Khá without the weak subject
  const withOne = (base: string[], value: string) => [...base.slice(0, 7), value]; // 'tin' (8th) is the weak one

  it.each([
    // [label, averages, comments, table level, final level, subject blamed]
    ['Tốt-worthy, one subject at 3.0: Chưa đạt, lifted one step to Đạt', withOne(TOT_WORTHY, '3'), undefined, 'CD', 'D', 'tin'],
    ['Tốt-worthy, one subject at 3.4: Chưa đạt → Đạt', withOne(TOT_WORTHY, '3.4'), undefined, 'CD', 'D', 'tin'],
    ['Tốt-worthy, one subject at 0: Chưa đạt → Đạt', withOne(TOT_WORTHY, '0'), undefined, 'CD', 'D', 'tin'],
    ['Tốt-worthy, one subject at 3.5: Đạt → Khá', withOne(TOT_WORTHY, '3.5'), undefined, 'D', 'K', 'tin'],
    ['Tốt-worthy, one subject at 4.9: Đạt → Khá', withOne(TOT_WORTHY, '4.9'), undefined, 'D', 'K', 'tin'],
    ['Tốt-worthy, one subject at 5.0: Khá (one step below Tốt, no lift)', withOne(TOT_WORTHY, '5'), undefined, 'K', 'K', null],
    ['Tốt-worthy, one subject at 6.4: Khá, no lift', withOne(TOT_WORTHY, '6.4'), undefined, 'K', 'K', null],
    ['Tốt-worthy, one comment CĐ: Đạt → Khá', TOT_WORTHY, ['D', 'D', 'CD', 'D'], 'D', 'K', 'hdtn'],
    ['Tốt-worthy, two comments CĐ: Chưa đạt, two subjects → no lift', TOT_WORTHY, ['CD', 'D', 'CD', 'D'], 'CD', 'CD', null],
    ['Tốt-worthy, one comment CĐ and one subject at 4.0: two subjects → Đạt', withOne(TOT_WORTHY, '4'), ['CD', 'D', 'D', 'D'], 'D', 'D', null],
    ['Tốt-worthy, two subjects at 3.0: no lift', [...TOT_WORTHY.slice(0, 6), '3', '3'], undefined, 'CD', 'CD', null],
    ['Tốt-worthy, one comment CĐ and one subject at 3.0: no lift', withOne(TOT_WORTHY, '3'), ['CD', 'D', 'D', 'D'], 'CD', 'CD', null],
    ['Khá-worthy, one subject at 3.0: Chưa đạt → Đạt', withOne(KHA_WORTHY, '3'), undefined, 'CD', 'D', 'tin'],
    ['Khá-worthy, one subject at 4.0: Đạt, one step below Khá → no lift', withOne(KHA_WORTHY, '4'), undefined, 'D', 'D', null],
    ['Khá-worthy, one comment CĐ: Đạt → no lift', KHA_WORTHY, ['D', 'CD', 'D', 'D'], 'D', 'D', null],
    ['Khá-worthy, two comments CĐ: no lift', KHA_WORTHY, ['D', 'CD', 'CD', 'D'], 'CD', 'CD', null],
    ['Đạt-worthy, one subject at 3.0: only one step below Đạt → no lift', withOne([...n(6, '5'), '4', '4'], '3'), undefined, 'CD', 'CD', null],
    // The weak subject is raised to the floor only, so it cannot make up the "6 subjects ≥ 8.0" count:
    ['5 at 8.0 + one at 4.0: the 6th 8.0 is missing anyway → Đạt, not lifted', [...n(5, '8'), '7', '7', '4'], undefined, 'D', 'D', null],
    // …but with 6 others ≥ 6.5 it still fell from Khá because of it:
    ['5 at 8.0 + one at 3.0: fell from Khá → lifted to Đạt', [...n(5, '8'), '7', '7', '3'], undefined, 'CD', 'D', 'tin'],
  ])('%s', (_label, averages, comments, unadjusted, final, blamed) => {
    expect(level(averages, comments as Comment[] | undefined)).toEqual({ level: final, unadjusted, liftedBecauseOf: blamed });
  });

  it('never lifts to Tốt', () => {
    for (const weak of ['0', '3', '3.4', '3.5', '4.9', '5', '6.4']) {
      expect(level(withOne(TOT_WORTHY, weak))?.level).not.toBe('T');
    }
  });

  it('finds the weak subject wherever it is', () => {
    const averages = [...TOT_WORTHY];
    averages[2] = '2';
    expect(level(averages)).toEqual({ level: 'D', unadjusted: 'CD', liftedBecauseOf: 'anh' });
  });
});

describe('conduct, the year (Điều 8): all 16 combinations', () => {
  // Written out from the rules text, not derived from the code.
  it.each([
    ['T', 'T', 'T'],
    ['K', 'T', 'T'],
    ['D', 'T', 'K'],
    ['CD', 'T', 'K'],
    ['T', 'K', 'K'],
    ['K', 'K', 'K'],
    ['D', 'K', 'K'],
    ['CD', 'K', 'D'],
    ['T', 'D', 'K'],
    ['K', 'D', 'D'],
    ['D', 'D', 'D'],
    ['CD', 'D', 'D'],
    ['T', 'CD', 'CD'],
    ['K', 'CD', 'CD'],
    ['D', 'CD', 'CD'],
    ['CD', 'CD', 'CD'],
  ] as const)('HK1 %s, HK2 %s → %s', (hk1, hk2, year) => {
    expect(conductYearResult(hk1, hk2)).toBe(year);
  });

  it('covers every pair exactly once', () => {
    const pairs = LEVELS.flatMap((a) => LEVELS.map((b) => conductYearResult(a, b)));
    expect(pairs).toHaveLength(16);
    expect(pairs.every((p) => p !== null)).toBe(true);
  });

  it('is null while a semester is missing; refuses an unknown level', () => {
    expect(conductYearResult(null, 'T')).toBeNull();
    expect(conductYearResult('T', null)).toBeNull();
    expect(() => conductYearResult('T', 'X' as Level)).toThrow(ScoringInputError);
  });
});

describe('retest list and afterRetest (Điều 13–14)', () => {
  const year = (): SubjectResult[] => results([...n(6, '6'), '4.9', '3'], ['D', 'CD', 'D', 'D']);

  it('lists comment subjects rated CĐ and scored subjects with ĐTBmcn < 5.0, nothing at 5.0', () => {
    expect(retestSubjects(year())).toEqual(['cn', 'tin', 'nghe-thuat']);
    expect(retestSubjects(results([...n(7, '6'), '5']))).toEqual([]);
  });

  it('replaces only the retested subject, keeps a listed subject that was not retested, and leaves the input untouched', () => {
    const input = year();
    const snapshot = structuredClone(input);
    Object.freeze(input);
    input.forEach((s) => Object.freeze(s));
    const out = afterRetest(input, { tin: '6,5', 'nghe-thuat': 'đ' });
    expect(input).toEqual(snapshot);
    expect(out).not.toBe(input);
    expect(out.find((s) => s.subject === 'tin')).toEqual({ subject: 'tin', kind: 'scored', average: '6.5' });
    expect(out.find((s) => s.subject === 'nghe-thuat')).toEqual({ subject: 'nghe-thuat', kind: 'comment', result: 'D' });
    expect(out.find((s) => s.subject === 'cn')).toEqual({ subject: 'cn', kind: 'scored', average: '4.9' });
    const changed = out.filter((s, i) => JSON.stringify(s) !== JSON.stringify(snapshot[i])).map((s) => s.subject);
    expect(changed).toEqual(['tin', 'nghe-thuat']);
  });

  it('refuses a retest in a subject not on the list, and a retest value that does not parse', () => {
    expect(() => afterRetest(year(), { toan: '9' })).toThrow(ScoringInputError);
    expect(() => afterRetest(year(), { tin: '8.25' })).toThrow(ScoringInputError);
    expect(() => afterRetest(year(), { 'nghe-thuat': '7' })).toThrow(ScoringInputError);
  });
});

describe('awards (Điều 15)', () => {
  it.each([
    ['Xuất sắc: 6 subjects at 9.0', 'T', [...n(6, '9'), ...n(2, '7')], 'excellent'],
    ['Giỏi: only 5 at 9.0 (6th at 8.9)', 'T', [...n(5, '9'), '8.9', ...n(2, '7')], 'very_good'],
    ['none: conduct Khá', 'K', n(8, '10'), null],
    ['none: learning Khá', 'T', [...n(5, '9'), ...n(3, '7')], null],
  ] as const)('%s', (_label, conduct, averages, expected) => {
    const subjects = results([...averages]);
    expect(award(conduct, learningResult(subjects)?.level ?? null, subjects)).toBe(expected);
  });
});

// ─── studentYearOutcome ──────────────────────────────────────────────────────────────────────────────────

/** A subject whose every cell is `value`: both semester averages and the year average are `value`. */
function flat(subject: string, kind: 'scored' | 'comment', value: string, regularCount = 3): SubjectInput {
  const sem = { regular: n(regularCount, value), midterm: value, final: value };
  return { subject, kind, regularCount, hk1: sem, hk2: sem };
}
function pupil(averages: string[], comments: Comment[] = ['D', 'D', 'D', 'D'], extra: Partial<StudentYearInput> = {}): StudentYearInput {
  return {
    subjects: [...averages.map((a, i) => flat(SCORED[i], 'scored', a)), ...comments.map((c, i) => flat(COMMENTED[i], 'comment', c, 2))],
    conduct: { hk1: 'T', hk2: 'T' },
    absences: 0,
    ...extra,
  };
}

describe('studentYearOutcome', () => {
  it('computes every value for a good year', () => {
    const out = studentYearOutcome(pupil([...n(6, '9'), ...n(2, '7')]));
    expect(out.subjects[0]).toEqual({ subject: 'toan', kind: 'scored', hk1: '9', hk2: '9', year: '9', retest: null, final: '9' });
    expect(out.subjects[8]).toEqual({ subject: 'gdtc', kind: 'comment', hk1: 'D', hk2: 'D', year: 'D', retest: null, final: 'D' });
    expect(out.learning.hk1?.level).toBe('T');
    expect(out.learning.hk2?.level).toBe('T');
    expect(out.learning.year?.level).toBe('T');
    expect(out.learning.final).toBe('T');
    expect(out.conduct).toEqual({ hk1: 'T', hk2: 'T', year: 'T', afterSummerTraining: null, final: 'T' });
    expect(out).toMatchObject({ decision: 'promoted', promoted: true, heldBackReasons: [], summerTraining: false, retestSubjects: [], award: 'excellent', missing: [] });
  });

  it('computes semester averages from the cells and the year from the rounded semesters', () => {
    const input = pupil(n(8, '8'));
    input.subjects = [
      {
        subject: 'toan',
        kind: 'scored',
        regularCount: 3,
        hk1: { regular: ['8', '8', '8'], midterm: '6', final: '10' }, // 8.25 → 8.3
        hk2: { regular: ['8', '8', '8'], midterm: '7', final: '8' }, // 7.75 → 7.8
      },
      ...input.subjects.slice(1),
    ];
    expect(studentYearOutcome(input).subjects[0]).toMatchObject({ hk1: '8.3', hk2: '7.8', year: '8' });
  });

  it('takes the comment subject year result from semester II', () => {
    const input = pupil(n(8, '8'));
    input.subjects = input.subjects.map((s) =>
      s.subject === 'gdtc' ? { ...s, hk1: { regular: ['D', 'CD'], midterm: 'D', final: 'D' } } : s,
    );
    const out = studentYearOutcome(input);
    expect(out.subjects.find((s) => s.subject === 'gdtc')).toMatchObject({ hk1: 'CD', hk2: 'D', year: 'D' });
    expect(out.learning.hk1).toEqual({ level: 'K', unadjusted: 'D', liftedBecauseOf: 'gdtc' });
    expect(out.learning.year?.level).toBe('T');
  });

  it.each([
    [45, 'promoted', []],
    [46, 'held_back', ['absences']],
  ] as const)('%i sessions absent → %s (Điều 12: at most 45)', (absences, decision, reasons) => {
    const out = studentYearOutcome(pupil(n(8, '7'), undefined, { absences }));
    expect(out.decision).toBe(decision);
    expect(out.heldBackReasons).toEqual(reasons);
  });

  it('over 45 absences: held back with no retest and no summer training, even with learning and conduct Chưa đạt', () => {
    const out = studentYearOutcome(pupil(n(8, '3'), undefined, { absences: 46, conduct: { hk1: 'CD', hk2: 'CD' } }));
    expect(out).toMatchObject({ decision: 'held_back', heldBackReasons: ['absences'], promoted: false, summerTraining: false, retestSubjects: [] });
    expect(() => studentYearOutcome(pupil(n(8, '3'), undefined, { absences: 46, retests: { toan: '6' } }))).toThrow(ScoringInputError);
  });

  it('refuses absences that are not a whole number ≥ 0', () => {
    expect(() => studentYearOutcome(pupil(n(8, '7'), undefined, { absences: -1 }))).toThrow(ScoringInputError);
    expect(() => studentYearOutcome(pupil(n(8, '7'), undefined, { absences: 1.5 }))).toThrow(ScoringInputError);
  });

  describe('summer training (Điều 12, 14)', () => {
    const cd = { conduct: { hk1: 'T', hk2: 'CD' } } as const;

    it('year conduct Chưa đạt → on the list, waiting', () => {
      const out = studentYearOutcome(pupil(n(8, '7'), undefined, cd));
      expect(out).toMatchObject({ decision: 'summer_training', promoted: null, summerTraining: true, retestSubjects: [] });
      expect(out.conduct.year).toBe('CD');
    });

    it.each([
      ['D', 'promoted', []],
      ['K', 'promoted', []],
      ['CD', 'held_back', ['conduct']],
    ] as const)('its result %s replaces the year conduct → %s, the original kept', (result, decision, reasons) => {
      const out = studentYearOutcome(pupil(n(8, '7'), undefined, { ...cd, summerTraining: result }));
      expect(out.conduct).toEqual({ hk1: 'T', hk2: 'CD', year: 'CD', afterSummerTraining: result, final: result });
      expect(out).toMatchObject({ decision, heldBackReasons: reasons, summerTraining: true });
    });

    it('a student not on the list cannot have a summer-training result', () => {
      expect(() => studentYearOutcome(pupil(n(8, '7'), undefined, { summerTraining: 'T' }))).toThrow(ScoringInputError);
    });

    it('conduct and learning both Chưa đạt: summer training first, the retest list only once conduct passes', () => {
      const both = pupil([...n(6, '6'), '4', '3'], ['D', 'D', 'D', 'D'], { conduct: { hk1: 'K', hk2: 'CD' } });
      expect(studentYearOutcome(both)).toMatchObject({ decision: 'summer_training', retestSubjects: [] });
      expect(() => studentYearOutcome({ ...both, retests: { tin: '6' } })).toThrow(ScoringInputError);
      expect(studentYearOutcome({ ...both, summerTraining: 'D' })).toMatchObject({ decision: 'retest', retestSubjects: ['cn', 'tin'] });
      expect(studentYearOutcome({ ...both, summerTraining: 'D', retests: { cn: '5', tin: '5' } })).toMatchObject({ decision: 'promoted' });
      expect(studentYearOutcome({ ...both, summerTraining: 'CD' })).toMatchObject({ decision: 'held_back', heldBackReasons: ['conduct', 'learning'] });
    });
  });

  describe('retest (Điều 13–14)', () => {
    // Learning Chưa đạt: two scored subjects under 5.0 and one comment CĐ (no Điều 9.3 lift: several subjects).
    const weak = () => pupil([...n(6, '7'), '4', '3'], ['D', 'CD', 'D', 'D']);

    it('conduct ≥ Đạt, learning Chưa đạt → retest list, waiting', () => {
      const out = studentYearOutcome(weak());
      expect(out.learning.year?.level).toBe('CD');
      expect(out).toMatchObject({ decision: 'retest', promoted: null, retestSubjects: ['cn', 'tin', 'nghe-thuat'] });
    });

    it('replaces only the retested subjects’ year results, keeps the originals, recomputes the level', () => {
      const input = weak();
      const snapshot = structuredClone(input);
      const out = studentYearOutcome({ ...input, retests: { cn: '5', tin: '6,5', 'nghe-thuat': 'Đ' } });
      expect(input).toEqual(snapshot);
      expect(out.subjects.find((s) => s.subject === 'tin')).toMatchObject({ year: '3', retest: '6.5', final: '6.5' });
      expect(out.subjects.find((s) => s.subject === 'cn')).toMatchObject({ year: '4', retest: '5', final: '5' });
      expect(out.subjects.find((s) => s.subject === 'nghe-thuat')).toMatchObject({ year: 'CD', retest: 'D', final: 'D' });
      expect(out.subjects.filter((s) => s.retest === null).every((s) => s.final === s.year)).toBe(true);
      expect(out.learning.year?.level).toBe('CD');
      expect(out.learning.afterRetest?.level).toBe('K');
      expect(out.learning.final).toBe('K');
      expect(out).toMatchObject({ decision: 'promoted', promoted: true });
    });

    it('a listed subject not retested keeps its result; still Chưa đạt → held back for learning', () => {
      const out = studentYearOutcome({ ...weak(), retests: { tin: '7' } });
      expect(out.subjects.find((s) => s.subject === 'cn')).toMatchObject({ year: '4', retest: null, final: '4' });
      // 'cn' at 4.0 and 'nghe-thuat' CĐ remain: Đạt (one comment CĐ allowed, 7 ≥ 5.0, none < 3.5).
      expect(out.learning.afterRetest?.level).toBe('D');
      expect(out.decision).toBe('promoted');
    });

    it('failing the retest → held back for learning', () => {
      const out = studentYearOutcome({ ...weak(), retests: { cn: '3', tin: '3', 'nghe-thuat': 'CĐ' } });
      expect(out).toMatchObject({ decision: 'held_back', heldBackReasons: ['learning'], promoted: false });
      expect(out.learning.afterRetest?.level).toBe('CD');
    });

    it('the recomputed level gets the Điều 9.3 adjustment too', () => {
      // After the retest only 'tin' is weak (3.0) in an otherwise Tốt-worthy record → lifted to Đạt, promoted.
      const input = pupil([...n(6, '9'), '4', '3'], ['D', 'D', 'D', 'D']);
      const out = studentYearOutcome({ ...input, retests: { cn: '8' } });
      expect(out.learning.afterRetest).toEqual({ level: 'D', unadjusted: 'CD', liftedBecauseOf: 'tin' });
      expect(out.decision).toBe('promoted');
    });

    it('refuses retest results for a subject not on the list, or for a student who is not retested', () => {
      expect(() => studentYearOutcome({ ...weak(), retests: { toan: '9' } })).toThrow(ScoringInputError);
      expect(() => studentYearOutcome(pupil(n(8, '7'), undefined, { retests: { toan: '9' } }))).toThrow(ScoringInputError);
      expect(studentYearOutcome(pupil(n(8, '7'), undefined, { retests: {} })).decision).toBe('promoted');
    });
  });

  it('learning ≥ Đạt after Điều 9.3 is promoted without a retest', () => {
    // Tốt-worthy with one subject at 3.0 → Chưa đạt by the table, Đạt after the adjustment.
    const out = studentYearOutcome(pupil([...n(7, '9'), '3']));
    expect(out.learning.year).toEqual({ level: 'D', unadjusted: 'CD', liftedBecauseOf: 'tin' });
    expect(out).toMatchObject({ decision: 'promoted', retestSubjects: [], award: null });
  });

  it.each([
    // [HK1, HK2 conduct, year conduct (Điều 8), averages, award]
    ['T', 'T', 'T', [...n(6, '9'), ...n(2, '7')], 'excellent'],
    ['K', 'T', 'T', n(8, '10'), 'excellent'],
    ['T', 'T', 'T', [...n(5, '9'), ...n(3, '8')], 'very_good'],
    ['T', 'T', 'T', [...n(5, '9'), ...n(3, '7')], null], // learning Khá
    ['D', 'T', 'K', n(8, '10'), null],
    ['T', 'K', 'K', n(8, '10'), null],
  ] as const)('award: conduct %s/%s (year %s)', (hk1, hk2, conductYear, averages, expected) => {
    const out = studentYearOutcome(pupil([...averages], undefined, { conduct: { hk1, hk2 } }));
    expect(out.conduct.year).toBe(conductYear);
    expect(out.award).toBe(expected);
  });

  describe('missing assessments (policy incomplete)', () => {
    it('a missing final makes that semester, the year and the decision wait; the other semester is computed', () => {
      const input = pupil(n(8, '7'));
      input.subjects = input.subjects.map((s) => (s.subject === 'van' ? { ...s, hk2: { ...s.hk2, final: null } } : s));
      const out = studentYearOutcome(input);
      expect(out.subjects[1]).toMatchObject({ hk1: '7', hk2: null, year: null, final: null });
      expect(out.learning.hk1?.level).toBe('K');
      expect(out.learning.hk2).toBeNull();
      expect(out.learning.year).toBeNull();
      expect(out).toMatchObject({ decision: 'incomplete', promoted: null, award: null });
      expect(out.missing).toEqual([{ what: 'subject', subject: 'van', semester: 'hk2' }]);
    });

    it('missing conduct is listed and the decision waits', () => {
      const out = studentYearOutcome(pupil(n(8, '7'), undefined, { conduct: { hk1: 'T', hk2: null } }));
      expect(out.missing).toEqual([{ what: 'conduct', semester: 'hk2' }]);
      expect(out.conduct.year).toBeNull();
      expect(out.decision).toBe('incomplete');
    });

    it('a missing regular assessment in a comment subject makes it wait, not fail', () => {
      const input = pupil(n(8, '7'));
      input.subjects = input.subjects.map((s) => (s.subject === 'hdtn' ? { ...s, hk1: { ...s.hk1, regular: ['D', null] } } : s));
      const out = studentYearOutcome(input);
      expect(out.subjects.find((s) => s.subject === 'hdtn')).toMatchObject({ hk1: null, hk2: 'D', year: 'D' });
      expect(out.learning.hk1).toBeNull();
      expect(out.decision).toBe('promoted'); // the year result is semester II's (Điều 9.1)
    });
  });

  it('refuses bad input: a duplicate subject, an unknown conduct level, a cell that does not parse', () => {
    const dup = pupil(n(8, '7'));
    expect(() => studentYearOutcome({ ...dup, subjects: [...dup.subjects, dup.subjects[0]] })).toThrow(ScoringInputError);
    expect(() => studentYearOutcome(pupil(n(8, '7'), undefined, { conduct: { hk1: 'Tốt' as Level, hk2: 'T' } }))).toThrow(ScoringInputError);
    expect(() => studentYearOutcome(pupil([...n(7, '7'), '7.25']))).toThrow(ScoringInputError);
  });
});
