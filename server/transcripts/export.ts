import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/knex';
import { validateTranscriptXmls } from './xsd';

/**
 * The year's sealed transcripts as files (the hand-over to the province/ministry upload, an archive copy):
 * `<transcript_uid>-v<version>.xml` and `.pdf` per sealed (or since superseded) version of the year, and the trust
 * anchors as PEM under `trust/` so whoever receives them can verify the signatures.
 */
export async function exportTranscripts(db: Db, opts: { year: string; out: string }): Promise<{ versions: number; files: number; anchors: number }> {
  if (!/^\d{4}-\d{4}$/.test(opts.year)) throw new Error(`Năm học phải có dạng 2025-2026 (nhận được "${opts.year}") / the year must look like 2025-2026`);
  const years = (await db('school_years').where({ name: opts.year }).select('id', 'school_id')) as Array<{ id: number; school_id: number }>;
  if (years.length === 0) throw new Error(`Không tìm thấy năm học ${opts.year} / school year ${opts.year} not found`);
  fs.mkdirSync(path.join(opts.out, 'trust'), { recursive: true });
  const rows = (await db('transcript_versions as v')
    .join('transcripts as t', 't.id', 'v.transcript_id')
    .whereIn('v.school_year_id', years.map((y) => y.id))
    .whereIn('v.status', ['sealed', 'superseded'])
    .orderBy('v.id')
    .select('v.id', 't.transcript_uid', 'v.version')) as Array<{ id: number; transcript_uid: string; version: number }>;
  let files = 0;
  for (let i = 0; i < rows.length; i += EXPORT_GROUP) {
    // A group at a time: a whole school's PDFs need not sit in memory together, and a group's XML is checked
    // against the schema in one validator run before any of it leaves.
    const group = rows.slice(i, i + EXPORT_GROUP);
    const docs = (await db('transcript_versions').whereIn('id', group.map((r) => r.id)).select('id', 'xml', 'pdf')) as Array<{ id: number; xml: string; pdf: Buffer | null }>;
    const byId = new Map(docs.map((d) => [Number(d.id), d]));
    const checks = await validateTranscriptXmls(group.map((r) => byId.get(Number(r.id))!.xml));
    const bad = checks.findIndex((c) => !c.ok);
    if (bad >= 0) {
      const r = group[bad];
      throw new Error(`${r.transcript_uid}-v${r.version} không khớp lược đồ XML, không xuất / does not validate against the schema, not exported: ${(checks[bad] as { errors: string[] }).errors.slice(0, 2).join('; ')}`);
    }
    files += writeGroup(opts.out, group, byId);
  }
  const anchors = (await db('certificates').whereIn('school_id', years.map((y) => y.school_id)).where({ trusted: true }).whereNull('revoked_at').select('id', 'sha256', 'pem')) as Array<{ sha256: string; pem: string }>;
  for (const a of anchors) fs.writeFileSync(path.join(opts.out, 'trust', `${a.sha256.slice(0, 16)}.pem`), a.pem);
  return { versions: rows.length, files, anchors: anchors.length };
}

const EXPORT_GROUP = 100;

function writeGroup(out: string, group: Array<{ id: number; transcript_uid: string; version: number }>, byId: Map<number, { xml: string; pdf: Buffer | null }>): number {
  let files = 0;
  for (const r of group) {
    const doc = byId.get(Number(r.id))!;
    const base = path.join(out, `${r.transcript_uid}-v${r.version}`);
    fs.writeFileSync(`${base}.xml`, doc.xml, 'utf8');
    files++;
    if (doc.pdf) {
      fs.writeFileSync(`${base}.pdf`, Buffer.from(doc.pdf));
      files++;
    }
  }
  return files;
}
