/**
 * How many regular assessments (ĐĐGtx) a subject has per semester — Thông tư 22/2021/TT-BGDĐT, Điều 7
 * (đánh giá thường xuyên), by the subject's periods per school year:
 *   35 periods or fewer → 2; more than 35 up to 70 → 3; more than 70 → 4.
 * A school may set an override (2–4) for a subject; when set, it wins over the derived count.
 * Pure: shared by the API, the portal and the grade book.
 */

export const MIN_REGULAR_ASSESSMENTS = 2;
export const MAX_REGULAR_ASSESSMENTS = 4;

/** Regular assessments per semester for a subject taught `periodsPerYear` periods a year (TT22 Điều 7). */
export function regularAssessmentCount(periodsPerYear: number, override?: number | null): number {
  if (override !== null && override !== undefined) return override;
  if (periodsPerYear <= 35) return 2;
  if (periodsPerYear <= 70) return 3;
  return 4;
}

/** The same, for each grade of a subject's `{"6": 140, "7": 140, …}` periods table. */
export function regularAssessmentsByGrade(periodsPerYear: Record<string, number>, override?: number | null): Record<string, number> {
  return Object.fromEntries(Object.entries(periodsPerYear).map(([grade, periods]) => [grade, regularAssessmentCount(periods, override)]));
}
