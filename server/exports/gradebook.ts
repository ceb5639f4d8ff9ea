import type { Db } from '../db/knex';
import { gridView } from '../gradebook/grid';
import { columnHeader, GRADEBOOK_TITLE, HEADERS, resultHeaders, semesterRoman, TITLE_LABELS } from '../gradebook/sheet';
import type { Actor } from '../core/actor';
import { namesOfSemester } from './names';
import { addSheet, newWorkbook, toFile, vnDate, vnDateTime, type Column, type ExportFile } from './xlsx';

/**
 * Query — GET /api/exports/gradebook.xlsx?classId&subjectId&semesterId: one grade book as the grid shows it
 * (gridView: the same checks, the same values, averages and year result), laid out so that the score import
 * (server/imports/scores.ts) reads it back: the title names the class, subject, semester and year, the header row
 * carries TT22's column names (server/gradebook/sheet.ts).
 */
export async function exportGradebook(db: Db, actor: Actor, query: unknown): Promise<ExportFile> {
  const grid = await gridView(db, actor, query, 'vi');
  const names = await namesOfSemester(db, grid.semester.id);
  const sem = semesterRoman(grid.semester.number);
  const wb = await newWorkbook();
  const columns: Column[] = [
    { header: HEADERS.no, width: 5, kind: 'number' },
    { header: HEADERS.studentCode, width: 13 },
    { header: HEADERS.fullName, width: 26 },
    ...grid.columns.map((c): Column => ({ header: columnHeader(c.kind, c.seq), width: 8, kind: 'score' })),
    ...resultHeaders(grid.subject.assessmentType === 'scored', grid.semester.number).map((h): Column => ({ header: h, width: 9, kind: 'score' })),
    { header: HEADERS.comment, width: 40, wrap: true },
  ];
  const sheet = addSheet(wb, {
    name: `Sổ điểm ${grid.class.name} HK ${sem}`,
    school: names.school,
    title: GRADEBOOK_TITLE,
    info: [
      [`${TITLE_LABELS.class}: ${grid.class.name}`, `${TITLE_LABELS.subject}: ${grid.subject.name}`, `${TITLE_LABELS.semester}: ${sem}`, `${TITLE_LABELS.year}: ${names.year}`],
      [
        `Ngày kiểm tra giữa kỳ: ${vnDate(grid.testDates.midterm) || '—'}`,
        `Ngày kiểm tra cuối kỳ: ${vnDate(grid.testDates.final) || '—'}`,
        `Xuất lúc: ${vnDateTime(grid.now)}`,
      ],
    ],
    columns,
    freezeColumns: 3,
  });
  grid.rows.forEach((r, i) => {
    const scores = grid.columns.map((c) => (r.cells[`${c.kind}:${c.seq}`] as { value: string | null }).value);
    // Semester II also shows semester I's result and the year's (Điều 9.1), as the grid does.
    const y = r as typeof r & { firstSemesterResult?: string | null; yearResult?: string | null };
    const results = grid.semester.number === 2 ? [y.firstSemesterResult ?? null, r.semesterResult, y.yearResult ?? null] : [r.semesterResult];
    sheet.row([i + 1, r.student.code, r.student.fullName, ...scores, ...results, r.comment.text]);
  });
  return toFile(wb, `Sổ điểm ${grid.class.name} - ${grid.subject.name} - HK ${sem} - ${names.year}`);
}
