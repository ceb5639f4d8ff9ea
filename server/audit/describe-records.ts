import { formOrder, HIDDEN, namesAReference, type Ctx } from './context';
import type { AuditEventLike, Describer, Line } from './describe';

/**
 * Records: create, update and delete of the REST resources (and a lock lifted, a delegation revoked), field by
 * field in the portal's labels — "Tên tổ chuyên môn: Tổ Thể dục → Tổ Giáo dục thể chất"; and the generic
 * description of anything else, its nested values flattened into one readable line each.
 */
type Rec = Record<string, unknown>;

const asRecord = (v: unknown): Rec | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : null);
const isEmpty = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
const same = (a: unknown, b: unknown) => (isEmpty(a) && isEmpty(b)) || JSON.stringify(a) === JSON.stringify(b);

/**
 * Each field that differs: "Label: before → after", in the form's order. A field the new state does not mention
 * was not recorded (a partial before/after, as an account's recovery writes), not cleared. `only`: these fields.
 */
export function diffLines(resource: string, before: Rec, after: Rec, c: Ctx, only?: string[]): Line[] {
  const keys = only ?? formOrder(resource, Object.keys(after)).filter((k) => !namesAReference(after, k));
  return keys
    .filter((k) => !HIDDEN.has(k) && !same(before[k], after[k]))
    .map((k) => () => `${c.fieldLabel(resource, k)}: ${c.change(isEmpty(before[k]) ? '' : c.fieldValue(resource, k, before[k]), isEmpty(after[k]) ? '' : c.fieldValue(resource, k, after[k]))}`);
}

/** Each field that has a value, in the form's order: "Label: value" (a record created or deleted). */
export function fieldLines(resource: string, rec: Rec, c: Ctx): Line[] {
  return formOrder(resource, Object.keys(rec))
    .filter((k) => !HIDDEN.has(k) && !isEmpty(rec[k]) && !namesAReference(rec, k))
    .map((k) => () => c.say('field', { label: c.fieldLabel(resource, k), value: c.fieldValue(resource, k, rec[k]) }));
}

export const describeRecord: Describer = (ev, c) => {
  const before = asRecord(ev.before);
  const after = asRecord(ev.after);
  const rec = after ?? before;
  let lines: Line[];
  if (before && after) lines = diffLines(ev.entity, before, after, c);
  else lines = rec ? fieldLines(ev.entity, rec, c) : [];
  // A record has a few dozen fields at most: written at once, so that the same line twice is said once.
  const written = [...new Set(lines.map((l) => (typeof l === 'string' ? l : l())))];
  const target = recordName(ev, rec, c);
  // A record created or deleted is best named by what it is ("Tổ Thể dục"), else by its first fields together.
  const together = written.slice(0, 3).join('; ') + (written.length > 3 ? ` ${c.say('more', { n: written.length - 3 })}` : '');
  return { target, lines: written, summary: before && after ? undefined : (target ?? (together || undefined)) };
};

/** Records named by their id alone in a partial before/after (a carry-over marks students graduated by id). */
const BY_ID: Record<string, (c: Ctx, id: unknown) => string> = {
  users: (c, id) => {
    const u = c.names.get('users', id);
    return u ? c.say('account', { name: u.fullName, username: u.username }) : c.user(id);
  },
  students: (c, id) => c.student(id),
  staff: (c, id) => c.staff(id),
  classes: (c, id) => c.className(id),
  subjects: (c, id) => c.subject(id),
  semesters: (c, id) => c.semester(id),
  'school-years': (c, id) => c.year(id),
  departments: (c, id) => c.department(id),
};

