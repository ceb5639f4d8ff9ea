/**
 * Messages of Chuyển trường with the transcripts (issue 13, server/transfers/): why a package cannot be issued,
 * why an uploaded one is refused — naming the document and the signature that failed. Spread into i18n.ts.
 */
export const TRANSFER_MESSAGES = {
  transferBadRecord: { vi: 'Hồ sơ chuyển trường (manifest.xml) trong gói không hợp lệ: {detail}.', en: 'The transfer record (manifest.xml) in the package is invalid: {detail}.' },
  transferNoRecord: { vi: 'Gói không có hồ sơ chuyển trường (manifest.xml): đây không phải gói chuyển trường.', en: 'The package has no transfer record (manifest.xml): it is not a transfer package.' },
  transferNotAPackage: { vi: 'Tệp tải lên không phải gói chuyển trường (hồ sơ có phần tử gốc khác).', en: 'The uploaded file is not a transfer package (its record has another root element).' },
  transferRecordSeal: {
    vi: 'Con dấu số trên hồ sơ chuyển trường không hợp lệ ({detail}): hồ sơ đã bị thay đổi hoặc không phải của trường {school}. Không nhập gì.',
    en: 'The seal on the transfer record is not valid ({detail}): the record was changed or is not from school {school}. Nothing was imported.',
  },
  transferDocumentMissing: { vi: 'Gói thiếu tệp {file} mà hồ sơ chuyển trường liệt kê ({document}). Không nhập gì.', en: 'The package lacks file {file} listed in the transfer record ({document}). Nothing was imported.' },
  transferUnlistedFile: { vi: 'Gói có tệp {file} không được liệt kê trong hồ sơ chuyển trường. Không nhập gì.', en: 'The package holds file {file}, which the transfer record does not list. Nothing was imported.' },
  transferDocumentChanged: {
    vi: 'Mã băm SHA-256 của {document} khác với hồ sơ chuyển trường: tệp đã bị thay đổi. {detail}. Không nhập gì.',
    en: 'The SHA-256 of {document} differs from the transfer record: the file was changed. {detail}. Nothing was imported.',
  },
  transferDocumentSchema: { vi: '{document} không khớp lược đồ hocba-v1.xsd: {detail}. Không nhập gì.', en: '{document} does not match the hocba-v1.xsd schema: {detail}. Nothing was imported.' },
  transferDocumentSignature: { vi: '{document}: {detail}. Không nhập gì.', en: '{document}: {detail}. Nothing was imported.' },
  transferDocumentOtherStudent: { vi: '{document} là học bạ của học sinh khác ({detail}). Không nhập gì.', en: '{document} is another student’s transcript ({detail}). Nothing was imported.' },
  transferNotForUs: { vi: 'Gói này gửi trường {to}, không phải trường của bạn ({ours}).', en: 'This package is addressed to school {to}, not yours ({ours}).' },
  transferFromSelf: { vi: 'Gói này do chính trường bạn ({school}) lập: không nhập lại.', en: 'Your own school ({school}) issued this package: it is not imported back.' },
  transferAlreadyImported: { vi: 'Gói chuyển trường {packageId} đã được nhập ngày {at}.', en: 'Transfer package {packageId} was already imported on {at}.' },
  transferStudentCodeTaken: {
    vi: 'Mã học sinh {code} đã thuộc học sinh khác của trường ({name}): hãy kiểm tra lại trước khi nhập.',
    en: 'Student code {code} already belongs to another student of the school ({name}): check before importing.',
  },
  transferStudentNotLeaving: { vi: 'Học sinh đang ở trạng thái "{status}": chỉ lập gói chuyển trường cho học sinh đang học hoặc đã chuyển đi.', en: 'The student’s status is "{status}": a transfer package is issued only for a student studying or transferred out.' },
  transferPackageTooLarge: { vi: 'Gói chuyển trường quá lớn (tối đa {max}).', en: 'The transfer package is too large ({max} at most).' },
  transferEmptyUpload: { vi: 'Chưa có tệp gói chuyển trường (ZIP) nào được tải lên.', en: 'No transfer package (ZIP) was uploaded.' },
  studentTransferredOut: {
    vi: 'Học sinh {name} đã chuyển trường: hồ sơ tại trường chỉ còn để tra cứu, không ghi điểm, nhận xét hay học bạ mới.',
    en: 'Student {name} has transferred to another school: the record here is kept as history only; no new scores, comments or transcripts.',
  },
} as const;
