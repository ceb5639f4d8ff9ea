/**
 * The names an audit description needs (people, students and their classes, subjects, semesters…), looked up by
 * id. Pure: a NameBook answers from what it was given and notes every id it was asked for and did not have, so
 * the page loader can describe a page once to learn which ids it needs, fetch them in one query per kind, and
 * describe it again (describe-page.ts). Unit tests fill a book by hand (`nameBook`).
 */
export interface NameData {
  users: Map<number, { fullName: string; username: string }>;
  /** A student with the class of their latest enrolment (a grade-book event names the class of the grade book). */
  students: Map<number, { fullName: string; className: string | null }>;
  classes: Map<number, { name: string }>;
  subjects: Map<number, { name: string }>;
  semesters: Map<number, { number: number; year: string }>;
  years: Map<number, { name: string }>;
  staff: Map<number, { fullName: string }>;
  departments: Map<number, { name: string }>;
  /** Transcript versions: whose, which version, of which class (the audit trail names versions by id). */
  versions: Map<number, { studentId: number; version: number; classId: number }>;
}

export type NameKind = keyof NameData;
export const NAME_KINDS: NameKind[] = ['users', 'students', 'classes', 'subjects', 'semesters', 'years', 'staff', 'departments', 'versions'];

type Value<K extends NameKind> = NameData[K] extends Map<number, infer V> ? V : never;

export class NameBook {
  readonly wanted = Object.fromEntries(NAME_KINDS.map((k) => [k, new Set<number>()])) as Record<NameKind, Set<number>>;

  constructor(readonly data: NameData = emptyNames()) {}

  /** The entry for `id` (a number or a numeric string), noting the id when the book does not have it. */
  get<K extends NameKind>(kind: K, id: unknown): Value<K> | undefined {
    const n = toId(id);
    if (n === null) return undefined;
    const found = (this.data[kind] as Map<number, Value<K>>).get(n);
    if (found === undefined) this.wanted[kind].add(n);
    return found;
  }
}

export function emptyNames(): NameData {
  return Object.fromEntries(NAME_KINDS.map((k) => [k, new Map()])) as unknown as NameData;
}

/** A book from plain objects keyed by id: `nameBook({ students: { 7: { fullName: 'A', className: '7A1' } } })`. */
export function nameBook(entries: { [K in NameKind]?: Record<number, Value<K>> }): NameBook {
  const data = emptyNames();
  for (const kind of NAME_KINDS) {
    for (const [id, v] of Object.entries(entries[kind] ?? {})) (data[kind] as Map<number, unknown>).set(Number(id), v);
  }
  return new NameBook(data);
}

export function toId(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}
