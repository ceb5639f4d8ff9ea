/**
 * Học bạ số content (issue 10, ../shared/domain/hoc-ba-so.md): everything one version of a student's transcript
 * says, assembled from the grade book (server/transcripts/assemble.ts), mapped to XML in one module
 * (server/transcripts/xml-mapping.ts) and drawn as the TT22 THCS paper form (server/transcripts/pdf.ts).
 * Values are as the grade book stores them: scores as canonical strings '7' / '8.3' (the XML and PDF print
 * '7,0' / '8,3'), levels T | K | D | CD, comment subjects D | CD.
 */

export type Level = 'T' | 'K' | 'D' | 'CD';

export interface TranscriptIdentity {
  fullName: string;
  sex: string; // 'Nam' | 'Nữ'
  birthDate: string; // yyyy-mm-dd
  ethnicity: string | null;
  nationality: string | null;
  placeOfBirth: string | null;
  homeTown: string | null;
  address: string | null;
  nationalId: string | null; // 12 digits
  studentCode: string;
  father: { name: string; occupation: string | null } | null;
  mother: { name: string; occupation: string | null } | null;
  guardian: { name: string; occupation: string | null } | null;
}

/** One row of the school-history table (quá trình học tập). */
export interface SchoolHistoryRow {
  schoolYear: string; // '2025-2026'
  className: string;
  schoolName: string;
  district: string | null;
  province: string | null;
}

export interface SubjectRow {
  subjectCode: string; // mamonhoc
  subjectName: string;
  assessment: 'scored' | 'comment';
  hk1: string | null;
  hk2: string | null;
  year: string | null;
  /** After the retest (Điều 13), if one was taken. */
  retest: string | null;
  comment: string | null; // nxetmonhoc
  /** The subject teacher (gvbm) who signs this row. */
  teacher: { staffId: number; fullName: string } | null;
  /** Digitised paper year only: the teacher has left, the principal signs this row in their place (XML `kythay`). */
  signedInPlace?: InPlaceSigner;
}

/** A principal signing in place of a departed teacher (seed 003 V.4; domain/transcript/digitisation.ts). */
export interface InPlaceSigner {
  fullName: string;
  /** "Hiệu trưởng ký thay cho GV … đã nghỉ việc". */
  note: string;
}

export interface YearSummary {
  learning: { hk1: Level | null; hk2: Level | null; year: Level | null; afterRetest: Level | null };
  conduct: { hk1: Level | null; hk2: Level | null; year: Level | null; afterSummerTraining: Level | null };
  absences: number;
  summerTraining: boolean;
  /** true promoted, false held back, null undecided. */
  promoted: boolean | null;
  /** Grade 9 only: completed the THCS programme. */
  completedLevel: boolean | null;
  award: 'excellent' | 'very_good' | null;
  homeroomComment: string | null;
  homeroomTeacher: { staffId: number; fullName: string } | null;
  /** Digitised paper year only: the homeroom teacher has left, the principal signs in their place. */
  homeroomSignedInPlace?: InPlaceSigner;
}

/** "Trong trang này có sửa chữa ở … chỗ, thuộc môn học …", from the corrections log of that student and year. */
export interface CorrectionsLine {
  count: number;
  subjects: string[]; // subject names, in curriculum order
}

export interface TranscriptYear {
  schoolYear: string;
  grade: number;
  className: string;
  subjects: SubjectRow[];
  summary: YearSummary;
  corrections: CorrectionsLine;
  /** Who approves and signs: the principal or the vice principal delegated for this grade. */
  approver: { staffId: number; fullName: string; post: 'principal' | 'vice_principal' } | null;
  /** Extracted from the paper book (trích lục, XML `namhoc@trichluc`), not assembled from the grade book. */
  extractedFromPaper?: boolean;
}

export interface TranscriptContent {
  /** madinhdanhhocba: 36 characters (a UUID), one per student for life. */
  transcriptUid: string;
  /** phienban: 1, 2, … (a correction after sealing makes a new version). */
  version: number;
  status: 1 | 2; // trangthaithongtinhocba: 1 in force, 2 revoked
  circular: string; // thongtu: '22/2021/TT-BGDĐT'
  school: { code: string; name: string; level: string; province: string | null; district: string | null; address: string | null; registerNumber: string | null };
  identity: TranscriptIdentity;
  history: SchoolHistoryRow[];
  years: TranscriptYear[];
  /** Shown on the PDF and reached by the QR code (the public lookup). */
  verificationCode: string;
  issuedAt: string; // ISO instant of sealing (ngaykyphathanh)
  placeOfIssue: string | null; // diadanhphathanh
}

/**
 * The Ids of the parts signatures reference (one place, used by the XML mapping, the chain and the verifier):
 * the identity page, each year's subject rows, each year's summary, each year as a whole.
 */
export const partId = {
  identity: () => 'hocsinh',
  subject: (schoolYear: string, subjectCode: string) => `bd-${schoolYear}-${subjectCode}`,
  summary: (schoolYear: string) => `th-${schoolYear}`,
  year: (schoolYear: string) => `nh-${schoolYear}`,
};
