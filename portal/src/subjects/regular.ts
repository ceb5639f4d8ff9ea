/**
 * Number of regular (continuous) assessments a subject needs per semester, from its periods per year
 * (TT22: up to 35 periods → 2, 36–70 → 3, more than 70 → 4), unless the school overrides it (2–4).
 */
export function regularAssessments(periods: number | null | undefined, override?: number | null): number | null {
  if (override !== null && override !== undefined) return override;
  if (periods === null || periods === undefined || !Number.isFinite(periods) || periods <= 0) return null;
  if (periods <= 35) return 2;
  if (periods <= 70) return 3;
  return 4;
}
