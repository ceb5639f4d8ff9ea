/**
 * Messages of the archive register (sổ đăng ký lưu trữ, server/archive/): what the records clerk reads when an
 * entry or a backup is refused. Kept beside i18n.ts, which spreads them into its one table.
 */
export const ARCHIVE_MESSAGES = {
  'archive.receivedInFuture': { vi: 'Ngày nhận không được sau hôm nay ({max}).', en: 'The date received cannot be after today ({max}).' },
  'archive.retentionRequired': { vi: 'Hãy ghi thời hạn bảo quản: số năm, hoặc chọn "Vĩnh viễn".', en: 'Give the retention period: a number of years, or "Permanent".' },
  'archive.retentionBoth': { vi: 'Chỉ chọn một: số năm bảo quản hoặc "Vĩnh viễn".', en: 'Choose one: a number of years or "Permanent".' },
  'archive.pagesRequired': { vi: 'Hãy ghi số trang của sổ (từ 1 trở lên).', en: 'Give the number of pages (1 or more).' },
  'archive.locationRequired': { vi: 'Hãy ghi vị trí lưu (kệ, hộp).', en: 'Give where it is kept (shelf, box).' },
  'archive.backupFieldsOnlyForBackup': { vi: 'Tên tệp và mã SHA-256 chỉ dành cho mục "Bản sao lưu".', en: 'The file name and SHA-256 are only for "Backup" entries.' },
  'archive.printRunNotApproved': { vi: 'Đợt in này chưa được Hiệu trưởng duyệt: chỉ lưu trữ bản in đã duyệt.', en: 'This print run is not approved: only approved prints are archived.' },
  'archive.printRunOtherBook': { vi: 'Đợt in này là sổ khác, hoặc của lớp hoặc năm học khác: hãy chọn đúng sổ, lớp và năm học của bản in.', en: 'This print run is another book, or another class’s or year’s: choose the print’s book, class and year.' },
  'archive.sha256Format': { vi: 'Mã SHA-256 gồm đúng 64 ký tự 0–9, a–f.', en: 'A SHA-256 is exactly 64 characters 0–9, a–f.' },
  'archive.alreadyDeleted': { vi: 'Mục này đã bị hủy trong sổ từ {since}.', en: 'This entry was already struck from the register on {since}.' },
  'archive.deletedReadOnly': { vi: 'Mục đã hủy không sửa được nữa (sổ giữ nguyên như lúc hủy).', en: 'A struck entry can no longer be edited (the register keeps it as it was).' },
  'archive.reasonRequired': { vi: 'Hãy ghi lý do hủy mục này trong sổ.', en: 'Give the reason for striking this entry.' },
  'archive.backupNoManifest': {
    vi: 'Bản sao lưu {file} không có bản kê {file}.json nên không kiểm tra được; chưa ghi vào sổ. Hãy tạo bản sao lưu mới bằng npm run backup.',
    en: 'The backup {file} has no manifest {file}.json, so it cannot be checked; not registered. Take a new backup with npm run backup.',
  },
  'archive.backupManifestUnreadable': { vi: 'Bản kê của bản sao lưu {file} không đọc được ({detail}); chưa ghi vào sổ.', en: 'The manifest of the backup {file} cannot be read ({detail}); not registered.' },
  'archive.backupAltered': {
    vi: 'Bản sao lưu {file} đã bị thay đổi hoặc hỏng: mã SHA-256 (hoặc kích thước) của tệp khác với bản kê. Không ghi vào sổ; hãy báo quản trị và tạo bản sao lưu mới.',
    en: 'The backup {file} was altered or damaged: its SHA-256 (or size) differs from its manifest. Not registered; tell the administrator and take a new backup.',
  },
  'archive.noSchoolYear': { vi: 'Trường chưa có năm học nào chứa ngày {date} và chưa đặt năm học hiện tại: chưa ghi được bản sao lưu vào sổ.', en: 'The school has no school year containing {date} and no current year: the backup cannot be registered yet.' },
  'archive.noKeeper': {
    vi: 'Trường chưa có văn thư, quản trị hay hiệu trưởng nào để đứng tên nhận bản sao lưu {file}: chưa ghi vào sổ. Hãy phân công văn thư rồi bấm "Ghi nhận bản sao lưu".',
    en: 'The school has no records clerk, admin or principal to receive the backup {file}: not registered. Assign a records clerk, then press "Register backups".',
  },
} as const;
