import type { Describer, Line } from './describe';
import { describeUnknown } from './describe-records';
import type { Phrase } from './words';

/** Imports, the year's carry-over, results recomputed, and the school year's timeline (set up, changed, run). */
type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : {});
const count = (v: unknown) => (Array.isArray(v) ? v.length : 0);

export const OTHER_DESCRIBERS: Record<string, Describer> = {
  // Lượt in sổ (printing/operations.ts): the request names the book; the rest name the run and what was frozen.
  'print-runs/request': (ev, c) => {
    const a = rec(ev.after);
    if (a.kind === 'enrolment') {
      const scope = a.grade === null || a.grade === undefined ? c.say('printWholeSchool') : c.say('printGrade', { grade: Number(a.grade) });
      return { lines: [c.say('printRequestEnrolment', { year: c.year(a.school_year_id), scope })] };
    }
    const phrase = a.kind === 'rollcall' ? 'printRequestRollcall' : 'printRequest';
    return { lines: [c.say(phrase, { class: c.className(a.class_id), period: c.say(`period_${String(a.period)}` as Phrase) })] };
  },
  'print-runs/approve': (ev, c) => {
    const a = rec(ev.after);
    return { lines: [c.say('printApproved', { id: String(ev.entityId), pages: Number(a.pages ?? 0), code: String(a.code ?? '') })] };
  },
  'print-runs/reject': (ev, c) => ({ lines: [c.say('printRejected', { id: String(ev.entityId) })] }),
  'print-runs/download': (ev, c) => ({ lines: [c.say('printDownload', { id: String(ev.entityId), sha: String(rec(ev.after).sha256 ?? '').slice(0, 12) })] }),
  // Đồng bộ CSDL (sync/operations.ts): the batch by its number, year, transport and counts.
  'sync-batches/create': (ev, c) => {
    const a = rec(ev.after);
    const args = { id: String(ev.entityId), year: String(a.schoolYear ?? ''), transport: String(a.transport ?? ''), entries: Number(a.entries ?? 0), notReady: Number(a.notReady ?? 0) };
    return { lines: [c.say('syncBuilt', args)] };
  },
  'sync-batches/sync_receipt': (ev, c) => ({ lines: [c.say('syncReceipt', { id: String(ev.entityId), accepted: String(rec(ev.after).accepted ?? 0), rejected: String(rec(ev.after).rejected ?? 0) })] }),
  'sync-batches/sync_send': (ev, c) => ({ lines: [c.say('syncSent', { id: String(ev.entityId), packet: String(rec(ev.after).packetId ?? '').slice(0, 8) })] }),
  'sync-batches/download': (ev, c) => ({ lines: [c.say('syncDownload', { id: String(ev.entityId) })] }),
  // Chuyển trường (transfers/): the package by its number, where it goes or came from, how many transcripts.
  'transfer-packages/create': (ev, c) => {
    const a = rec(ev.after);
    return { lines: [c.say('transferIssued', { id: String(ev.entityId), to: String(a.toSchool ?? ''), date: String(a.transferDate ?? ''), documents: count(a.documents) })] };
  },
  'transfer-packages/download': (ev, c) => ({ lines: [c.say('transferDownload', { id: String(ev.entityId) })] }),
  'transfer-imports/create': (ev, c) => {
    const a = rec(ev.after);
    return { lines: [c.say('transferImported', { from: String(a.fromSchool ?? ''), date: String(a.transferDate ?? ''), documents: count(a.documents) })] };
  },
  'imported-transcripts/download': (ev, c) => ({ lines: [c.say('importedXmlDownload', { id: String(ev.entityId) })] }),
  'imports/import': (ev, c) => {
    const a = rec(ev.after);
    const lines: Line[] = [
      c.say('importFile', { kind: c.say(`import_${String(a.kind ?? ev.entityId)}` as Phrase), file: String(a.fileName ?? '') }),
      c.say('importRows', { rows: Number(a.rows ?? 0), create: Number(a.create ?? 0), update: Number(a.update ?? 0), unchanged: Number(a.unchanged ?? 0) }),
    ];
    if (a.schoolYear) lines.push(c.say('field', { label: c.fieldLabel(undefined, 'schoolYearId'), value: String(a.schoolYear) }));
    return { lines };
  },
  'school-years/carry-over': (ev, c) => {
    const a = rec(ev.after);
    const classes = Object.values(rec(a.enrolments)).map(rec);
    const lines: Line[] = [
      c.say('carryOver', { from: String(rec(a.from).name ?? ''), to: String(rec(a.to).name ?? '') }),
      c.say('carryOverPlaced', { classes: classes.length, students: classes.reduce((n, x) => n + count(x.studentIds), 0) }),
    ];
    if (count(a.heldBack) > 0) lines.push(c.say('carryOverHeldBack', { n: count(a.heldBack) }));
    if (count(a.graduates) > 0) lines.push(c.say('carryOverGraduates', { n: count(a.graduates) }));
    return { lines };
  },
  'results/recompute': (ev, c) => ({ lines: [c.say('recompute', { year: c.year(ev.entityId), n: Number(rec(ev.after).students ?? 0) })] }),
  'timelines/create': (ev, c) => ({ target: c.year(ev.entityId), lines: [c.say('timelineCreated', { profile: String(rec(ev.after).profile ?? '') })] }),
  'timelines/update': (ev, c) => ({ ...describeUnknown(ev, c), target: c.year(ev.entityId) }),
  'timelines/timeline_step': (ev, c) => {
    const a = rec(ev.after);
    const lines = [
      c.say('timelineStep', { step: String(a.step ?? ''), kind: c.say(`step_${String(a.kind)}` as Phrase), at: a.at ? c.instant(String(a.at)) : '', n: Number(a.actions ?? 0) }),
    ];
    if (a.unavailable) lines.push(c.say('timelineUnavailable', { why: String(a.unavailable) }));
    return { lines };
  },
};
