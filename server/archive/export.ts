import { ARCHIVE_BOOK_LABELS, retentionLabel } from '../../domain/archive';
import { principalOf, type Actor } from '../core/actor';
import { applyFilters, parseListQuery } from '../core/list-query';
import { scopedQuery } from '../core/resource';
import type { Db } from '../db/knex';
import { addSheet, newWorkbook, toFile, vnDate, vnDateTime, type Column, type ExportFile } from '../exports/xlsx';
import { archiveEntriesResource as def } from './entries';

/** A register is printed whole: far more lines than any school files in years, yet a bound on the work. */
const MAX_ROWS = 20_000;

/**
 * Query — GET /api/exports/archive-register.xlsx?filter&sort (the list's own filters and sort, with its permission
 * check): the register laid out for printing — school, title, the filters that made it, then one line per entry.
 * Every text cell goes through spreadsheetSafe (exports/xlsx.ts), so a note typed as "=cmd" stays text.
 */
export async function exportArchiveRegister(db: Db, actor: Actor, query: Record<string, unknown>): Promise<ExportFile> {
  const principal = principalOf(actor);
  const lq = parseListQuery({ filter: query.filter, sort: query.sort ?? JSON.stringify(['receivedOn', 'ASC']) }, def.fields, def.defaultSort);
  const rows = (await applyFilters(scopedQuery(db, def, principal, 'list'), lq, def.searchColumns ?? [])
    .orderBy(lq.sort.column, lq.sort.order)
    .orderBy('archive_entries.id', 'asc')
    .limit(MAX_ROWS)) as Record<string, unknown>[];
  const entries = rows.map(def.toApi);
  const schoolId = entries[0]?.schoolId ?? actor.schoolId;
  const school = schoolId ? ((await db('schools').where({ id: schoolId }).first('name')) as { name: string } | undefined)?.name ?? '' : '';
  const filter = (typeof query.filter === 'string' ? JSON.parse(query.filter) : {}) as Record<string, unknown>;
  const info: string[] = [];
  if (typeof filter.book === 'string' && filter.book in ARCHIVE_BOOK_LABELS) info.push(`Loại: ${ARCHIVE_BOOK_LABELS[filter.book as keyof typeof ARCHIVE_BOOK_LABELS]}`);
  if (filter.schoolYearId !== undefined && entries[0]) info.push(`Năm học: ${entries[0].schoolYearName ?? ''}`);
  if (typeof filter.receivedOn_gte === 'string') info.push(`Từ ngày: ${vnDate(filter.receivedOn_gte)}`);
  if (typeof filter.receivedOn_lte === 'string') info.push(`Đến ngày: ${vnDate(filter.receivedOn_lte)}`);
  if (typeof filter.q === 'string' && filter.q.trim()) info.push(`Tìm: ${filter.q.trim()}`);
  info.push(`In lúc: ${vnDateTime(new Date().toISOString())}`);

  const wb = await newWorkbook();
  const columns: Column[] = [
    { header: 'STT', width: 5, kind: 'number' },
    { header: 'Ngày nhận', width: 11, kind: 'date' },
    { header: 'Loại hồ sơ', width: 26, wrap: true },
    { header: 'Năm học', width: 11 },
    { header: 'Lớp', width: 7 },
    { header: 'Học kỳ / giai đoạn', width: 14, wrap: true },
    { header: 'Số trang', width: 8, kind: 'number' },
    { header: 'Vị trí lưu (kệ/hộp)', width: 16, wrap: true },
    { header: 'Thời hạn bảo quản', width: 12 },
    { header: 'Người nhận', width: 20 },
    { header: 'Tệp sao lưu / SHA-256', width: 30, wrap: true },
    { header: 'Ghi chú', width: 34, wrap: true },
  ];
  const sheet = addSheet(wb, { name: 'Sổ đăng ký lưu trữ', school, title: 'SỔ ĐĂNG KÝ LƯU TRỮ HỒ SƠ', info: [info], columns, freezeColumns: 2 });
  entries.forEach((e, i) => {
    const struck = e.deleted ? `ĐÃ HỦY ${vnDate(e.deletedAt)}: ${e.deleteReason ?? ''}` : null;
    sheet.row([
      i + 1,
      e.receivedOn,
      ARCHIVE_BOOK_LABELS[e.book],
      e.schoolYearName,
      e.className,
      e.period,
      e.pages,
      e.location,
      retentionLabel(e),
      e.receivedByName,
      e.backupFile ? `${e.backupFile}\n${e.backupSha256 ?? ''}` : null,
      [e.note, struck].filter(Boolean).join('\n'),
    ]);
  });
  sheet.note(`Tổng số: ${entries.length} mục.`);
  return toFile(wb, 'Sổ đăng ký lưu trữ');
}
