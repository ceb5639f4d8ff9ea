import { z } from 'zod';
import { nowIso, type Db } from '../db/knex';
import { closureContext, closureOf } from '../gradebook/cells';
import { closedMessage, gridView, saveGrid } from '../gradebook/grid';
import { HEADERS } from '../gradebook/sheet';
import { loadGradebook } from '../gradebook/target';
import type { Actor } from '../core/actor';
import { AppError, type FieldError } from '../core/errors';
import { t, type Lang } from '../core/i18n';
import { parse } from '../core/validate';
import { withImportSlot } from './limits';
import { FILE_FIELDS, MAX_IMPORT_ROWS } from './operations';
import { checkHeader, checkTitle, columnsOf, planRows, type Grid, type PlannedScoreRow, type ScoreRowStatus } from './score-plan';
import { readTable } from './table';
import { locateHeader, rowsBelow } from './template';
import { todayVn } from './values';

const id = z.number().int().positive();
const Query = z.strictObject({ mode: z.enum(['dry-run', 'commit']).default('dry-run') });
const Body = z.strictObject({ ...FILE_FIELDS, classId: id, subjectId: id, semesterId: id });

/**
 * Operation — POST /api/imports/scores?mode=dry-run|commit: scores (and comments) of one grade book from a CSV or
 * XLSX laid out like its export. Whoever may save the grid may import into it, and nobody else. A dry run reports
 * every row — its changes, its errors, the closed cells it would need with the grid's reason — and writes nothing.
 * A commit reads the grid again and writes through saveGrid, in its one transaction (versions, cutoffs, locks,
 * audit, results), only when no row has an error and no cell it would change is closed: like the grid, which
 * refuses a whole save over one closed cell, it then writes nothing (400 or 423 with the same report).
 */
export async function importScores(db: Db, actor: Actor, input: { options: unknown; file: unknown }, l: Lang) {
  const { mode } = parse(Query, input.options);
  const body = parse(Body, input.file);
  const ref = { classId: body.classId, subjectId: body.subjectId, semesterId: body.semesterId };
  // The grid's own checks first: no read right → 403; read only (or a past year) → refused as saveGrid refuses.
  if (!(await gridView(db, actor, ref, l)).canWrite) throw new AppError('forbidden', 'notAssigned');

  return withImportSlot(async () => {
    const sheet = await readTable(body.fileName, Buffer.from(body.contentBase64, 'base64'));
    // Read now, after the file: a commit plans against the grid as it is at this moment, and saveGrid writes a cell only if its
    // version is still the one this grid carries.
    const grid = await gridView(db, actor, ref, l);
    const columns = columnsOf(grid);
    const header = locateHeader(sheet, columns);
    const gb = await loadGradebook(db, ref.classId, ref.subjectId, ref.semesterId);
    const year = (await db('school_years').where({ id: gb.schoolYearId }).first('name')) as { name: string };
    // Another grade book's file is named by its title first: clearer than the columns it does not fit.
    checkTitle(sheet.slice(0, header.index), grid, String(year.name));
    checkHeader(sheet, header, grid, columns);
    const rows = rowsBelow(sheet, columns, header);
    if (rows.length === 0) throw new AppError('invalid', 'importEmpty', {}, { fileName: { key: 'importEmpty' } });
    if (rows.length > MAX_IMPORT_ROWS) {
      const params = { count: rows.length, max: MAX_IMPORT_ROWS };
      throw new AppError('invalid', 'importTooManyRows', params, { fileName: { key: 'importTooManyRows', params } });
    }
    // Comments close only by a lock (closureOf, as saveComments asks it); the grid view does not carry it.
    const ctx = await closureContext(db, gb, nowIso());
    const commentClosed = (studentId: number) => {
      const why = closureOf(gb, { studentId, kind: 'comment', seq: 0, firstEnteredAt: null }, ctx);
      return why ? { why, message: closedMessage(l, why, ctx.settings) } : null;
    };
    const planned = planRows(grid, rows, columns, todayVn(), commentClosed);
    const report = reportOf(l, grid, body.fileName, mode, planned);
    if (mode === 'dry-run') return report;

    if (report.summary.error > 0) throw new AppError('invalid', 'importHasErrors', { count: report.summary.error }, {}, report);
    if (report.summary.closedCells > 0) throw new AppError('locked', 'scoreImportClosed', { count: report.summary.closedCells }, {}, report);
    const cells = planned.flatMap((p) => p.cells.map(({ studentId, kind, seq, value, version }) => ({ studentId, kind, seq, value, version })));
    const comments = planned.flatMap((p) => (p.comment ? [{ studentId: p.comment.studentId, text: p.comment.text, version: p.comment.version }] : []));
    if (cells.length + comments.length === 0) return { ...report, saved: 0 };
    // The grid's save: one transaction, the same checks again, one audit row naming the file.
    const saved = await saveGrid(db, actor, { ...ref, cells, comments, reason: `import ${body.fileName}` }, l);
    return { ...report, saved: saved.saved };
  });
}

/** The report in the client's language: per row its changes (stored → new), closed cells with why, and errors. */
function reportOf(l: Lang, grid: Grid, fileName: string, mode: 'dry-run' | 'commit', planned: PlannedScoreRow[]) {
  const text = (e: FieldError) => ('text' in e ? e.text : t(l, e.key, e.params));
  const summary: Record<ScoreRowStatus, number> & { cells: number; closedCells: number } = { update: 0, unchanged: 0, closed: 0, error: 0, cells: 0, closedCells: 0 };
  for (const p of planned) {
    summary[p.status] += 1;
    summary.cells += p.cells.length + (p.comment ? 1 : 0);
    summary.closedCells += p.closed.length;
  }
  return {
    kind: 'scores' as const,
    fileName,
    mode,
    gradebook: { class: grid.class, subject: { id: grid.subject.id, name: grid.subject.name, assessmentType: grid.subject.assessmentType }, semester: { id: grid.semester.id, number: grid.semester.number } },
    rows: planned.map((p) => ({
      row: p.row,
      status: p.status,
      studentCode: p.studentCode,
      fullName: p.fullName,
      errors: Object.fromEntries(Object.entries(p.errors).map(([col, e]) => [col, text(e)])),
      changes: [...p.cells.map((c) => ({ column: c.column, from: c.from, to: c.value })), ...(p.comment ? [{ column: HEADERS.comment, from: p.comment.from, to: p.comment.text }] : [])],
      closed: p.closed,
    })),
    summary,
  };
}
