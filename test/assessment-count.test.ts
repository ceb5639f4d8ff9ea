import { describe, expect, it } from 'vitest';
import { regularAssessmentCount, regularAssessmentsByGrade } from '../domain/assessment-count';

describe('regular assessments per semester (TT22 Điều 7)', () => {
  it.each([
    [1, 2],
    [35, 2],
    [36, 3],
    [52, 3],
    [70, 3],
    [71, 4],
    [140, 4],
  ])('%i periods a year → %i regular assessments', (periods, expected) => {
    expect(regularAssessmentCount(periods)).toBe(expected);
  });

  it.each([
    [35, 4, 4],
    [140, 2, 2],
    [70, 3, 3],
    [71, null, 4],
    [36, undefined, 3],
  ])('%i periods with override %s → %i', (periods, override, expected) => {
    expect(regularAssessmentCount(periods, override)).toBe(expected);
  });

  it('derives the count per grade, the override winning for every grade', () => {
    expect(regularAssessmentsByGrade({ '6': 35, '7': 35, '8': 52, '9': 105 })).toEqual({ '6': 2, '7': 2, '8': 3, '9': 4 });
    expect(regularAssessmentsByGrade({ '6': 35, '9': 105 }, 3)).toEqual({ '6': 3, '9': 3 });
    expect(regularAssessmentsByGrade({})).toEqual({});
  });
});
