import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { correctionsSentence } from '../domain/transcript/corrections';
import { commentResultCode, formatDate, formatScore, formatSubjectValue, levelCode, levelLabel, longVietnameseDate, vietnamDate } from '../domain/transcript/format';
import type { TranscriptContent } from '../domain/transcript/types';
import { createSecretBox } from '../server/auth/secret-box';
import { seedDemo } from '../server/demo/seed';
import { approverFor, assembleClassYear, assembleTranscript, assembleTranscriptYear } from '../server/transcripts/assemble';
import { renderTranscriptPdf } from '../server/transcripts/pdf';
import { readTranscriptHeader, transcriptToXml } from '../server/transcripts/xml-mapping';
import { SCHEMA_PATH, validateTranscriptXml, validateTranscriptXmls } from '../server/transcripts/xsd';
import { freshDatabase, testDatabases, type FreshDb } from './helpers/databases';
import { integration } from './helpers/integrations';
import { handTranscript } from './helpers/transcript-fixture';
import { tempDirs } from './helpers/temp';

const docDir = tempDirs('hocba-doc-');

const XMLLINT = integration('xmllint');
// pdftotext, pdfdetach, pdffonts and pdfinfo come with pdfsig in poppler-utils.
const POPPLER = integration('pdfsig') ? path.dirname(integration('pdfsig')!) : undefined;
const VERIFY_URL = 'https://hocba.thcskhanhphu.edu.vn/#/tra-cuu/KP7Q-4M2X-9HTA';

function tmpFile(name: string, data: string | Buffer): string {
  const file = path.join(docDir(), name);
  fs.writeFileSync(file, data);
  return file;
}

/** The independent check: libxml2's command-line validator against the same XSD file. */
function xmllint(xml: string): { ok: boolean; stderr: string } {
  try {
    execFileSync(XMLLINT!, ['--noout', '--nonet', '--schema', SCHEMA_PATH, tmpFile('t.xml', xml)], { stdio: 'pipe' });
    return { ok: true, stderr: '' };
  } catch (e) {
    return { ok: false, stderr: String((e as { stderr: Buffer }).stderr) };
  }
}

const poppler = (tool: string, args: string[]) => execFileSync(path.join(POPPLER!, tool), args, { encoding: 'utf8' });

describe('how the transcript prints what the grade book stores', () => {
  it('writes averages with one decimal and a decimal comma', () => {
    expect(formatScore('7')).toBe('7,0');
    expect(formatScore('8.3')).toBe('8,3');
    expect(formatScore('10')).toBe('10,0');
    expect(formatScore('0')).toBe('0,0');
    // Two decimals or out of range would misstate a result: refused, not printed.
    expect(() => formatScore('8.25')).toThrow();
    expect(() => formatScore('10.5')).toThrow();
    expect(() => formatScore('D')).toThrow();
  });

  it('names levels in words on paper and with the ministry codes in the XML', () => {
    expect(['T', 'K', 'D', 'CD'].map((l) => levelLabel(l as 'T'))).toEqual(['Tốt', 'Khá', 'Đạt', 'Chưa đạt']);
    expect(['T', 'K', 'D', 'CD'].map((l) => levelCode(l as 'T'))).toEqual(['T', 'K', 'Đ', 'CĐ']);
    expect(commentResultCode('D')).toBe('Đ');
    expect(commentResultCode('CD')).toBe('CĐ');
    expect(formatSubjectValue('CD', 'comment')).toBe('CĐ');
    expect(formatSubjectValue('6.5', 'scored')).toBe('6,5');
  });

  it('dates as dd/mm/yyyy, on the Vietnamese calendar day', () => {
    expect(formatDate('2012-03-17')).toBe('17/03/2012');
    // 20:30 UTC on 1 June is already 2 June in Việt Nam.
    expect(vietnamDate('2027-06-01T20:30:00Z')).toBe('2027-06-02');
    expect(longVietnameseDate('2027-06-02')).toBe('ngày 02 tháng 06 năm 2027');
  });

  it('says how many corrections the page has and in which subjects', () => {
    expect(correctionsSentence({ count: 2, subjects: ['Toán'] })).toBe('Trong trang này có sửa chữa ở 2 chỗ, thuộc môn học Toán.');
    expect(correctionsSentence({ count: 3, subjects: ['Ngữ văn', 'Toán'] })).toBe('Trong trang này có sửa chữa ở 3 chỗ, thuộc môn học Ngữ văn, Toán.');
    expect(correctionsSentence({ count: 0, subjects: [] })).toContain('không có chỗ nào');
  });
});

