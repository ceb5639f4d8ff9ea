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

/**
 * Characters that print as nothing or move text around: C0/C1 controls, format characters (zero-width space,
 * joiners, bidi controls, BOM, soft hyphen), line/paragraph separators, private-use and unassigned code points,
 * lone surrogates, and the blank "letters" (Hangul fillers, braille blank, combining grapheme joiner, variation
 * selectors) that make a name look like another, or like nothing.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u2800\u3164\ufe00-\ufe0f\uffa0]/u;

export function hasInvisible(s: string): boolean {
  return INVISIBLE.test(s);
}

/**
 * A name as it is stored: NFC (so "Nguyễn" typed on any keyboard is the same string), every kind of space turned
 * into one ordinary space, trimmed. Invisible characters are kept, so the check below can refuse them.
 */
export function normalizeName(s: string): string {
  return s.normalize('NFC').replace(/\p{Zs}+/gu, ' ').trim();
}

export type NameKind = 'person' | 'code';

/**
 * Why a (normalised) name is refused, or null: it contains a control or invisible character, or — for a person's,
 * department's or subject's name — no letter at all; for a class name ("6A1") or a code, no letter or digit.
 */
export function nameProblem(s: string, kind: NameKind = 'person'): 'textInvisible' | 'textInvisibleCode' | null {
  const key = kind === 'person' ? 'textInvisible' : 'textInvisibleCode';
  if (hasInvisible(s)) return key;
  const visible = kind === 'person' ? /\p{L}/u : /[\p{L}\p{N}]/u;
  return visible.test(s) ? null : key;
}

/** Free text (an address, a note): may hold line breaks and tabs, but no other control or invisible character. */
export function textProblem(s: string): 'textControl' | null {
  return hasInvisible(s.replace(/[\t\n\r]/g, ' ')) ? 'textControl' : null;
}

/**
 * A value made safe for a spreadsheet cell (OWASP "CSV injection"): text that starts with = + - @, a tab or a
 * carriage return would run as a formula in Excel or LibreOffice, so it gets a leading apostrophe — shown as text,
 * never evaluated. Numbers, dates and null pass unchanged. Every CSV or XLSX export writes its cells through this.
 */
export function spreadsheetSafe<T>(value: T): T | string {
  if (typeof value !== 'string') return value;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** One CSV line of spreadsheet-safe cells: quoted when needed (separator, quote, line break), quotes doubled. */
export function csvLine(cells: ReadonlyArray<string | number | null | undefined>, separator = ','): string {
  return cells
    .map((c) => {
      if (c === null || c === undefined) return '';
      const s = String(spreadsheetSafe(typeof c === 'number' ? c : String(c)));
      return /["\r\n]/.test(s) || s.includes(separator) ? `"${s.replace(/"/g, '""')}"` : s;
    })
    .join(separator);
}

/** Dates a school's records may hold: birth dates from 1900 to today; school dates (years, terms, events) 2000–2099. */
export const DATE_RANGES = {
  birth: { min: '1900-01-01' },
  school: { min: '2000-01-01', max: '2099-12-31' },
  any: { min: '1900-01-01', max: '2099-12-31' },
} as const;

/** Whether an ISO date (YYYY-MM-DD) lies within [min, max] (string comparison is date order for this form). */
export function dateWithin(iso: string, min: string, max: string): boolean {
  return iso >= min && iso <= max;
}

/** 1 234 567 bytes → "1,2 MB" in Vietnamese (decimal comma), "1.2 MB" in English; whole bytes as they are. */
export function formatSize(bytes: number, lang: 'vi' | 'en' = 'vi'): string {
  const units = ['byte', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toLocaleString(lang === 'en' ? 'en-GB' : 'vi-VN', { maximumFractionDigits: 1 })} ${units[unit]}`;
}
