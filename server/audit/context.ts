import type { Lang } from '../core/i18n';
import { CHOICES, RESOURCE_LABELS, type ChoiceGroup } from './labels';
import type { NameBook } from './names';
import { ENTITY_FIELDS, EXTRA_FIELDS, say, type Params, type Phrase } from './words';

/**
 * What every describer writes with: the language, the names of the page, and the ways values read in words —
 * scores with a decimal comma in Vietnamese (6,5 → 7,0), dates dd/mm/yyyy, instants in Vietnam time, Đ/CĐ, yes/no,
 * references by name. Pure.
 */
export class Ctx {
  constructor(
    readonly lang: Lang,
    readonly names: NameBook,
  ) {}

  say(key: Phrase, params: Params = {}): string {
    return say(this.lang, key, params);
  }

  // ── people and places ──
  user(id: unknown): string {
    const u = this.names.get('users', id);
    return u ? u.fullName : this.say('unknownUser', { id: String(id) });
  }
  staff(id: unknown): string {
    return this.names.get('staff', id)?.fullName ?? this.say('unknownRecord', { id: String(id) });
  }
  className(id: unknown): string {
    return this.names.get('classes', id)?.name ?? this.say('unknownClass', { id: String(id) });
  }
  /** "Nguyễn Văn A (7A1)": the class given (the grade book's), else the student's latest. */
  student(id: unknown, classId?: unknown): string {
    const s = this.names.get('students', id);
    const name = s?.fullName ?? this.say('unknownStudent', { id: String(id) });
    const cls = classId !== undefined && classId !== null ? this.className(classId) : (s?.className ?? null);
    return cls ? this.say('studentInClass', { name, class: cls }) : name;
  }
  subject(id: unknown): string {
    return this.names.get('subjects', id)?.name ?? this.say('unknownSubject', { id: String(id) });
  }
  semester(id: unknown): string {
    const s = this.names.get('semesters', id);
    if (!s) return this.say('unknownRecord', { id: String(id) });
    return this.say('semester', { n: this.lang === 'vi' ? (s.number === 1 ? 'I' : 'II') : s.number, year: s.year });
  }
  year(id: unknown): string {
    return this.names.get('years', id)?.name ?? this.say('unknownRecord', { id: String(id) });
  }
  department(id: unknown): string {
    return this.names.get('departments', id)?.name ?? this.say('unknownRecord', { id: String(id) });
  }

  // ── values ──
  /** A TT22 column: ĐĐGtx 2, ĐĐGgk, ĐĐGck (Regular 2, Midterm, Final in English). */
  column(kind: unknown, seq: unknown): string {
    if (kind === 'midterm' || kind === 'final') return this.say(kind);
    return this.say('regular', { seq: String(seq ?? '') });
  }
  /** A stored cell value as the grade book shows it: 7 → 7,0 (7.0), 8.5 → 8,5, D → Đ, CD → CĐ; '' when empty. */
  score(value: unknown): string {
    if (value === null || value === undefined || value === '') return '';
    const v = String(value);
    if (v === 'D') return 'Đ';
    if (v === 'CD') return 'CĐ';
    const m = /^(\d+)(?:\.(\d+))?$/.exec(v);
    if (!m) return v;
    const text = `${m[1]}.${m[2] ?? '0'}`;
    return this.lang === 'vi' ? text.replace('.', ',') : text;
  }
  /** "6,5 → 7,0"; "→ 8,5" for a value entered where there was none; "6,5 → (trống)" for one cleared. */
  change(from: string, to: string): string {
    if (from === '') return `→ ${to || this.say('empty')}`;
    return `${from} → ${to || this.say('empty')}`;
  }
  /** Free text in quotes, cut at `max` characters. */
  quote(text: unknown, max = 80): string {
    if (text === null || text === undefined || text === '') return '';
    const s = String(text).replace(/\s+/g, ' ').trim();
    return `“${s.length > max ? `${s.slice(0, max - 1)}…` : s}”`;
  }
  date(iso: string): string {
    const [y, m, d] = iso.slice(0, 10).split('-');
    return `${d}/${m}/${y}`;
  }
  /** An ISO instant as dd/mm/yyyy HH:mm, Vietnam time (UTC+7 all year). */
  instant(iso: string): string {
    const t = Date.parse(iso);
    if (Number.isNaN(t)) return iso;
    const v = new Date(t + 7 * 3_600_000).toISOString();
    return `${this.date(v)} ${v.slice(11, 16)}`;
  }
  choice(group: ChoiceGroup, value: unknown): string {
    return CHOICES[this.lang][group][String(value)] ?? String(value);
  }

