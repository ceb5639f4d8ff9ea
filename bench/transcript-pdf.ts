/**
 * Transcript document benchmark (issue 10: the seal run covers a whole school; target < 50 ms per PDF after
 * warm-up).
 *
 *   npx tsx bench/transcript-pdf.ts                 # SQLite (temp file)
 *   BENCH_DATABASE_URL=postgres://… npx tsx bench/transcript-pdf.ts
 *   BENCH_PDFS=2000 npx tsx bench/transcript-pdf.ts  # every student (default: 300)
 *
 * Seeds a ~2,000-student school, fills both semesters and computes the year (as bench/recompute.ts), then times:
 *   - assembly: assembleClassYear for every class (the seal run's unit), and the identity part per student;
 *   - XML: transcriptToXml per student, and validateTranscriptXmls on a sample (one xmllint-wasm run);
 *   - PDF: renderTranscriptPdf per student, after a 20-document warm-up, each with its own name, results, comments
 *     and QR code (no two documents alike, so the shared layout cache is not flattered).
 * Wall time and this process's CPU time are printed: on a shared machine the CPU time is the steadier figure.
 */
import { createSecretBox } from '../server/auth/secret-box';
import { seedDemo } from '../server/demo/seed';
import { recomputeSchool } from '../server/results/recompute';
import { assembleClassYear, identityOf } from '../server/transcripts/assemble';
import { renderTranscriptPdf } from '../server/transcripts/pdf';
import { transcriptToXml } from '../server/transcripts/xml-mapping';
import { validateTranscriptXmls } from '../server/transcripts/xsd';
import type { TranscriptContent, TranscriptYear } from '../domain/transcript/types';
import { freshBenchDb, percentile } from './common';
import { fillYear } from './recompute';

const PDFS = Number(process.env.BENCH_PDFS ?? 300);
const VALIDATIONS = Number(process.env.BENCH_VALIDATIONS ?? 500);

const fmt = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(1)} ms, p95 ${percentile(xs, 95).toFixed(1)} ms (n=${xs.length})`;

async function timed<T>(f: () => Promise<T> | T): Promise<{ value: T; ms: number; cpu: number }> {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const value = await f();
  const used = process.cpuUsage(cpu);
  return { value, ms: Number(process.hrtime.bigint() - start) / 1e6, cpu: (used.user + used.system) / 1000 };
}

async function main(): Promise<void> {
  const { db, drop } = await freshBenchDb();
  try {
    await seedDemo(db, { secretBox: createSecretBox('bench-transcripts-0123456789-0123456789'), students: 2000 });
    const year = (await db('school_years').where({ is_current: true }).first('id', 'school_id', 'name')) as { id: number; school_id: number; name: string };
    await fillYear(db, year.id);
    await recomputeSchool(db, year.school_id, year.id);
    const school = await db('schools').where({ id: year.school_id }).first();
    const classes = (await db('classes').where({ school_year_id: year.id }).orderBy('name').select('id')) as Array<{ id: number }>;

    // Assembly, class by class.
    const perClass: number[] = [];
    const years = new Map<number, TranscriptYear>();
    const assembly = await timed(async () => {
      for (const c of classes) {
        const t = await timed(() => assembleClassYear(db, { classId: c.id, schoolYearId: year.id }));
        perClass.push(t.ms);
        for (const [id, y] of t.value) years.set(id, y);
      }
    });
    const students = new Map(((await db('students').whereIn('id', [...years.keys()]).select()) as Array<Record<string, unknown>>).map((s) => [Number(s.id), s]));
    console.log(`assembleClassYear: ${classes.length} classes, ${years.size} students in ${assembly.ms.toFixed(0)} ms (CPU ${assembly.cpu.toFixed(0)} ms); per class ${fmt(perClass)}`);

    const contents: TranscriptContent[] = [...years.entries()].map(([id, y], i) => ({
      transcriptUid: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
      version: 1,
      status: 1,
      circular: '22/2021/TT-BGDĐT',
      school: { code: String(school.code), name: String(school.name), level: 'THCS', province: school.province, district: school.district, address: school.address, registerNumber: null },
      identity: identityOf(students.get(id)!),
      history: [{ schoolYear: y.schoolYear, className: y.className, schoolName: String(school.name), district: school.district, province: school.province }],
      years: [y],
      verificationCode: `B${String(i).padStart(5, '0')}-${(id * 7919).toString(36).toUpperCase()}`,
      issuedAt: '2027-06-01T02:00:00.000Z',
      placeOfIssue: school.province,
    }));

    // XML for everyone; validation on a sample.
    const xmlTimes: number[] = [];
    const xmls = contents.map((c) => {
      const start = process.hrtime.bigint();
      const xml = transcriptToXml(c);
      xmlTimes.push(Number(process.hrtime.bigint() - start) / 1e6);
      return xml;
    });
    console.log(`transcriptToXml: ${fmt(xmlTimes)}`);
    const validations = await timed(() => validateTranscriptXmls(xmls.slice(0, VALIDATIONS)));
    const invalid = validations.value.find((v) => !v.ok);
    if (invalid && !invalid.ok) throw new Error(`invalid: ${invalid.errors.join('; ')}`);
    console.log(`validateTranscriptXmls (xmllint-wasm, ${VALIDATIONS} documents in one call): ${validations.ms.toFixed(0)} ms, ${(validations.ms / VALIDATIONS).toFixed(2)} ms per document`);

    // PDFs: warm up on 20, then time PDFS documents, each different.
    const render = (i: number) => renderTranscriptPdf(contents[i % contents.length], { signedXml: xmls[i % xmls.length], verifyUrl: `https://hocba.example.vn/#/tra-cuu/${contents[i % contents.length].verificationCode}` });
    for (let i = 0; i < 20; i++) await render(contents.length - 1 - i);
    const wall: number[] = [];
    const cpu: number[] = [];
    let bytes = 0;
    for (let i = 0; i < PDFS; i++) {
      const t = await timed(() => render(i));
      wall.push(t.ms);
      cpu.push(t.cpu);
      bytes += t.value.length;
    }
    console.log(`renderTranscriptPdf (one year, ${contents[0].years[0].subjects.length} subjects): wall ${fmt(wall)}; CPU ${fmt(cpu)}; ${(bytes / PDFS / 1024).toFixed(1)} KiB each`);
  } finally {
    await drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
