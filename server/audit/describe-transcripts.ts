import type { Ctx } from './context';
import type { Describer, Line } from './describe';
import type { Phrase } from './words';

/**
 * Học bạ số: transcripts opened and reopened for a correction, each signature and the seal (one by one or in a
 * batch), copies, revocations, certificates, signing delegations and print approvals. The trail names a transcript
 * by its version id; the NameBook turns that into the student and the version number.
 */
type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : {});
const list = (v: unknown): Rec[] => (Array.isArray(v) ? (v as Rec[]) : []);

/** "Học bạ của Nguyễn Văn A (9A1), phiên bản 2": the class of the transcript's year, not the student's latest. */
function transcript(c: Ctx, versionId: unknown, known?: { studentId: unknown; version: unknown; classId?: unknown }): string {
  const v = known ?? c.names.get('versions', versionId);
  if (!v) return c.say('unknownRecord', { id: String(versionId) });
  return c.say('transcriptOf', { student: c.student(v.studentId, v.classId ?? undefined), version: String(v.version) });
}

const stepName = (c: Ctx, step: unknown) => c.say(`sign_${String(step)}` as Phrase);

const opened: Describer = (ev, c) => {
  const a = rec(ev.after);
  const versions = list(a.versions);
  if (versions.length === 0) {
    const target = transcript(c, ev.entityId, { studentId: a.studentId, version: a.version });
    return { target, lines: ev.action === 'reopen' ? [c.say('transcriptReopened', { version: String(a.version) })] : [target] };
  }
  const target = a.classId ? `${c.className(a.classId)} — ${c.year(a.schoolYearId)}` : c.year(a.schoolYearId);
  const lines: Line[] = [
    c.say('transcriptsOpened', { n: versions.length }),
    ...versions.map((v) => () => transcript(c, v.versionId, { studentId: v.studentId, version: v.version, classId: a.classId })),
  ];
  return { target, lines, summary: `${c.say('transcriptsOpened', { n: versions.length })} (${target})` };
};

/** A signature or the seal: on one transcript (entity id), or on several at once (`versions`). */
const signed: Describer = (ev, c) => {
  const a = rec(ev.after);
  const versions = list(a.versions);
  const seal = ev.action === 'seal';
  if (versions.length <= 1) {
    const target = transcript(c, versions[0]?.versionId ?? ev.entityId);
    return { target, lines: [seal ? c.say('sealedOne') : c.say('signedPart', { step: stepName(c, a.step) })] };
  }
  const head = seal ? c.say('sealedMany', { n: versions.length }) : c.say('signedMany', { step: stepName(c, a.step), n: versions.length });
  return { lines: [head, ...versions.map((v) => () => transcript(c, v.versionId))] };
};

const taskStep = (a: Rec) => rec(a.task).step;

export const TRANSCRIPT_DESCRIBERS: Record<string, Describer> = {
  'transcript_versions/open': opened,
  'transcript_versions/reopen': opened,
  'transcript_versions/sign': signed,
  // A principal's signature in place of a departed teacher (docs/digitisation.md): the sentence the trail keeps.
  'transcript_versions/sign_in_place': (ev, c) => ({
    target: transcript(c, ev.entityId),
    lines: list(rec(ev.after).signatures).map((x) => String(x.note ?? '')),
  }),
  'transcript_versions/seal': signed,
  'transcript_versions/sign_prepare': (ev, c) => {
    const a = rec(ev.after);
    return { lines: [c.say('prepared', { n: Number(a.items ?? 0), step: stepName(c, taskStep(a)) })] };
  },
  'transcript_versions/revoke': (ev, c) => ({
    target: transcript(c, ev.entityId),
    lines: [c.say('revoked'), `${c.fieldLabel(undefined, 'status')}: ${c.change(c.say(`status_${String(rec(ev.before).status)}` as Phrase), c.say('status_revoked'))}`],
  }),
  'transcript_versions/issue_copy': (ev, c) => {
    const kind = String(rec(ev.after).kind ?? '');
    return { target: transcript(c, ev.entityId), lines: [c.say('copyIssued', { kind: kind === 'print' ? c.say('copy_print') : kind.toUpperCase() })] };
  },
  'signing_batches/sign_batch': (ev, c) => {
    const a = rec(ev.after);
    return { lines: [c.say('batch', { step: stepName(c, taskStep(a)), n: Number(a.total ?? 0) })] };
  },
  'certificates/create': (ev, c) => {
    const a = rec(ev.after);
    const lines = [c.say('certificate', { kind: c.say(`cert_${String(a.kind)}` as Phrase), subject: String(a.subject ?? '') })];
    // The owner, unless the certificate's subject already names them.
    if (a.staffId && c.staff(a.staffId) !== a.subject) lines.push(c.say('certOwner', { name: c.staff(a.staffId) }));
    return { lines };
  },
  'signing_delegations/edit': (ev, c) => {
    const was = new Map(list(ev.before).map((d) => [Number(d.grade), d.user_id ?? d.userId ?? null]));
    const name = (userId: unknown) => (userId ? c.user(userId) : c.say('delegationPrincipal'));
    const lines = list(ev.after)
      .filter((d) => String(was.get(Number(d.grade)) ?? null) !== String(d.userId ?? null))
      .map((d) => () => c.say('delegation', { grade: Number(d.grade), name: c.change(was.has(Number(d.grade)) ? name(was.get(Number(d.grade))) : '', name(d.userId)) }));
    return { target: c.year(ev.entityId), lines };
  },
  'transcript_print_approvals/approve': (ev, c) => {
    const a = rec(ev.after);
    const scope = a.classId ? c.say('classScope', { class: c.className(a.classId) }) : c.say('wholeGrade');
    return { lines: [c.say('printApproval', { grade: Number(a.grade), scope, year: c.year(a.schoolYearId) })] };
  },
};
