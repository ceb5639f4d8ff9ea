/**
 * Messages of backups and restores (server/backup/, `npm run backup` and `npm run restore`): what an operator reads
 * before a database is replaced, so every check says plainly what it found. Kept beside i18n.ts, which spreads
 * them into its one table, so that table stays readable.
 */
export const BACKUP_MESSAGES = {
  // Refusals and failures (thrown as AppError)
  'backup.memoryDatabase': { vi: 'Không thể sao lưu hay khôi phục một cơ sở dữ liệu chỉ nằm trong bộ nhớ (sqlite::memory:).', en: 'An in-memory database (sqlite::memory:) cannot be backed up or restored.' },
  'backup.outExists': { vi: 'Tệp {file} đã có sẵn: bản sao lưu không bao giờ ghi đè lên một tệp. Hãy chọn tên khác.', en: '{file} already exists: a backup never overwrites a file. Choose another name.' },
  'backup.snapshotFailed': { vi: 'Không tạo được bản sao lưu: {detail}', en: 'The backup could not be made: {detail}' },
  'backup.toolMissing': {
    vi: 'Không tìm thấy chương trình {tool}, cần để sao lưu và khôi phục PostgreSQL. Đã tìm trong PATH và {searched}. Hãy cài gói postgresql-client (Debian: postgresql-client-15).',
    en: '{tool} was not found; PostgreSQL backups and restores need it. Searched PATH and {searched}. Install the postgresql-client package (Debian: postgresql-client-15).',
  },
  'backup.toolFailed': { vi: '{tool} báo lỗi: {detail}', en: '{tool} failed: {detail}' },
  'backup.scratchFailed': {
    vi: 'Không tạo được cơ sở dữ liệu tạm để kiểm tra bản sao lưu ({detail}). Tài khoản PostgreSQL cần quyền CREATEDB.',
    en: 'Could not create the scratch database that checks the backup ({detail}). The PostgreSQL account needs CREATEDB.',
  },
  'backup.fileMissing': { vi: 'Không tìm thấy tệp sao lưu {file}.', en: 'The backup file {file} was not found.' },
  'backup.inUse': {
    vi: 'Cơ sở dữ liệu {target} đang được mở (máy chủ vẫn chạy?). Hãy dừng máy chủ rồi chạy lại lệnh khôi phục. Không có gì bị thay thế.',
    en: 'The database {target} is open (is the server still running?). Stop the server, then run the restore again. Nothing was replaced.',
  },
  'backup.pgInUse': {
    vi: 'Cơ sở dữ liệu {target} còn {count} kết nối khác ({apps}): hãy dừng máy chủ rồi chạy lại lệnh khôi phục. Không có gì bị thay thế.',
    en: 'The database {target} still has {count} other connections ({apps}): stop the server, then run the restore again. Nothing was replaced.',
  },
  'backup.needsConfirmation': {
    vi: 'Khôi phục sẽ thay thế toàn bộ cơ sở dữ liệu. Khi chạy không tương tác, hãy thêm --yes để xác nhận. Không có gì bị thay thế.',
    en: 'A restore replaces the whole database. When not interactive, add --yes to confirm. Nothing was replaced.',
  },
  'backup.restoreDiffers': {
    vi: 'Sau khi khôi phục, số dòng bảng {table} trong cơ sở dữ liệu ({actual}) khác bản sao lưu ({expected}). Hãy kiểm tra lại trước khi mở máy chủ.',
    en: 'After the restore, table {table} holds {actual} rows instead of the backup’s {expected}. Check before starting the server.',
  },
  'backup.usage': {
    vi: 'Cách dùng: npm run restore -- <tệp sao lưu> [--yes]',
    en: 'Usage: npm run restore -- <backup file> [--yes]',
  },

  // What a check found: one line each, ✓ (ok), ! (warn) or ✗ (fail)
  'backup.found.file': { vi: 'Tệp {file}: {size}, SHA-256 {sha256}.', en: 'File {file}: {size}, SHA-256 {sha256}.' },
  'backup.found.empty': { vi: 'Tệp rỗng: không phải một bản sao lưu.', en: 'The file is empty: not a backup.' },
  'backup.found.unknownFormat': {
    vi: 'Tệp không phải bản sao lưu SQLite hay PostgreSQL (pg_dump -Fc): có thể đã hỏng hoặc nhầm tệp.',
    en: 'The file is neither an SQLite backup nor a PostgreSQL one (pg_dump -Fc): damaged, or the wrong file.',
  },
  'backup.found.wrongKind': { vi: 'Đây là bản sao lưu {snapshot} nhưng cơ sở dữ liệu đích là {target}.', en: 'This is a {snapshot} backup but the target database is {target}.' },
  'backup.found.manifest': { vi: 'Có bản kê (manifest) {file}, lập lúc {createdAt}.', en: 'Manifest {file} found, written at {createdAt}.' },
  'backup.found.noManifest': {
    vi: 'Không có bản kê (manifest) {file}: không đối chiếu được SHA-256 và số dòng, chỉ kiểm tra được nội dung tệp.',
    en: 'No manifest {file}: the SHA-256 and row counts cannot be compared, only the file’s contents checked.',
  },
  'backup.found.manifestUnreadable': { vi: 'Bản kê {file} không đọc được: {detail}', en: 'The manifest {file} cannot be read: {detail}' },
  'backup.found.shaMatches': { vi: 'SHA-256 và kích thước khớp bản kê.', en: 'SHA-256 and size match the manifest.' },
  'backup.found.shaMismatch': {
    vi: 'SHA-256 của tệp ({actual}) khác bản kê ({expected}): tệp đã bị sửa, bị hỏng hoặc chép thiếu.',
    en: 'The file’s SHA-256 ({actual}) differs from the manifest ({expected}): the file was edited, damaged or copied incompletely.',
  },
  'backup.found.sizeMismatch': { vi: 'Kích thước tệp ({actual} byte) khác bản kê ({expected} byte).', en: 'The file has {actual} bytes, the manifest says {expected}.' },
  'backup.found.kindMismatch': { vi: 'Bản kê ghi loại {expected} nhưng tệp là {actual}.', en: 'The manifest says {expected} but the file is {actual}.' },
  'backup.found.integrityOk': { vi: 'Mở được (chỉ đọc) và toàn vẹn (SQLite integrity_check: ok).', en: 'Opens (read-only) and is intact (SQLite integrity_check: ok).' },
  'backup.found.scratchRestored': { vi: 'pg_restore nạp được toàn bộ vào một cơ sở dữ liệu tạm.', en: 'pg_restore loaded all of it into a scratch database.' },
  'backup.found.cannotOpen': { vi: 'Không mở được tệp như một cơ sở dữ liệu SQLite: {detail}', en: 'The file does not open as an SQLite database: {detail}' },
  'backup.found.integrity': { vi: 'Tệp bị hỏng (integrity_check): {detail}', en: 'The file is damaged (integrity_check): {detail}' },
  'backup.found.pgRestoreFailed': {
    vi: 'pg_restore không nạp được bản sao lưu (tệp hỏng hoặc bị cắt cụt): {detail}',
    en: 'pg_restore could not load the backup (damaged or truncated): {detail}',
  },
  'backup.found.notOurs': { vi: 'Tệp không chứa cơ sở dữ liệu Sổ điểm điện tử (thiếu bảng {table}).', en: 'The file holds no grade-book database (table {table} is missing).' },
  'backup.found.schema': { vi: 'Cấu trúc dữ liệu: {migration}.', en: 'Schema: {migration}.' },
  'backup.found.newerSchema': {
    vi: 'Bản sao lưu có cấu trúc dữ liệu mới hơn phiên bản ứng dụng này ({migration}): hãy cập nhật ứng dụng trước khi khôi phục.',
    en: 'The backup’s schema is newer than this version of the app ({migration}): update the app before restoring.',
  },
  'backup.found.auditOk': {
    vi: 'Nhật ký kiểm toán nguyên vẹn: {events} sự kiện trong {chains} chuỗi, {checkpoints} điểm kiểm có chữ ký.',
    en: 'The audit trail is intact: {events} events in {chains} chains, {checkpoints} signed checkpoints.',
  },
  'backup.found.auditNotCheckpointed': {
    vi: '{events} sự kiện mới nhất của nhật ký kiểm toán chưa có điểm kiểm có chữ ký (chỉ chuỗi băm bảo vệ chúng); máy chủ sẽ ký khi chuỗi còn nguyên vẹn.',
    en: 'The newest {events} audit events have no signed checkpoint yet (only the hash chain protects them); the server signs them while the chain checks.',
  },
  'backup.found.auditBroken': { vi: 'Nhật ký kiểm toán bị sửa hoặc bị thiếu (sự kiện #{id}): {reason}.', en: 'The audit trail was edited or cut (event #{id}): {reason}.' },
  'backup.found.counts': { vi: 'Số dòng: {counts}.', en: 'Rows: {counts}.' },
  'backup.count': { vi: '{label} {n}', en: '{label} {n}' },
  'backup.found.countsMatch': { vi: 'Số dòng của từng bảng khớp bản kê.', en: 'Every table’s row count matches the manifest.' },
  'backup.found.countMismatch': { vi: 'Bảng {table} có {actual} dòng, bản kê ghi {expected}.', en: 'Table {table} holds {actual} rows, the manifest says {expected}.' },

  // The commands' own lines
  'backup.done': { vi: 'Đã sao lưu cơ sở dữ liệu vào {file} ({size}).', en: 'Backed up the database to {file} ({size}).' },
  'backup.doneButFailed': {
    vi: 'Đã ghi bản sao lưu {file} nhưng nó KHÔNG đạt kiểm tra (xem các dòng ✗). Hãy kiểm tra cơ sở dữ liệu đang chạy (npm run audit:verify).',
    en: 'The backup {file} was written but did NOT pass its checks (see the ✗ lines). Check the live database (npm run audit:verify).',
  },
  'backup.manifestWritten': { vi: 'Bản kê (manifest): {file}', en: 'Manifest: {file}' },
  'backup.checking': { vi: 'Kiểm tra bản sao lưu {file} trước khi thay thế bất cứ thứ gì:', en: 'Checking the backup {file} before replacing anything:' },
  'backup.refused': { vi: 'TỪ CHỐI khôi phục: bản sao lưu không đạt kiểm tra. Không có gì bị thay thế.', en: 'Restore REFUSED: the backup failed its checks. Nothing was replaced.' },
  'backup.confirmPrompt': { vi: 'Khôi phục sẽ THAY THẾ toàn bộ cơ sở dữ liệu {target}. Gõ "co" (có) để tiếp tục: ', en: 'The restore REPLACES the whole database {target}. Type "yes" to go on: ' },
  'backup.cancelled': { vi: 'Đã hủy: không có gì bị thay thế.', en: 'Cancelled: nothing was replaced.' },
  'backup.restored': { vi: 'Đã khôi phục {file} vào {target}.', en: 'Restored {file} into {target}.' },
  'backup.previousKept': { vi: 'Cơ sở dữ liệu cũ vẫn được giữ tại {file}.', en: 'The previous database is kept at {file}.' },

  // The nightly backup (server/nightly/): what the admins read when a night failed
  'backup.nightly.failedTitle': { vi: 'Sao lưu hằng đêm ngày {date} KHÔNG thành công', en: 'The nightly backup of {date} FAILED' },
  'backup.nightly.failedWhy': { vi: 'Lý do: {detail}', en: 'Why: {detail}' },
  'backup.nightly.checkFailed': { vi: 'bản sao lưu {file} đã ghi nhưng không đạt kiểm tra ({failed}).', en: 'the backup {file} was written but failed its checks ({failed}).' },
  'backup.nightly.failedTodo': {
    vi: 'Việc cần làm: trên máy chủ, kiểm tra dung lượng đĩa và quyền ghi thư mục {dir} (với PostgreSQL: chương trình pg_dump), rồi chạy ngay "npm run backup" và bấm "Ghi nhận bản sao lưu" trong Sổ đăng ký lưu trữ. Lần sao lưu tự động tiếp theo: {next}.',
    en: 'What to do: on the server, check the free disk space and write permission of {dir} (and for PostgreSQL, the pg_dump program), then run "npm run backup" now and press "Register backups" in the archive register. Next automatic backup: {next}.',
  },
  'backup.nightly.pruneReason': {
    vi: 'Tệp sao lưu hằng đêm đã được tự động xóa ngày {date}: chỉ giữ {keep} bản sao lưu hằng đêm đạt kiểm tra mới nhất (BACKUP_KEEP).',
    en: 'The nightly backup file was deleted automatically on {date}: only the newest {keep} nightly backups that passed their checks are kept (BACKUP_KEEP).',
  },

  // Tables counted in manifests and checks
  'backup.table.schools': { vi: 'trường', en: 'schools' },
  'backup.table.users': { vi: 'tài khoản', en: 'accounts' },
  'backup.table.staff': { vi: 'cán bộ', en: 'staff' },
  'backup.table.students': { vi: 'học sinh', en: 'students' },
  'backup.table.classes': { vi: 'lớp', en: 'classes' },
  'backup.table.enrolments': { vi: 'xếp lớp', en: 'enrolments' },
  'backup.table.assessment_scores': { vi: 'điểm', en: 'scores' },
  'backup.table.conduct_records': { vi: 'hạnh kiểm/rèn luyện', en: 'conduct records' },
  'backup.table.transcript_versions': { vi: 'phiên bản học bạ', en: 'transcript versions' },
  'backup.table.audit_events': { vi: 'sự kiện nhật ký', en: 'audit events' },
  'backup.table.audit_checkpoints': { vi: 'điểm kiểm nhật ký', en: 'audit checkpoints' },
} satisfies Record<string, { vi: string; en: string }>;