describe('the transcript as XML (schema v1)', () => {
  const content = handTranscript();
  const xml = transcriptToXml(content);

  it('carries the parts the signatures reference by Id, scores with a comma and the corrections line', () => {
    expect(xml).toContain('<hocbaso xmlns="urn:hocbaso:v1" phienbanschema="1">');
    expect(xml).toContain('<hocsinh Id="hocsinh">');
    expect(xml).toContain('<namhoc Id="nh-2026-2027" namhoc="2026-2027">');
    expect(xml).toContain('<bangdiem Id="bd-2026-2027-TOAN">');
    expect(xml).toContain('<tonghop Id="th-2026-2027">');
    expect(xml).toMatch(/<mamonhoc>KHTN<\/mamonhoc>[\s\S]*?<diemcanam>7,0<\/diemcanam>/);
    expect(xml).toMatch(/<mamonhoc>GDTC<\/mamonhoc>[\s\S]*?<diemcanam>Đ<\/diemcanam>/);
    expect(xml).toMatch(/<bangdiem Id="bd-2025-2026-TOAN">[\s\S]*?<diemkttralai>6,5<\/diemkttralai>/);
    expect(xml).toContain('<ghichu>Trong trang này có sửa chữa ở 2 chỗ, thuộc môn học Toán.</ghichu>');
    expect(xml).toContain('<hoanthanhchuongtrinh>true</hoanthanhchuongtrinh>');
    expect(xml).toContain('<quequan>xã Khánh Phú, Ninh Bình</quequan>');
    expect(xml).toMatch(/<cha>\s*<hoten>Nguyễn Văn Hùng<\/hoten>\s*<nghenghiep>Làm ruộng<\/nghenghiep>/);
    expect(xml).toMatch(/<chuky\/>\s*<\/hocbaso>\s*$/);
    expect(xml).toBe(xml.normalize('NFC'));
    // Grade 8 is not the end of THCS: no completion element there.
    expect(xml.split('<namhoc Id="nh-2025-2026"')[1].split('</namhoc>')[0]).not.toContain('hoanthanhchuongtrinh');
  });

  it('reads the header back for the verification screens, and refuses a DOCTYPE', () => {
    expect(readTranscriptHeader(xml)).toEqual({ transcriptUid: content.transcriptUid, version: 1, status: 1, schoolCode: 'THCS-KP', verificationCode: 'KP7Q-4M2X-9HTA' });
    const bomb = xml.replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0"?><!DOCTYPE hocbaso [<!ENTITY a "aaaa">]>');
    expect(() => readTranscriptHeader(bomb)).toThrow(/DOCTYPE/);
    expect(() => readTranscriptHeader('<other xmlns="urn:x"/>')).toThrow();
  });

  it('passes our validator', async () => {
    expect(await validateTranscriptXml(xml)).toEqual({ ok: true });
  });

  it('accepts a document whose chuky holds a ds:Signature (lax content)', async () => {
    const signed = xml.replace(
      '<chuky/>',
      '<chuky><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="sig-condau"><ds:SignedInfo/><ds:SignatureValue>AA==</ds:SignatureValue></ds:Signature></chuky>',
    );
    expect(await validateTranscriptXml(signed)).toEqual({ ok: true });
    const foreign = xml.replace('<chuky/>', '<chuky><x:note xmlns:x="urn:other">hi</x:note></chuky>');
    expect((await validateTranscriptXml(foreign)).ok).toBe(false);
  });

  it('refuses a score with a decimal point and two decimals, and an 11-digit ID, naming the elements', async () => {
    const bad = xml.replace('<diemcanam>8,6</diemcanam>', '<diemcanam>8.55</diemcanam>').replace('<sodinhdanh>037312012345</sodinhdanh>', '<sodinhdanh>03731201234</sodinhdanh>');
    const result = await validateTranscriptXml(bad);
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors.join('\n');
    expect(errors).toContain('diemcanam');
    expect(errors).toContain('8.55');
    expect(errors).toContain('sodinhdanh');
  });

  it('refuses a level outside T/K/Đ/CĐ and a missing Id, each document judged on its own in one shared run', async () => {
    const results = await validateTranscriptXmls([
      xml.replace('<renluyencanam>T</renluyencanam>', '<renluyencanam>Tốt</renluyencanam>'),
      xml,
      xml.replace('<tonghop Id="th-2026-2027">', '<tonghop>'),
    ]);
    expect(results.map((r) => r.ok)).toEqual([false, true, false]);
    expect((results[0] as { errors: string[] }).errors.join(' ')).toContain('renluyencanam');
  });

  describe.skipIf(!XMLLINT)('checked by xmllint --schema (independent)', () => {
    it('the document validates', () => {
      expect(xmllint(xml)).toEqual({ ok: true, stderr: '' });
    });
    it('a bad score and an 11-digit ID fail, named by element', () => {
      const r1 = xmllint(xml.replace('<diemcanam>8,6</diemcanam>', '<diemcanam>8.55</diemcanam>'));
      expect(r1.ok).toBe(false);
      expect(r1.stderr).toContain('diemcanam');
      const r2 = xmllint(xml.replace('<sodinhdanh>037312012345</sodinhdanh>', '<sodinhdanh>03731201234</sodinhdanh>'));
      expect(r2.ok).toBe(false);
      expect(r2.stderr).toContain('sodinhdanh');
    });
  });
});

