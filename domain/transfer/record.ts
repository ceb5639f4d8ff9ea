/**
 * The transfer record (hồ sơ chuyển trường, issue 13): what the sending school states and seals when a student
 * leaves — who, from which school to which, when and why, and the sealed transcript versions handed over, each with
 * its SHA-256. Pure types and checks; the XML is server/transfers/record-xml.ts.
 */

export interface TransferStudent {
  fullName: string;
  birthDate: string; // yyyy-mm-dd
  sex: 'male' | 'female';
  nationalId: string | null;
  studentCode: string;
  ethnicity: string | null;
  nationality: string | null;
  placeOfBirth: string | null;
  homeTown: string | null;
  address: string | null;
}

export interface TransferDocument {
  /** The file in the package. */
  file: string;
  /** madinhdanhhocba of the transcript the version belongs to (one per school the student studied at). */
  transcriptUid: string;
  version: number;
  /** The school year the version was sealed for. */
  schoolYear: string;
  /** The school that sealed it (an earlier school for versions the sender itself imported). */
  schoolCode: string;
  sha256: string;
}

export interface TransferRecord {
  packageId: string;
  fromSchool: { code: string; name: string };
  toSchool: { code: string | null; name: string };
  transferDate: string;
  reason: string | null;
  createdAt: string;
  student: TransferStudent;
  documents: TransferDocument[];
}

/** The seal's signature Id on the transfer record. */
export const TRANSFER_SIGNATURE_ID = 'sig-chuyentruong-condau';
/** A package is at most this big as uploaded (the sync receiver's limit). */
export const MAX_PACKAGE_BYTES = 50 * 1024 * 1024;

/** A student may leave with a package while studying, or once the clerk has recorded the transfer out. */
export const mayLeaveWithPackage = (status: string): boolean => status === 'studying' || status === 'transferred_out';

/** How a document is named to a person: "Học bạ năm học 2025-2026 (phiên bản 1, trường THCS-KP, tệp …)". */
export const documentLabel = (d: Pick<TransferDocument, 'schoolYear' | 'version' | 'schoolCode' | 'file'>): string =>
  `học bạ năm học ${d.schoolYear} (phiên bản ${d.version}, trường ${d.schoolCode}, tệp ${d.file})`;
