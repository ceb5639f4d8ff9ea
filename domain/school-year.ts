/**
 * The school year a date falls in (năm học): September to August, named `2026-2027`. The ministry's yearly plan
 * opens the year in early September and closes it with summer retests in August, so August belongs to the year
 * that is ending.
 */
export function schoolYearOf(vnDate: string): string {
  const [y, m] = vnDate.split('-').map(Number);
  return m >= 9 ? `${y}-${y + 1}` : `${y - 1}-${y}`;
}