describe('the transcript as PDF (TT22 THCS form, PDF/A-3b)', () => {
  const content = handTranscript();
  const xml = transcriptToXml(content);
  let pdf: Buffer;
  let file: string;

  beforeAll(async () => {
    pdf = await renderTranscriptPdf(content, { signedXml: xml, verifyUrl: VERIFY_URL });
    file = tmpFile('hocba.pdf', pdf);
  });

  it('is the same bytes for the same content (re-rendering a sealed version compares equal)', async () => {
    expect((await renderTranscriptPdf(content, { signedXml: xml, verifyUrl: VERIFY_URL })).equals(pdf)).toBe(true);
  });

  it('declares PDF/A-3B in its XMP metadata, with title and author', () => {
    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/<pdfaid:part>3<\/pdfaid:part>/);
    expect(raw).toMatch(/<pdfaid:conformance>B<\/pdfaid:conformance>/);
    expect(raw).toContain('/AFRelationship /Source');
    expect(raw).toContain('/OutputIntents');
  });

  describe.skipIf(!POPPLER)('read back with poppler', () => {
    it('shows the results as the form does: "7,0", Đ, the retest, the corrections line, the code, Vietnamese names', () => {
      const textOut = poppler('pdftotext', ['-layout', file, '-']).normalize('NFC');
      expect(textOut).toContain('HỌC BẠ');
      expect(textOut).toContain('TRUNG HỌC CƠ SỞ');
      expect(textOut).toContain('BỘ GIÁO DỤC VÀ ĐÀO TẠO');
      expect(textOut).toContain('Nguyễn Thị Ngọc Ánh');
      expect(textOut).toContain('NGUYỄN THỊ NGỌC ÁNH');
      expect(textOut).toContain('7,0');
      expect(textOut).toContain('10,0');
      expect(textOut).toContain('6,5');
      expect(textOut).toContain('Trong trang này có sửa chữa ở 2 chỗ, thuộc môn học Toán');
      expect(textOut).toContain('Trong trang này không có chỗ nào sửa chữa');
      expect(textOut).toContain('Hoàn thành chương trình THCS');
      expect(textOut).toContain('Số sổ đăng bộ: 127/2023');
      expect(textOut).toContain('Quê quán: xã Khánh Phú, Ninh Bình');
      expect(textOut).toContain('Làm ruộng');
      expect(textOut).toContain(`Tra cứu tại ${VERIFY_URL}`);
      // Every page shows the verification code.
      const pages = textOut.split('\f').filter((p) => p.trim() !== '');
      expect(pages).toHaveLength(6);
      for (const p of pages) expect(p).toContain('Mã xác thực: KP7Q-4M2X-9HTA');
    });

    it('carries the signed XML as an embedded file, byte for byte', () => {
      expect(poppler('pdfdetach', ['-list', file])).toContain(`hocba-${content.transcriptUid}-v1.xml`);
      const out = path.join(path.dirname(file), 'out.xml');
      poppler('pdfdetach', ['-save', '1', '-o', out, file]);
      expect(fs.readFileSync(out, 'utf8')).toBe(xml);
    });

    it('embeds its fonts and says who it is', () => {
      const fonts = poppler('pdffonts', [file]);
      const rows = fonts.split('\n').slice(2).filter((l) => l.trim() !== '');
      expect(rows.length).toBeGreaterThanOrEqual(2);
      for (const r of rows) expect(r).toMatch(/DejaVuSans\S*\s+CID TrueType\s+Identity-H\s+yes/);
      const info = poppler('pdfinfo', [file]);
      expect(info).toContain('Title:           Học bạ số – Nguyễn Thị Ngọc Ánh');
      expect(info).toContain('Author:          Trường THCS Khánh Phú');
      expect(info).toMatch(/PDF version:\s+1\.7/);
    });
  });

  it('wraps long comments and continues a full table on a new page with its header, nothing lost', async () => {
    const long = handTranscript();
    const comment = 'Em có nhiều cố gắng trong học tập, tích cực phát biểu xây dựng bài, hoàn thành đầy đủ bài tập về nhà; cần rèn luyện thêm kỹ năng trình bày và tính cẩn thận khi làm bài kiểm tra, đọc thêm tài liệu tham khảo.';
    long.years[1].subjects.forEach((s) => (s.comment = comment));
    const out = await renderTranscriptPdf(long, { signedXml: transcriptToXml(long), verifyUrl: VERIFY_URL });
    if (!POPPLER) return void expect(out.length).toBeGreaterThan(pdf.length);
    const pages = poppler('pdftotext', [tmpFile('long.pdf', out), '-']).normalize('NFC').split('\f').filter((p) => p.trim() !== '');
    expect(pages).toHaveLength(7);
    const results = pages.filter((p) => p.includes('KẾT QUẢ HỌC TẬP') && p.includes('2026-2027'));
    expect(results).toHaveLength(2);
    for (const p of results) expect(p).toContain('Giáo viên bộ môn');
    const all = results.join('\n').replace(/\s+/g, ' ');
    for (const s of long.years[1].subjects) expect(all).toContain(s.subjectName.split(' ')[0]);
    expect(all.split('đọc thêm tài liệu tham khảo').length - 1).toBe(13);
    // The corrections line and the signatures come after the last row, on the second page.
    expect(results[1]).toContain('Trong trang này có sửa chữa ở 2 chỗ, thuộc môn học Toán');
  });

  it('marks a revoked version on every page', async () => {
    const revoked = await renderTranscriptPdf({ ...content, status: 2 }, { signedXml: xml, verifyUrl: VERIFY_URL });
    if (POPPLER) {
      // Rendered after other transcripts in this process: every letter must still map back to text (ToUnicode).
      const t = poppler('pdftotext', ['-layout', tmpFile('r.pdf', revoked), '-']).normalize('NFC');
      expect(t.split('ĐÃ THU HỒI · Học bạ số').length - 1).toBe(6);
    }
    else expect(revoked.equals(pdf)).toBe(false);
  });
});

