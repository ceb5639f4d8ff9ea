/**
 * The sealed transcript versions a transfer package carries, and what a person needs to see of one: its year,
 * grade, class, school and student. Read from the signed XML itself (parseUntrustedXml: it is untrusted on import).
 */
import crypto from 'node:crypto';
import { documentName } from '../../domain/sync/packet';
import type { TransferDocument } from '../../domain/transfer/record';
import type { Conn } from '../transcripts/store';
import { parseUntrustedXml } from '../signing/safe-xml';
import { TRANSCRIPT_NS } from '../transcripts/xml-mapping';

export interface CarriedDocument extends TransferDocument {
  xml: string;
}

export const sha256Of = (xml: string) => crypto.createHash('sha256').update(xml, 'utf8').digest('hex');

/**
 * Every sealed version of the student's transcript at this school (sealed or superseded by a later year's; a revoked
 * one is not in force and stays behind), then the earlier schools' versions this school imported — oldest first.
 */
export async function documentsOf(conn: Conn, schoolId: number, studentId: number): Promise<CarriedDocument[]> {
  const own = (await conn('transcript_versions as v')
    .join('transcripts as t', 't.id', 'v.transcript_id')
    .join('schools as s', 's.id', 't.school_id')
    .join('school_years as y', 'y.id', 'v.school_year_id')
    .where({ 't.student_id': studentId, 't.school_id': schoolId })
    .whereIn('v.status', ['sealed', 'superseded'])
    .orderBy('v.version')
    .select('t.transcript_uid', 'v.version', 'y.name as year', 's.code', 'v.xml')) as Array<Record<string, unknown>>;
  const imported = (await conn('imported_transcripts')
    .where({ student_id: studentId, school_id: schoolId })
    .orderBy('school_year')
    .orderBy('version')
    .select('transcript_uid', 'version', 'school_year as year', 'source_school_code as code', 'xml')) as Array<Record<string, unknown>>;
  const out = new Map<string, CarriedDocument>();
  for (const r of [...imported, ...own]) {
    const file = documentName(String(r.transcript_uid), Number(r.version));
    const xml = String(r.xml);
    out.set(file, { file, transcriptUid: String(r.transcript_uid), version: Number(r.version), schoolYear: String(r.year), schoolCode: String(r.code), sha256: sha256Of(xml), xml });
  }
  return [...out.values()].sort((a, b) => a.schoolYear.localeCompare(b.schoolYear) || a.version - b.version);
}

export interface DocumentFacts {
  schoolName: string;
  /** The last year the version covers: the one it was sealed for. */
  schoolYear: string | null;
  grade: number | null;
  className: string | null;
  years: string[];
  student: { fullName: string | null; nationalId: string | null; studentCode: string | null; birthDate: string | null };
}

/** What a transcript document says of itself (already checked against the schema and its signatures). */
export function factsOf(xml: string): DocumentFacts {
  const root = parseUntrustedXml(xml).documentElement;
  const first = (parent: Element, name: string) => {
    for (let c = parent.firstChild; c; c = c.nextSibling) if (c.nodeType === 1 && (c as Element).localName === name && (c as Element).namespaceURI === TRANSCRIPT_NS) return c as Element;
    return null;
  };
  const txt = (parent: Element | null, name: string) => (parent ? (first(parent, name)?.textContent ?? '').trim() || null : null);
  const years: Element[] = [];
  for (let c = root.firstChild; c; c = c.nextSibling) if (c.nodeType === 1 && (c as Element).localName === 'namhoc') years.push(c as Element);
  const last = years[years.length - 1] ?? null;
  const st = first(root, 'hocsinh');
  return {
    schoolName: txt(first(root, 'thongtinhocba'), 'tentruong') ?? '',
    schoolYear: last?.getAttribute('namhoc') ?? null,
    grade: last && txt(last, 'makhoi') ? Number(txt(last, 'makhoi')) : null,
    className: txt(last, 'tenlop'),
    years: years.map((y) => y.getAttribute('namhoc') ?? ''),
    student: { fullName: txt(st, 'hoten'), nationalId: txt(st, 'sodinhdanh'), studentCode: txt(st, 'mahocsinh'), birthDate: txt(st, 'ngaysinh') },
  };
}
