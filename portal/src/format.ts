/**
 * Date, time and number display for the portal: dd/mm/yyyy, 24-hour clock, always in Vietnam's time zone
 * (Asia/Ho_Chi_Minh, UTC+7 all year), whatever the browser's own zone. Scores use a decimal comma in Vietnamese.
 *
 * The API sends calendar dates as `YYYY-MM-DD` strings and instants as ISO-8601 UTC strings (architecture.md).
 * Calendar dates are never passed through `Date` (which would shift them by the browser's offset).
 */

export const TIME_ZONE = 'Asia/Ho_Chi_Minh';
/** Vietnam has no daylight saving time: midnight there is 17:00 UTC of the day before. */
const VN_OFFSET_MINUTES = 7 * 60;

export type PortalLocale = 'vi' | 'en' | string;

const intlLocale = (locale: PortalLocale) => (locale === 'en' ? 'en-GB' : 'vi-VN');

const dateFormatters = new Map<string, Intl.DateTimeFormat>();
const dateTimeFormatters = new Map<string, Intl.DateTimeFormat>();

function dateFormatter(locale: PortalLocale): Intl.DateTimeFormat {
  const key = intlLocale(locale);
  let f = dateFormatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(key, { timeZone: TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric' });
    dateFormatters.set(key, f);
  }
  return f;
}

function dateTimeFormatter(locale: PortalLocale): Intl.DateTimeFormat {
  const key = intlLocale(locale);
  let f = dateTimeFormatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(key, {
      timeZone: TIME_ZONE,
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    dateTimeFormatters.set(key, f);
  }
  return f;
}

function parts(f: Intl.DateTimeFormat, d: Date): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of f.formatToParts(d)) out[p.type] = p.value;
  return out;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const VN_DATE = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/;

/** True for a real calendar date in `YYYY-MM-DD` form. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

/** `2026-11-23` → `23/11/2026`; an instant → its calendar date in Vietnam. Empty for null/invalid. */
export function formatDate(value: string | Date | null | undefined, locale: PortalLocale = 'vi'): string {
  if (value === null || value === undefined || value === '') return '';
  if (typeof value === 'string') {
    const m = ISO_DATE.exec(value);
    if (m) return `${m[3]}/${m[2]}/${m[1]}`;
  }
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const p = parts(dateFormatter(locale), d);
  return `${p.day}/${p.month}/${p.year}`;
}

/** An ISO instant → `23/11/2026 08:02` (or with seconds) in Vietnam's time zone, 24-hour clock. */
export function formatDateTime(
  value: string | Date | null | undefined,
  locale: PortalLocale = 'vi',
  options: { seconds?: boolean } = {},
): string {
  if (value === null || value === undefined || value === '') return '';
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const p = parts(dateTimeFormatter(locale), d);
  const time = options.seconds ? `${p.hour}:${p.minute}:${p.second}` : `${p.hour}:${p.minute}`;
  return `${p.day}/${p.month}/${p.year} ${time}`;
}

/** `23/11/2026` (also `23-11-2026`, `23.11.2026`, `1/2/2026`) → `2026-11-23`; null when it is not a real date. */
export function parseVnDate(text: string): string | null {
  const m = VN_DATE.exec(text);
  if (!m) return null;
  const iso = `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : null;
}

/** The calendar date in Vietnam of an instant (`YYYY-MM-DD`). */
export function vnDateOf(value: string | Date): string {
  const d = value instanceof Date ? value : new Date(value);
  const shifted = new Date(d.getTime() + VN_OFFSET_MINUTES * 60_000);
  return shifted.toISOString().slice(0, 10);
}

/** The first (`start`) or last (`end`) millisecond of a Vietnamese calendar day, as an ISO UTC instant. */
export function vnDayBoundary(isoDate: string, boundary: 'start' | 'end'): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  const startUtc = Date.UTC(y, m - 1, d) - VN_OFFSET_MINUTES * 60_000;
  return new Date(boundary === 'start' ? startUtc : startUtc + 86_400_000 - 1).toISOString();
}

/** Today's date in Vietnam (`YYYY-MM-DD`). */
export function vnToday(now: Date = new Date()): string {
  return vnDateOf(now);
}

/**
 * A decimal score as the API sends it (a canonical decimal string, e.g. `"8.5"`) → `8,5` in Vietnamese, `8.5` in
 * English. Works on the string, never through a binary float.
 */
export function formatScore(value: string | number | null | undefined, locale: PortalLocale = 'vi'): string {
  if (value === null || value === undefined || value === '') return '';
  const s = String(value);
  return locale === 'en' ? s : s.replace('.', ',');
}

/** A whole number with Vietnamese digit grouping (`1.234`) or English (`1,234`). */
export function formatInteger(value: number | null | undefined, locale: PortalLocale = 'vi'): string {
  if (value === null || value === undefined) return '';
  return new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: 0 }).format(value);
}
