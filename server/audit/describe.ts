import { SYSTEM_USERNAME } from '../core/actor';
import type { Lang } from '../core/i18n';
import { Ctx } from './context';
import { ACCOUNT_DESCRIBERS } from './describe-accounts';
import { GRADEBOOK_DESCRIBERS } from './describe-gradebook';
import { OTHER_DESCRIBERS } from './describe-other';
import { describeRecord, describeUnknown } from './describe-records';
import { REQUEST_DESCRIBERS } from './describe-requests';
import { TRANSCRIPT_DESCRIBERS } from './describe-transcripts';
import { RESOURCE_LABELS } from './labels';
import type { NameBook } from './names';
import { ACTION_LABELS, ACTION_ON, ENTITY_LABELS } from './words';

/**
 * An audit event in words (issue 12): who (full name and role), the action and what it acted on in the reader's
 * language, and one line per thing that changed — "Điểm ĐĐGtx 2 môn Toán của Nguyễn Văn A (7A1): 6,5 → 7,0" — never
 * raw JSON. Pure: the names come in a NameBook (describe-page.ts loads them for a page of events).
 */
export interface AuditEventLike {
  userId: number | null;
  username: string | null;
  role?: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
}

export interface AuditDescription {
  /** The person's full name ("Hệ thống" for the timeline; null when nobody signed in, e.g. an unknown username). */
  actorName: string | null;
  actorRole: string | null;
  actionLabel: string;
  entityLabel: string;
  /** What the event is about: "Sổ điểm môn Toán lớp 7A1, Học kỳ I năm học 2026-2027", "Tài khoản …". */
  target: string | null;
  /** One line for the list. */
  summary: string;
  /** The changes, one per line: the first `limit`, then "… và N thay đổi khác". */
  changes: string[];
  /** How many changes there are in all. */
  changeCount: number;
  /** The reason, with the system's own reasons (an import row, a carry-over, a correction) in words. */
  reasonText: string | null;
}

/** A line, or a line written only if it is shown (so the names of a 2000-cell save's hidden lines are never fetched). */
export type Line = string | (() => string);
export interface Told {
  target?: string | null;
  lines: Line[];
  /** The list's line, when the first change alone would not say it. */
  summary?: string;
}
export type Describer = (ev: AuditEventLike, c: Ctx) => Told;

/** The list shows this many lines of an event; the show page all of them. */
export const LIST_LIMIT = 10;

const DESCRIBERS: Record<string, Describer> = {
  ...GRADEBOOK_DESCRIBERS,
  ...REQUEST_DESCRIBERS,
  ...ACCOUNT_DESCRIBERS,
  ...TRANSCRIPT_DESCRIBERS,
  ...OTHER_DESCRIBERS,
};

const RECORD_ACTIONS = new Set(['create', 'update', 'delete', 'lift', 'revoke']);

function describerOf(ev: AuditEventLike): Describer {
  return DESCRIBERS[`${ev.entity}/${ev.action}`] ?? (RECORD_ACTIONS.has(ev.action) ? describeRecord : describeUnknown);
}

/** One event in words: its first `limit` change lines (all by default), then how many more there are. */
export function describeEvent(ev: AuditEventLike, names: NameBook, lang: Lang, limit = Infinity): AuditDescription {
  const c = new Ctx(lang, names);
  const actionLabel = actionLabelOf(ev.entity, ev.action, lang);
  const entityLabel = entityLabelOf(ev.entity, lang);
  const tell = (describer: Describer) => {
    const t = describer(ev, c);
    return { ...t, shown: t.lines.slice(0, limit).map((l) => (typeof l === 'string' ? l : l())) };
  };
  let told: Told & { shown: string[] };
  try {
    told = tell(describerOf(ev));
  } catch {
    // A row written before its shape changed must still read as something: the generic description.
    told = tell(describeUnknown);
  }
  const { shown } = told;
  const rest = told.lines.length - shown.length;
  const changes = rest > 0 ? [...shown, c.say('more', { n: rest })] : shown;
  const target = told.target ?? null;
  const fallback = target ?? (ev.entityId ? c.say('noDetailId', { action: actionLabel, entity: entityLabel, id: ev.entityId }) : c.say('noDetail', { action: actionLabel, entity: entityLabel }));
  const first = shown[0];
  const summary = told.summary ?? (first === undefined ? fallback : told.lines.length > 1 ? `${first} ${c.say('more', { n: told.lines.length - 1 })}` : first);
  return {
    actorName: actorNameOf(ev, c),
    actorRole: ev.role ? ev.role.split(',').filter(Boolean).map((r) => c.choice('role', r.trim())).join(', ') : null,
    actionLabel,
    entityLabel,
    target,
    summary,
    changes,
    changeCount: told.lines.length,
    reasonText: reasonText(ev.reason, c),
  };
}

export function actionLabelOf(entity: string, action: string, lang: Lang): string {
  const own = ACTION_ON[`${entity}/${action}`] ?? (ACTION_LABELS as Record<string, { vi: string; en: string }>)[action];
  return own?.[lang] ?? action.replace(/[_-]+/g, ' ');
}

export function entityLabelOf(entity: string, lang: Lang): string {
  const resource = (RESOURCE_LABELS[lang] as Record<string, { name: string }>)[entity];
  return resource?.name ?? (ENTITY_LABELS as Record<string, { vi: string; en: string }>)[entity]?.[lang] ?? entity.replace(/[_-]+/g, ' ');
}

function actorNameOf(ev: AuditEventLike, c: Ctx): string | null {
  if (ev.userId !== null) return c.user(ev.userId);
  return ev.username === SYSTEM_USERNAME ? c.say('system') : null;
}

/** The server commands that audit under their own name (server/cli/). */
const CLI_REASONS = new Set(['account:recover', 'school:create']);

/** The reasons the system writes itself ("import lop6.xlsx, row 12") in the reader's words; a person's as typed. */
function reasonText(reason: string | null, c: Ctx): string | null {
  if (!reason) return null;
  let m = /^import (.+), row (\d+)$/.exec(reason);
  if (m) return c.say('reasonImportRow', { file: m[1], row: m[2] });
  m = /^carry-over (.+) → (.+)$/.exec(reason);
  if (m) return c.say('reasonCarryOver', { from: m[1], to: m[2] });
  m = /^correction-requests\/(\d+)$/.exec(reason);
  if (m) return c.say('reasonCorrection', { id: m[1] });
  if (CLI_REASONS.has(reason)) return c.say('reasonCommand', { command: `npm run ${reason}` });
  return reason;
}