  /** Any stored value in words: never JSON. */
  value(v: unknown): string {
    if (v === null || v === undefined || v === '') return this.say('empty');
    if (typeof v === 'boolean') return this.say(v ? 'yes' : 'no');
    if (typeof v === 'number') return this.lang === 'vi' ? String(v).replace('.', ',') : String(v);
    if (typeof v === 'string') {
      if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return this.date(v);
      if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return this.instant(v);
      return v.length > 120 ? `${v.slice(0, 119)}…` : v;
    }
    if (Array.isArray(v)) return v.length === 0 ? this.say('empty') : v.map((x) => this.value(x)).join(', ');
    if (typeof v === 'object') return this.object(v as Record<string, unknown>);
    return String(v);
  }
  /** A nested object on one line: "Phó hiệu trưởng (Các khối phụ trách: 6, 7)", "Tên: A; Mã: B" (a `false` flag left out). */
  private object(o: Record<string, unknown>, resource?: string): string {
    const entries = Object.entries(o).filter(([k, v]) => !HIDDEN.has(k) && v !== null && v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0));
    const parts = entries.filter(([k]) => k !== 'role').map(([k, v]) => `${this.fieldLabel(resource, k)}: ${this.fieldValue(resource, k, v)}`);
    if (typeof o.role === 'string') return parts.length ? `${this.choice('role', o.role)} (${parts.join('; ')})` : this.choice('role', o.role);
    return parts.join('; ');
  }

  // ── fields of a record ──
  /** The portal's label for a field of a resource, else this record type's, else a shared one, else the name in words. */
  fieldLabel(resource: string | undefined, field: string): string {
    const portal = resource ? (RESOURCE_LABELS[this.lang] as Record<string, { fields: Record<string, string> }>)[resource]?.fields[field] : undefined;
    const own = resource ? ENTITY_FIELDS[resource]?.[field]?.[this.lang] : undefined;
    return portal ?? own ?? EXTRA_FIELDS[field]?.[this.lang] ?? readable(field);
  }
  /** A field's value: references by name, scores and enum values as the pages show them, the rest as `value`. */
  fieldValue(resource: string | undefined, field: string, v: unknown): string {
    if (v === null || v === undefined || v === '') return this.say('empty');
    const ref = REFERENCES[field];
    if (ref) return Array.isArray(v) ? v.map((x) => ref(this, x)).join(', ') : ref(this, v);
    if (resource && SCORE_FIELDS[resource]?.includes(field)) return this.score(v);
    const group = choiceGroupOf(resource, field);
    if (group) return Array.isArray(v) ? v.map((x) => this.choice(group, x)).join(', ') : this.choice(group, v);
    if (Array.isArray(v) && v.some((x) => x && typeof x === 'object')) return v.map((x) => (x && typeof x === 'object' ? this.object(x as Record<string, unknown>, resource) : this.value(x))).join(', ');
    return this.value(v);
  }
}

/** A record's fields in the order its form shows them (the portal's labels), the others after, as stored. */
export function formOrder(resource: string, keys: string[]): string[] {
  const order = Object.keys((RESOURCE_LABELS.vi as Record<string, { fields: Record<string, string> }>)[resource]?.fields ?? ENTITY_FIELDS[resource] ?? {});
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  return keys.map((k, i) => [k, i] as const).sort((a, b) => rank(a[0]) - rank(b[0]) || a[1] - b[1]).map(([k]) => k);
}

/** `className` beside `classId`, `delegateName` beside `delegateUserId`: the name is already said by the reference. */
export function namesAReference(rec: Record<string, unknown>, field: string): boolean {
  if (!field.endsWith('Name') || field === 'fullName') return false;
  const base = field.slice(0, -'Name'.length);
  return ['', 'Id', 'UserId', 'StaffId'].some((suffix) => `${base}${suffix}` in rec && `${base}${suffix}` !== field);
}

/** Bookkeeping a reader does not need. */
export const HIDDEN = new Set(['id', 'schoolId', 'updatedAt', 'version', 'rowVersion', 'searchText', 'history']);

/** Fields holding an id, read as the name it stands for. */
const REFERENCES: Record<string, (c: Ctx, id: unknown) => string> = {
  classId: (c, id) => c.className(id),
  subjectId: (c, id) => c.subject(id),
  studentId: (c, id) => c.student(id),
  roleStudentId: (c, id) => c.student(id),
  semesterId: (c, id) => c.semester(id),
  schoolYearId: (c, id) => c.year(id),
  staffId: (c, id) => c.staff(id),
  homeroomStaffId: (c, id) => c.staff(id),
  departmentId: (c, id) => c.department(id),
  departmentIds: (c, id) => c.department(id),
  fromDepartmentId: (c, id) => c.department(id),
  toDepartmentId: (c, id) => c.department(id),
  ...Object.fromEntries(
    ['userId', 'orderedBy', 'createdBy', 'decidedBy', 'grantedBy', 'delegateUserId', 'liftedBy', 'revokedBy', 'requestedBy', 'witnessUserId', 'vpUserId', 'appliedBy', 'approvedBy', 'enteredBy'].map(
      (f) => [f, (c: Ctx, id: unknown) => c.user(id)],
    ),
  ),
};

const CHOICE_FIELDS: Record<string, ChoiceGroup> = {
  kind: 'kind',
  sex: 'sex',
  post: 'post',
  fromPost: 'post',
  toPost: 'post',
  assessmentType: 'assessmentType',
  level: 'level',
  scope: 'lockScope',
  direction: 'direction',
  correctionProcedure: 'correctionProcedure',
  procedure: 'correctionProcedure',
  regularCutoffWeekday: 'weekday',
  conduct: 'result',
  role: 'role',
};
/** Fields holding a grade-book value (8.5 → 8,5; D → Đ). */
const SCORE_FIELDS: Record<string, string[]> = { 'retest-results': ['value', 'original'] };

const STATUS_OF: Record<string, ChoiceGroup> = {
  students: 'studentStatus',
  staff: 'staffStatus',
  enrolments: 'enrolmentStatus',
  'unlock-requests': 'requestStatus',
  'correction-requests': 'requestStatus',
};

function choiceGroupOf(resource: string | undefined, field: string): ChoiceGroup | undefined {
  if (field === 'status') return resource ? STATUS_OF[resource] : undefined;
  if (field === 'original' && resource === 'summer-training-results') return 'result';
  return CHOICE_FIELDS[field];
}

/** `endedSessions` → "Ended sessions": a field nobody labelled still reads as words. */
export function readable(field: string): string {
  const words = field
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
