/**
 * The principal's monthly inspection report (seed 000), filed by the timeline: one per teaching month, a PDF kept
 * with its SHA-256 and the same bytes when regenerated from its data, its list downloadable as XLSX with every
 * text cell safe from formulas; readable by the school's leadership only.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vnAt } from '../domain/timeline';
import { actorOfUser } from '../server/auth/principal';
import type { Actor } from '../server/core/actor';
import { inspectionPdf, inspectionXlsx, listInspectionReports, renderInspectionPdf, type InspectionData } from '../server/timeline/inspection';
import { testDatabases, type FreshDb } from './helpers/databases';
import { integration } from './helpers/integrations';
import { demoYear, SIM_START, simulateEmbedded } from './helpers/timeline-year';
import { tempDirs } from './helpers/temp';

const inspectionDir = tempDirs('inspection-');

const PDFTOTEXT = integration('pdfsig') ? '/usr/bin/pdftotext' : undefined;

describe.each(testDatabases())('monthly inspection report on %s', (kind) => {
  let fresh: FreshDb;
  let yearId: number;
  const actorAs = async (username: string): Promise<Actor> => {
    const u = (await fresh.db('users').where({ username }).first('id')) as { id: number };
    return actorOfUser(fresh.db, Number(u.id));
  };

  beforeAll(async () => {
    ({ fresh, yearId } = await demoYear(kind, 120));
    await simulateEmbedded(fresh.db, SIM_START, vnAt('2027-11-02', '00:00'));
  }, 300_000);
  afterAll(async () => fresh?.drop());

  it('files one report per month as of its instant, listing who is behind', async () => {
    const list = await listInspectionReports(fresh.db, await actorAs('hieutruong'), yearId);
    expect(list.map((r) => [r.period, r.at])).toEqual([
      ['2027-09', vnAt('2027-09-01', '07:00')],
      ['2027-10', vnAt('2027-10-01', '07:00')],
      ['2027-11', vnAt('2027-11-01', '07:00')],
    ]);
    // Nobody entered anything: nothing is due on the first day of the year, and by November every teacher is behind.
    expect(list[0].teachersBehind).toBe(0);
    expect(list[2].teachersBehind).toBeGreaterThan(5);
    expect(list[2].missing).toBeGreaterThan(list[1].missing);
  });

  it('keeps the PDF as filed: its SHA-256 matches, and the same data renders the same bytes', async () => {
    const principal = await actorAs('hieutruong');
    const [, , nov] = await listInspectionReports(fresh.db, principal, yearId);
    const { fileName, pdf } = await inspectionPdf(fresh.db, principal, nov.id);
    expect(fileName).toBe('kiem-tra-nhap-diem-2027-11.pdf');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(crypto.createHash('sha256').update(pdf).digest('hex')).toBe(nov.sha256);
    const row = (await fresh.db('inspection_reports').where({ id: nov.id }).first('data')) as { data: string };
    const again = await renderInspectionPdf(JSON.parse(row.data) as InspectionData);
    expect(again.equals(pdf)).toBe(true);
    if (PDFTOTEXT) {
      const file = path.join(inspectionDir(), 'r.pdf');
      fs.writeFileSync(file, pdf);
      const text = execFileSync(PDFTOTEXT, [file, '-'], { encoding: 'utf8' });
      expect(text).toContain('BÁO CÁO KIỂM TRA NHẬP ĐIỂM THÁNG 11/2027');
      expect(text).toMatch(/giáo viên còn thiếu tổng cộng \d+ điểm/);
      expect(text).toContain('ĐĐGtx 1');
    }
  });

  it('gives the list as XLSX, one row per teacher and grade book', async () => {
    const principal = await actorAs('hieutruong');
    const [, , nov] = await listInspectionReports(fresh.db, principal, yearId);
    const { xlsx } = await inspectionXlsx(fresh.db, principal, nov.id);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).values).toEqual([undefined, 'Giáo viên', 'Lớp', 'Môn học', 'Cột điểm còn thiếu', 'Số điểm thiếu', 'Quá hạn (ngày)']);
    const rows = ws.getRows(2, ws.rowCount - 1)!;
    const total = rows.reduce((n, r) => n + Number(r.getCell(5).value), 0);
    expect(total).toBe(nov.missing);
    for (const r of rows) expect(String(r.getCell(1).value)).not.toMatch(/^[=+\-@]/);
  });

  it('is read by the leadership only: a subject teacher is refused', async () => {
    await expect(listInspectionReports(fresh.db, await actorAs('gvbm'), yearId)).rejects.toMatchObject({ kind: 'forbidden' });
    const [first] = await listInspectionReports(fresh.db, await actorAs('phohieutruong'), yearId);
    await expect(inspectionPdf(fresh.db, await actorAs('gvbm'), first.id)).rejects.toMatchObject({ kind: 'forbidden' });
  });
});