/** What a record is called: its name, or what it links (a subject of a class, a student in a class…). */
export function recordName(ev: AuditEventLike, rec: Rec | null, c: Ctx): string | null {
  if (ev.entity === 'locks' && rec) return lockName(rec, c);
  for (const key of ['fullName', 'name', 'username', 'code']) if (rec && typeof rec[key] === 'string' && rec[key]) return String(rec[key]);
  if (ev.entityId && BY_ID[ev.entity]) return BY_ID[ev.entity](c, ev.entityId);
  if (!rec) return null;
  if (rec.subjectId && rec.classId) {
    const who = rec.delegateUserId ? c.user(rec.delegateUserId) : rec.staffId ? c.staff(rec.staffId) : null;
    return `${c.subject(rec.subjectId)} — ${c.className(rec.classId)}${who ? ` (${who})` : ''}`;
  }
  if (rec.studentId) return c.student(rec.studentId, rec.classId ?? undefined);
  if (rec.staffId) return c.staff(rec.staffId);
  if (rec.classId) return c.className(rec.classId);
  return null;
}

/** A lock by its scope and where it applies: "Một khối: Khối 6, 2026-2027". */
function lockName(rec: Rec, c: Ctx): string {
  const where = [
    rec.grade ? `${c.fieldLabel('locks', 'grade')} ${String(rec.grade)}` : null,
    rec.classId ? c.className(rec.classId) : null,
    rec.subjectId ? c.subject(rec.subjectId) : null,
    rec.studentId ? c.student(rec.studentId) : null,
    rec.kind ? c.column(rec.kind, rec.seq) : null,
    rec.semesterId ? c.semester(rec.semesterId) : rec.schoolYearId ? c.year(rec.schoolYearId) : null,
  ].filter(Boolean);
  return `${c.choice('lockScope', rec.scope)}: ${where.join(', ')}`;
}

/** Anything without a describer of its own: every value that changed, nested ones by their path. */
export const describeUnknown: Describer = (ev, c) => {
  const before = flatten(ev.before);
  const after = flatten(ev.after);
  const segment = (seg: string) => {
    const m = /^(.*?)\[(.*)\]$/.exec(seg);
    return m ? `${c.fieldLabel(ev.entity, m[1])} ${m[2]}` : c.fieldLabel(ev.entity, seg);
  };
  const label = (path: string) => path.split(PATH).map(segment).join(' › ');
  let lines: Line[];
  if (ev.before !== null && ev.before !== undefined && ev.after !== null && ev.after !== undefined) {
    const paths = [...new Set([...before.keys(), ...after.keys()])].filter((p) => !same(before.get(p), after.get(p)));
    lines = paths.map((p) => () => `${label(p)}: ${c.change(isEmpty(before.get(p)) ? '' : c.value(before.get(p)), isEmpty(after.get(p)) ? '' : c.value(after.get(p)))}`);
  } else {
    const values = ev.after !== null && ev.after !== undefined ? after : before;
    lines = [...values.entries()].filter(([, v]) => !isEmpty(v)).map(([p, v]) => () => c.say('field', { label: label(p), value: c.value(v) }));
  }
  const rec = asRecord(ev.after) ?? asRecord(ev.before);
  return { target: recordName(ev, rec, c), lines };
};

/** Between the steps of a path: a character no title or key contains (a milestone's title may hold "." or "/"). */
const PATH = '\u0001';

/**
 * Nested values as path → leaf: objects by key, arrays of records by their title, name, `key` or `id` (else their
 * position), arrays of plain values kept whole ("6, 7"). A bare value is the path `value`.
 */
export function flatten(v: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (v === null || v === undefined) return out;
  if (Array.isArray(v)) {
    if (!v.some((x) => x && typeof x === 'object')) {
      out.set(prefix || 'value', v);
      return out;
    }
    v.forEach((x, i) => {
      // Named by what a reader knows it by: a milestone's title, a holiday's name, else its key or position.
      const r = (x && typeof x === 'object' ? x : {}) as Rec;
      const id = r.title ?? r.name ?? r.key ?? r.id ?? r.studentId ?? i + 1;
      flatten(x, `${prefix || 'item'}[${String(id)}]`, out);
    });
    return out;
  }
  if (typeof v === 'object') {
    for (const [k, x] of Object.entries(v as Rec)) if (!HIDDEN.has(k)) flatten(x, prefix ? `${prefix}${PATH}${k}` : k, out);
    return out;
  }
  out.set(prefix || 'value', v);
  return out;
}
