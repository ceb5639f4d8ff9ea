/** GET /api/notifications (server/notifications/queries.ts). */
export interface InboxItem {
  id: number;
  kind: string;
  milestone: string;
  title: string;
  lines: string[];
  items: Array<{ personName?: string; details?: Array<{ className?: string; subjectName?: string; link?: string }> }>;
  link: string | null;
  at: string;
  read: boolean;
}

/** The bell listens for this after the inbox marks something read, so the count follows at once. */
export const INBOX_CHANGED = 'inbox-changed';

export const inboxChanged = () => window.dispatchEvent(new Event(INBOX_CHANGED));

/** Every grid an item is about (the items' details[].link, /gradebook?classId=&subjectId=&semesterId=), deduplicated. */
export function gridLinks(n: InboxItem): Array<{ to: string; label: string }> {
  const out = new Map<string, string>();
  for (const i of n.items ?? []) {
    for (const d of i.details ?? []) {
      if (d.link && d.link.startsWith('/') && !out.has(d.link)) out.set(d.link, [d.className, d.subjectName].filter(Boolean).join(' – ') || d.link);
    }
  }
  return [...out].map(([to, label]) => ({ to, label }));
}

/** Where clicking the item goes: its own link, else the first grid it names. */
export function targetOf(n: InboxItem): string | null {
  if (n.link && n.link.startsWith('/')) return n.link;
  return gridLinks(n)[0]?.to ?? null;
}
