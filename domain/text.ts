/** Vietnamese text helpers shared by server and portal. */

/**
 * A search key without diacritics or case: "Nguyễn Thị Ánh" → "nguyen thi anh", so typing without accents
 * (as many do on a phone) still finds the name. đ/Đ is a separate letter, not a combining mark.
 */
export function searchKey(...parts: (string | null | undefined)[]): string {
  return parts
    .filter((p): p is string => typeof p === 'string' && p.length > 0)
    .join(' ')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}