describe.each(testDatabases())('assembled from a seeded grade book on %s', (kind) => {
  let fresh: FreshDb;
  let db: FreshDb['db'];
  let yearId: number;
  let classId: number;
  let studentId: number;
  let otherId: number;
  let content: TranscriptContent;
  const box = createSecretBox('transcript-doc-test-secret-0123456789');

  beforeAll(async () => {
    fresh = await freshDatabase(kind);
    db = fresh.db;
    await seedDemo(db, { secretBox: box, students: 120 });
    const year = await db('school_years').where({ is_current: true }).first('id', 'school_id');
    yearId = Number(year.id);
    const schoolId = Number(year.school_id);
    const klass = await db('classes').where({ school_year_id: yearId, name: '9A1' }).first('id');
    classId = Number(klass.id);
    const roster = (await db('enrolments').where({ class_id: classId, status: 'active' }).orderBy('student_id').select('student_id')).map((r) => Number(r.student_id));
    [studentId, otherId] = roster;
    const subjects = await db('subjects').orderBy('id').select('id', 'code', 'assessment_type');
    const semesters = await db('semesters').where({ school_year_id: yearId }).orderBy('number').select('id');
    const [s1, s2] = semesters.map((s) => Number(s.id));
    const admin = Number((await db('users').where({ username: 'admin' }).first('id')).id);
    const now = '2027-05-25T03:00:00.000Z';
    const scores: Record<string, [string, string, string]> = { TOAN: ['4.5', '5', '4.8'], KHTN: ['7', '7', '7'], 'TIN-HOC': ['9.5', '10', '10'] };
    for (const sid of [studentId, otherId]) {
      await db('student_subject_results').insert(
        subjects.map((s) => {
          const [hk1, hk2, y] = s.assessment_type === 'comment' ? ['D', 'D', 'D'] : (scores[s.code] ?? ['8', '8.5', '8.3']);
          return { school_id: schoolId, school_year_id: yearId, class_id: classId, student_id: sid, subject_id: s.id, hk1, hk2, year: y, retest: null, final: y, computed_at: now };
        }),
      );
      await db('student_year_results').insert({
        school_id: schoolId,
        school_year_id: yearId,
        class_id: classId,
        student_id: sid,
        learning_hk1: 'D',
        learning_hk2: 'K',
        learning_year: 'D',
        learning_final: 'K',
        conduct_hk1: 'T',
        conduct_hk2: 'T',
        conduct_year: 'T',
        conduct_final: 'T',
        absences_hk1: 1,
        absences_hk2: 2,
        absences: 3,
        decision: 'promoted',
        promoted: true,
        summer_training: false,
        award: null,
        computed_at: now,
      });
    }
    const toan = subjects.find((s) => s.code === 'TOAN')!;
    // Toán retaken in summer: the retest record, the year score kept as it was.
    await db('retest_results').insert({ school_id: schoolId, school_year_id: yearId, student_id: studentId, subject_id: toan.id, value: '6.5', entered_by: admin, created_at: now });
    await db('subject_comments').insert([
      { school_id: schoolId, semester_id: s1, class_id: classId, subject_id: toan.id, student_id: studentId, comment: 'Học kỳ I: cần cố gắng.', updated_by: admin, updated_at: now },
      { school_id: schoolId, semester_id: s2, class_id: classId, subject_id: toan.id, student_id: studentId, comment: 'Tiến bộ rõ ở học kỳ II.', updated_by: admin, updated_at: now },
    ]);
    await db('conduct_records').insert({ school_id: schoolId, semester_id: s2, class_id: classId, student_id: studentId, conduct: 'T', homeroom_comment: 'Em ngoan, chăm chỉ.', updated_by: admin, updated_at: now });
    const correction = (sid: number, seq: number, status: string) => ({
      school_id: schoolId,
      semester_id: s2,
      class_id: classId,
      subject_id: toan.id,
      student_id: sid,
      kind: 'regular',
      seq,
      old_value: '4',
      new_value: '5',
      reason: 'Nhập nhầm',
      closed_rule: 'weekly',
      requested_by: admin,
      status,
      procedure: 'admin',
      created_at: now,
      updated_at: now,
    });
    // Two applied for her, one still pending (not on the page yet), one applied for a classmate.
    await db('correction_requests').insert([correction(studentId, 1, 'applied'), correction(studentId, 2, 'applied'), correction(studentId, 3, 'pending'), correction(otherId, 1, 'applied')]);
    content = await assembleTranscript(db, {
      studentId,
      schoolYearIds: [yearId],
      transcriptUid: '0b7e3c1a-2d4f-4a6b-8c9d-0e1f2a3b4c5d',
      version: 1,
      verificationCode: 'TEST-0001',
      issuedAt: '2027-06-01T02:00:00.000Z',
    });
  });
  afterAll(async () => {
    await fresh?.drop();
  });

  it('reads identity, history and the year from the stored grade book', async () => {
    const student = await db('students').where({ id: studentId }).first();
    expect(content.identity.fullName).toBe(student.full_name);
    expect(content.identity.homeTown).toBe(student.home_town);
    expect(content.identity.father).toEqual({ name: student.father_name, occupation: student.father_occupation });
    expect(content.history).toEqual([expect.objectContaining({ className: '9A1', schoolName: 'Trường THCS Khánh Phú', province: 'Ninh Bình' })]);
    const [y] = content.years;
    expect(y).toMatchObject({ grade: 9, className: '9A1' });
    expect(y.subjects.map((s) => s.subjectCode).slice(0, 3)).toEqual(['NGU-VAN', 'TOAN', 'TIENG-ANH']);
    const toan = y.subjects.find((s) => s.subjectCode === 'TOAN')!;
    expect(toan).toMatchObject({ hk1: '4.5', hk2: '5', year: '4.8', retest: '6.5', comment: 'Tiến bộ rõ ở học kỳ II.' });
    const assignment = await db('teaching_assignments as t').join('staff as s', 's.id', 't.staff_id').where({ 't.class_id': classId, 't.subject_id': (await db('subjects').where({ code: 'TOAN' }).first('id')).id }).first('s.full_name');
    expect(toan.teacher?.fullName).toBe(assignment.full_name);
    expect(y.summary).toMatchObject({ absences: 3, promoted: true, completedLevel: true, homeroomComment: 'Em ngoan, chăm chỉ.', learning: { afterRetest: 'K' } });
    const homeroom = await db('classes as c').join('staff as s', 's.id', 'c.homeroom_staff_id').where('c.id', classId).first('s.full_name');
    expect(y.summary.homeroomTeacher?.fullName).toBe(homeroom.full_name);
    expect(y.corrections).toEqual({ count: 2, subjects: ['Toán'] });
    const principal = await db('staff').where({ post: 'principal' }).first('id', 'full_name');
    expect(y.approver).toEqual({ staffId: Number(principal.id), fullName: principal.full_name, post: 'principal' });
    expect(await approverFor(db, yearId, 9)).toEqual(y.approver);
  });

  it('gives the same year for a student whether read alone or with the whole class', async () => {
    const classYears = await assembleClassYear(db, { classId, schoolYearId: yearId });
    const roster = await db('enrolments').where({ class_id: classId, status: 'active' }).count({ n: '*' }).first();
    expect(classYears.size).toBe(Number(roster!.n));
    expect(classYears.get(studentId)).toEqual(content.years[0]);
    expect(classYears.get(otherId)!.corrections).toEqual({ count: 1, subjects: ['Toán'] });
    expect(await assembleTranscriptYear(db, { studentId: otherId, schoolYearId: yearId })).toEqual(classYears.get(otherId));
    // A classmate with no results yet still gets a section, with nothing claimed.
    const blank = [...classYears.entries()].find(([id]) => id !== studentId && id !== otherId)![1];
    expect(blank.subjects).toEqual([]);
    expect(blank.summary.promoted).toBeNull();
  });

  it('maps to XML that validates and to a PDF that shows it', async () => {
    const xml = transcriptToXml(content);
    expect(await validateTranscriptXml(xml)).toEqual({ ok: true });
    if (XMLLINT) expect(xmllint(xml).ok).toBe(true);
    expect(xml).toContain('<diemkttralai>6,5</diemkttralai>');
    const pdf = await renderTranscriptPdf(content, { signedXml: xml, verifyUrl: 'https://example.test/#/tra-cuu/TEST-0001' });
    if (POPPLER) {
      const textOut = poppler('pdftotext', [tmpFile('a.pdf', pdf), '-']).normalize('NFC');
      expect(textOut).toContain(content.identity.fullName);
      expect(textOut).toContain('7,0');
      expect(textOut).toContain('Trong trang này có sửa chữa ở 2 chỗ, thuộc môn học Toán');
    }
  });
});
