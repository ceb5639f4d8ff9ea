import { DATE_RANGES, nameProblem, normalizeName, searchKey, textProblem, type NameKind } from '../../domain/text';
import { vnDate } from '../school/common';
import { NoValue, type Cell } from './table';
import type { ColumnSpec, ImportRow } from './template';
import { type FieldError } from '../core/errors';
import { type MessageKey } from '../core/i18n';

type Params = Record<string, string | number>;

/** Today in Vietnam (UTC+7, no daylight saving), computed at request time. */
export function todayVn(): string {
  return new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
}

/** The errors of one row, keyed by the template's Vietnamese column header (what the user sees in the file). */
export class RowErrors {
  readonly errors: Record<string, FieldError> = {};
  add(col: ColumnSpec, key: MessageKey, params?: Params): void {
    this.errors[col.header] ??= params ? { key, params } : { key };
  }
  get any(): boolean {
    return Object.keys(this.errors).length > 0;
  }
}

/** Reads the cells of one row column by column, recording what is wrong with each. */
export class RowReader {
  readonly errs = new RowErrors();
  constructor(
    readonly r: ImportRow,
    readonly today: string,
  ) {}

  raw(col: ColumnSpec): Exclude<Cell, NoValue> {
    const v = this.r.values[col.key];
    if (v instanceof NoValue) {
      this.errs.add(col, 'importCellNoValue', { shown: v.shown });
      return null;
    }
    if ((v === null || v === undefined) && col.required) this.errs.add(col, 'required');
    return v ?? null;
  }

  text(col: ColumnSpec, max = 200): string | null {
    const v = this.raw(col);
    if (v === null) return null;
    const s = v instanceof Date ? v.toISOString().slice(0, 10) : String(v);
    if (s.length > max) {
      this.errs.add(col, 'tooLong', { max });
      return null;
    }
    // Issue 8: the same text rules as the forms (domain/text.ts).
    const problem = textProblem(s);
    if (problem) {
      this.errs.add(col, problem);
      return null;
    }
    return s;
  }

  /** A person's name (or, with `code`, a class name): normalised, with a letter, nothing invisible (domain/text.ts). */
  name(col: ColumnSpec, max = 200, kind: NameKind = 'person'): string | null {
    const s = this.text(col, max);
    if (s === null) return null;
    const n = normalizeName(s);
    const problem = nameProblem(n, kind);
    if (problem) {
      this.errs.add(col, problem);
      return null;
    }
    return n;
  }

  /** A code such as a student code: letters without diacritics, digits and `. _ -`. */
  code(col: ColumnSpec, max = 32): string | null {
    const s = this.text(col, max);
    if (s !== null && !/^[A-Za-z0-9_.-]+$/.test(s)) {
      this.errs.add(col, 'importCodeFormat');
      return null;
    }
    return s;
  }

  /**
   * dd/mm/yyyy as typed in Vietnam (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy), yyyy-mm-dd, or a real Excel date.
   * A birth date cannot be after today.
   */
  date(col: ColumnSpec): string | null {
    const v = this.raw(col);
    if (v === null) return null;
    let iso: string | null = null;
    if (v instanceof Date) {
      // exceljs gives a date cell as UTC midnight of the day shown.
      iso = Number.isNaN(v.getTime()) ? null : v.toISOString().slice(0, 10);
    } else {
      const s = String(v);
      const vn = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
      const isoMatch = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
      if (vn) iso = `${vn[3]}-${vn[2].padStart(2, '0')}-${vn[1].padStart(2, '0')}`;
      else if (isoMatch) iso = s;
    }
    if (iso === null || !isRealDate(iso)) {
      this.errs.add(col, 'importDateFormat');
      return null;
    }
    if (iso > this.today) {
      this.errs.add(col, 'importDateFuture', { today: vnDate(this.today) });
      return null;
    }
    if (iso < DATE_RANGES.birth.min) {
      this.errs.add(col, 'dateImplausible', { min: vnDate(DATE_RANGES.birth.min), max: vnDate(this.today) });
      return null;
    }
    return iso;
  }

  /** Nam / Nữ (also male/female). */
  sex(col: ColumnSpec): 'male' | 'female' | null {
    const s = this.text(col, 16);
    if (s === null) return null;
    const k = searchKey(s);
    if (k === 'nam' || k === 'male') return 'male';
    if (k === 'nu' || k === 'female') return 'female';
    this.errs.add(col, 'importSex');
    return null;
  }

  /**
   * Mã định danh: exactly 12 digits. Every ID starts with a 0 (the province code), which Excel drops when the
   * cell is a number: a numeric cell is padded back to 12 digits.
   */
  nationalId(col: ColumnSpec): string | null {
    const v = this.raw(col);
    if (v === null) return null;
    const s = typeof v === 'number' && Number.isInteger(v) && v >= 0 ? String(v).padStart(12, '0') : String(v).replace(/\s/g, '');
    if (!/^\d{12}$/.test(s)) {
      this.errs.add(col, 'nationalIdFormat');
      return null;
    }
    return s;
  }

  /** A phone number typed as a number in Excel loses its leading 0 (0912… → 912…): put it back. */
  phone(col: ColumnSpec): string | null {
    const v = this.raw(col);
    if (v === null) return null;
    const s = typeof v === 'number' && Number.isInteger(v) && String(v).length === 9 ? `0${v}` : String(v);
    if (s.length > 32) {
      this.errs.add(col, 'tooLong', { max: 32 });
      return null;
    }
    return s;
  }

  email(col: ColumnSpec): string | null {
    const s = this.text(col, 200);
    if (s !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s)) {
      this.errs.add(col, 'badFormat');
      return null;
    }
    return s;
  }
}

function isRealDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Remembers the first row that used a value, to name it when a later row repeats it. */
export class SeenInFile {
  private readonly first = new Map<string, number>();
  /** The earlier row with the same value, if any (and records this one otherwise). */
  check(value: string | null, row: number): number | undefined {
    if (value === null) return undefined;
    const earlier = this.first.get(value);
    if (earlier === undefined) this.first.set(value, row);
    return earlier;
  }
}
