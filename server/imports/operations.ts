import { z } from 'zod';
import { IMPORT_KINDS, importSchoolIds, type ImportKind } from '../../domain/permissions';
import type { Db } from '../db/knex';
import { principalOf, type Actor } from '../core/actor';
import type { Lang } from '../core/i18n';
import { entityId } from '../school/common';
import { assignmentsImport } from './assignments';
import { applyEach, currentYearOf, renderRows, summarize, type ImportDef, type PlannedRow } from './plan';
import { staffImport } from './staff';
import { studentsImport } from './students';
import { withImportSlot } from './limits';
import { readTable } from './table';
import { locateColumns } from './template';
import { todayVn } from './values';
import { appendAudit } from '../core/audit';
import { forbidden, AppError } from '../core/errors';
import { parse } from '../core/validate';

const DEFS: Record<ImportKind, ImportDef> = { students: studentsImport, staff: staffImport, assignments: assignmentsImport };

/**
 * The app takes JSON bodies of at most 1 MB, so a file travels base64-encoded (4/3 of its size): about 750 KB of
 * CSV — some 5,000 students with the usual columns (≈150 bytes a row), about 2,800 with addresses and parents'
 * names filled in. The row bound keeps one commit's transaction reasonable whatever the file's compression (XLSX
 * packs more rows into the same bytes).
 */
export const MAX_IMPORT_ROWS = 5000;

const Query = z.strictObject({ mode: z.enum(['dry-run', 'commit']).default('dry-run') });
/** The file of every import: its name (.csv or .xlsx) and its bytes, base64-encoded. */
export const FILE_FIELDS = {
  fileName: z.string().trim().min(1).max(255),
  contentBase64: z
    .string()
    .min(1)
    .regex(/^[A-Za-z0-9+/=\r\n]+$/),
};
const Body = z.strictObject({
  ...FILE_FIELDS,
  // Only for someone working in several schools: which one the file is for.
  schoolId: entityId.optional(),
});

/** What to import: the kind (students, staff, assignments), the options (`mode`) and the file. */
export interface ImportInput {
  kind: string;
  options: unknown;
  file: unknown;
}

/**
 * Operation — POST /api/imports/{students|staff|assignments}?mode=dry-run|commit: a dry run reports every row (create,
 * update, unchanged, or its errors in the user's language) and writes nothing; a commit re-checks the file and
 * either applies every row in one transaction or, if any row is wrong, nothing at all (400 with the same report).
 */
export async function importFile(db: Db, actor: Actor, input: ImportInput, l: Lang) {
  const principal = principalOf(actor);
  const kind = IMPORT_KINDS.find((k) => k === input.kind);
  if (!kind) throw new AppError('not_found', 'routeNotFound');
  const schools = importSchoolIds(principal, kind);
  if (schools.length === 0) throw forbidden();
  const { mode } = parse(Query, input.options);
  const body = parse(Body, input.file);
  const schoolId = body.schoolId ?? (schools.length === 1 ? schools[0] : undefined);
  if (schoolId === undefined) throw new AppError('invalid', 'validation', {}, { schoolId: { key: 'required' } });
  if (!schools.includes(schoolId)) throw forbidden();

  const def = DEFS[kind];
  // At most MAX_CONCURRENT_IMPORTS files are read and checked at once (503 beyond: "try again shortly").
  return withImportSlot(() => importRows(db, actor, kind, def, schoolId, mode, body, l));
}

async function importRows(db: Db, actor: Actor, kind: ImportKind, def: ImportDef, schoolId: number, mode: 'dry-run' | 'commit', body: z.output<typeof Body>, l: Lang) {
  const sheet = await readTable(body.fileName, Buffer.from(body.contentBase64, 'base64'));
  const rows = locateColumns(sheet, def.columns);
  if (rows.length === 0) throw new AppError('invalid', 'importEmpty', {}, { fileName: { key: 'importEmpty' } });
  if (rows.length > MAX_IMPORT_ROWS) {
    const params = { count: rows.length, max: MAX_IMPORT_ROWS };
    throw new AppError('invalid', 'importTooManyRows', params, { fileName: { key: 'importTooManyRows', params } });
  }
  const today = todayVn();
  const report = (planned: PlannedRow[]) => ({ kind, fileName: body.fileName, mode, rows: renderRows(l, planned), summary: summarize(planned) });

  if (def.needsCurrentYear && !(await currentYearOf(db, schoolId))) throw new AppError('invalid', 'importNoCurrentYear');

  if (mode === 'dry-run') {
    return report(await def.plan({ conn: db, schoolId, today }, rows));
  }
  return db.transaction(async (trx) => {
    // Checked again inside the transaction: the dry run may be stale.
    const planned = await def.plan({ conn: trx, schoolId, today }, rows);
    const summary = summarize(planned);
    if (summary.error > 0) throw new AppError('invalid', 'importHasErrors', { count: summary.error }, {}, report(planned));
    await (def.commit ?? applyEach)({ trx, actor, schoolId, today, fileName: body.fileName }, planned);
    const year = await currentYearOf(trx, schoolId);
    await appendAudit(trx, actor, {
      action: 'import',
      entity: 'imports',
      entityId: kind,
      after: { kind, fileName: body.fileName, rows: planned.length, schoolYear: def.needsCurrentYear ? (year?.name ?? null) : null, ...summary },
      schoolId,
    });
    return report(planned);
  });
}
