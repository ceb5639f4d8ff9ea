import type { Request } from 'express';

export type Lang = 'vi' | 'en';

/** Vietnamese unless the client prefers English (Accept-Language: en…). */
export function langOf(req: Pick<Request, 'headers'>): Lang {
  const header = String(req.headers['accept-language'] ?? '').toLowerCase();
  const first = header.split(',')[0]?.trim() ?? '';
  return first.startsWith('en') ? 'en' : 'vi';
}

type Params = Record<string, string | number>;
type Entry = { vi: string; en: string };

/** Server messages, in words a teacher understands. `{name}` placeholders are filled from params. */
export const MESSAGES = {
  invalidJson: { vi: 'Dữ liệu gửi lên không đúng định dạng JSON.', en: 'The request body is not valid JSON.' },
  bodyTooLarge: { vi: 'Dữ liệu gửi lên quá lớn (tối đa 1 MB).', en: 'The request body is too large (1 MB at most).' },
  unsupportedMediaType: { vi: 'Dữ liệu phải được gửi dưới dạng JSON.', en: 'The request body must be JSON.' },
  validation: { vi: 'Dữ liệu chưa hợp lệ, vui lòng kiểm tra lại các trường được đánh dấu.', en: 'Some fields are invalid; please check the marked fields.' },
  notFound: { vi: 'Không tìm thấy {entity} có mã {id}.', en: '{entity} {id} was not found.' },
  routeNotFound: { vi: 'Không có chức năng này.', en: 'There is no such endpoint.' },
  unauthenticated: { vi: 'Bạn chưa đăng nhập hoặc phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.', en: 'You are not signed in or your session has expired. Please sign in again.' },
  stageTotp: { vi: 'Vui lòng nhập mã xác thực hai bước.', en: 'Please enter your two-factor code.' },
  stageTotpSetup: { vi: 'Tài khoản của bạn phải bật xác thực hai bước trước khi tiếp tục.', en: 'Your account must set up two-factor authentication before continuing.' },
  stagePasswordChange: { vi: 'Bạn phải đổi mật khẩu trước khi tiếp tục.', en: 'You must change your password before continuing.' },
  forbidden: { vi: 'Bạn không có quyền thực hiện thao tác này.', en: 'You are not allowed to do this.' },
  csrf: { vi: 'Yêu cầu không hợp lệ (thiếu mã chống giả mạo). Vui lòng tải lại trang.', en: 'Invalid request (missing anti-forgery token). Please reload the page.' },
  originRefused: { vi: 'Yêu cầu đến từ một trang không được phép.', en: 'The request comes from a site that is not allowed.' },
  conflict: { vi: 'Dữ liệu bị trùng: {detail}', en: 'Duplicate data: {detail}' },
  referenced: { vi: 'Không thể xóa vì dữ liệu này đang được sử dụng ở nơi khác.', en: 'This cannot be deleted because other records use it.' },
  badReference: { vi: 'Dữ liệu tham chiếu không tồn tại.', en: 'A referenced record does not exist.' },
  internal: { vi: 'Hệ thống gặp lỗi, không có thay đổi nào được lưu. Vui lòng thử lại hoặc báo quản trị.', en: 'Something went wrong and nothing was saved. Please try again or tell the administrator.' },
  badQuery: { vi: 'Tham số truy vấn không hợp lệ: {param}.', en: 'Invalid query parameter: {param}.' },
  unknownField: { vi: 'Không thể lọc hoặc sắp xếp theo trường "{field}".', en: 'Cannot filter or sort by "{field}".' },
  loginFailed: { vi: 'Sai tên đăng nhập hoặc mật khẩu.', en: 'Wrong username or password.' },
  accountLocked: { vi: 'Tài khoản tạm khóa đến {until} do đăng nhập sai nhiều lần. Vui lòng thử lại sau hoặc liên hệ quản trị.', en: 'The account is locked until {until} after repeated failed sign-ins. Try again later or contact the administrator.' },
  accountDisabled: { vi: 'Tài khoản đã bị vô hiệu hóa. Vui lòng liên hệ quản trị.', en: 'This account is disabled. Please contact the administrator.' },
  totpWrong: { vi: 'Mã xác thực không đúng hoặc đã hết hạn.', en: 'The code is wrong or has expired.' },
  totpNoPending: { vi: 'Hãy bắt đầu thiết lập xác thực hai bước trước.', en: 'Start two-factor setup first.' },
  totpRequiredRole: { vi: 'Vai trò của bạn bắt buộc dùng xác thực hai bước.', en: 'Your role requires two-factor authentication.' },
  wrongPassword: { vi: 'Mật khẩu hiện tại không đúng.', en: 'The current password is wrong.' },
  passwordTooShort: { vi: 'Mật khẩu phải có ít nhất {min} ký tự.', en: 'The password must have at least {min} characters.' },
  passwordTooLong: { vi: 'Mật khẩu dài tối đa {max} ký tự.', en: 'The password may have at most {max} characters.' },
  passwordNeedsLetterDigit: { vi: 'Mật khẩu phải có cả chữ và số.', en: 'The password must contain letters and digits.' },
  passwordIsUsername: { vi: 'Mật khẩu không được chứa tên đăng nhập.', en: 'The password must not contain the username.' },
  passwordUnchanged: { vi: 'Mật khẩu mới phải khác mật khẩu hiện tại.', en: 'The new password must differ from the current one.' },
  passwordCommon: { vi: 'Mật khẩu quá dễ đoán.', en: 'The password is too easy to guess.' },
  required: { vi: 'Bắt buộc nhập.', en: 'Required.' },
  unknownKey: { vi: 'Trường không được phép: {keys}.', en: 'Field not allowed: {keys}.' },
  expectedText: { vi: 'Phải là chữ (văn bản).', en: 'Must be text.' },
  expectedNumber: { vi: 'Phải là một số.', en: 'Must be a number.' },
  expectedBoolean: { vi: 'Phải là Có hoặc Không.', en: 'Must be yes or no.' },
  expectedList: { vi: 'Phải là một danh sách.', en: 'Must be a list.' },
  expectedObject: { vi: 'Phải là một nhóm trường dữ liệu.', en: 'Must be a group of fields.' },
  tooSmall: { vi: 'Giá trị phải từ {min} trở lên.', en: 'Must be at least {min}.' },
  tooBig: { vi: 'Giá trị phải không quá {max}.', en: 'Must be at most {max}.' },
  tooShort: { vi: 'Phải có ít nhất {min} ký tự.', en: 'Must have at least {min} characters.' },
  tooLong: { vi: 'Dài tối đa {max} ký tự.', en: 'Must have at most {max} characters.' },
  badFormat: { vi: 'Định dạng không đúng.', en: 'Wrong format.' },
  badChoice: { vi: 'Giá trị phải là một trong: {options}.', en: 'Must be one of: {options}.' },
  nationalIdFormat: { vi: 'Mã định danh phải gồm đúng 12 chữ số.', en: 'The national ID must be exactly 12 digits.' },
  dateFormat: { vi: 'Ngày phải có dạng YYYY-MM-DD và là ngày có thật.', en: 'The date must be YYYY-MM-DD and a real date.' },
  duplicateNationalId: { vi: 'Mã định danh {nationalId} đã thuộc về một cán bộ khác của trường.', en: 'National ID {nationalId} already belongs to another staff member.' },
  duplicateUsername: { vi: 'Tên đăng nhập "{username}" đã tồn tại.', en: 'Username "{username}" is already taken.' },
  staffHasAccount: { vi: 'Cán bộ này đã có tài khoản (mỗi người một tài khoản).', en: 'This staff member already has an account (one person, one account).' },
  roleNotGrantable: { vi: 'Bạn không được cấp vai trò "{role}".', en: 'You may not grant the role "{role}".' },
  roleScopeMissing: { vi: 'Vai trò "{role}" cần chọn phạm vi ({scope}).', en: 'The role "{role}" needs a scope ({scope}).' },
  cannotDisableSelf: { vi: 'Bạn không thể tự vô hiệu hóa hoặc bỏ quyền quản trị của chính mình.', en: 'You cannot disable yourself or remove your own admin role.' },
  schoolMismatch: { vi: 'Dữ liệu tham chiếu thuộc trường khác.', en: 'A referenced record belongs to another school.' },
  studentNotStudying: { vi: 'Học sinh không còn đang học tại trường.', en: 'The student is no longer studying at the school.' },
  studentAlreadyEnrolled: { vi: 'Học sinh đang có lớp trong năm học này.', en: 'The student is already in a class this school year.' },
  dateFrom: { vi: 'Ngày phải từ {min} trở đi.', en: 'The date must be {min} or later.' },
  dateUntil: { vi: 'Ngày phải không sau {max}.', en: 'The date must be {max} or earlier.' },
  staffNotActive: { vi: 'Cán bộ này đã nghỉ việc hoặc chuyển công tác.', en: 'This staff member is no longer active.' },
  classRequired: { vi: 'Cần chọn lớp khi chuyển đến.', en: 'A class is required for a transfer in.' },
  // Sổ điểm (grade book)
  subjectNotInGrade: { vi: 'Môn học này không dạy ở khối {grade}.', en: 'This subject is not taught in grade {grade}.' },
  notAssigned: { vi: 'Bạn không được phân công nhập điểm môn này cho lớp này (hoặc năm học đã kết thúc).', en: 'You are not assigned to enter this subject for this class (or the school year has ended).' },
  studentNotInClass: { vi: 'Học sinh không thuộc lớp này.', en: 'The student is not in this class.' },
  noSuchColumn: { vi: 'Môn học không có cột điểm này.', en: 'The subject has no such column.' },
  duplicateCell: { vi: 'Ô điểm bị gửi hai lần.', en: 'The cell was sent twice.' },
  scoreFormat: { vi: 'Điểm phải là số, ví dụ 8 hoặc 8,5.', en: 'A score must be a number such as 8 or 8.5.' },
  scoreRange: { vi: 'Điểm phải từ 0 đến 10.', en: 'A score must be between 0 and 10.' },
  scorePrecision: { vi: 'Điểm chỉ được có một chữ số thập phân (ví dụ 8,5).', en: 'A score may have one decimal place at most (e.g. 8.5).' },
  letterInScoredSubject: { vi: 'Môn này chấm bằng điểm số, không nhập Đ/CĐ hay chữ.', en: 'This subject is scored: enter a number, not Đ/CĐ or letters.' },
  commentFormat: { vi: 'Môn đánh giá bằng nhận xét chỉ nhận Đ (Đạt) hoặc CĐ (Chưa đạt).', en: 'A comment-assessed subject takes Đ (pass) or CĐ (not yet) only.' },
  numberInCommentSubject: { vi: 'Môn này đánh giá bằng nhận xét: nhập Đ hoặc CĐ, không nhập điểm số.', en: 'This subject is assessed by comment: enter Đ or CĐ, not a number.' },
  staleGrid: { vi: 'Có người đã sửa các ô này sau khi bạn mở bảng điểm. Chưa có gì được lưu: hãy xem giá trị hiện tại rồi nhập lại.', en: 'Someone changed these cells after you opened the grade book. Nothing was saved: check the current values and enter again.' },
  cellsClosed: { vi: 'Có {count} ô đã khóa nên chưa có gì được lưu. Xem lý do ở từng ô; có thể gửi đề nghị mở khóa hoặc sửa điểm.', en: '{count} cells are closed, so nothing was saved. See each cell for why; you can request an unlock or a correction.' },
  cellLocked: { vi: 'Đã khóa sổ ({scope}) từ {since}: {reason}', en: 'Locked ({scope}) since {since}: {reason}' },
  commentLocked: { vi: 'Sổ đã khóa, không sửa được nhận xét.', en: 'The book is locked; the comment cannot change.' },
  cellClosedRegular: { vi: 'Điểm thường xuyên đã khóa sau hạn nhập hằng tuần ({weekday} {time}), từ {since}.', en: 'Regular scores close at the weekly cutoff ({weekday} {time}); closed since {since}.' },
  cellClosedPeriodic: { vi: 'Đã quá hạn nhập điểm định kỳ ({days} ngày sau ngày kiểm tra {testDate}), khóa từ {since}.', en: 'The periodic entry window ({days} days after the test on {testDate}) closed at {since}.' },
  cellBeforeTest: { vi: 'Chưa đến ngày kiểm tra ({testDate}).', en: 'The test ({testDate}) has not taken place yet.' },
  cellNoTestDate: { vi: 'Chưa có ngày kiểm tra cho cột này: hãy nhập ngày kiểm tra trước.', en: 'No test date for this column yet: enter the test date first.' },
  testDateOutsideSemester: { vi: 'Ngày kiểm tra phải nằm trong học kỳ.', en: 'The test date must fall within the semester.' },
  testDateLocked: { vi: 'Đã quá hạn nhập điểm của bài kiểm tra này nên không đổi được ngày kiểm tra.', en: 'The entry window of this test has closed, so its date cannot change.' },
  lockScope_cell: { vi: 'ô điểm', en: 'cell' },
  lockScope_column: { vi: 'cột điểm', en: 'column' },
  lockScope_class_subject: { vi: 'môn của lớp', en: 'class subject' },
  lockScope_class: { vi: 'lớp', en: 'class' },
  lockScope_grade: { vi: 'khối', en: 'grade' },
  lockScope_semester: { vi: 'học kỳ', en: 'semester' },
  lockScope_year: { vi: 'năm học', en: 'school year' },
  weekday_1: { vi: 'thứ Hai', en: 'Monday' },
  weekday_2: { vi: 'thứ Ba', en: 'Tuesday' },
  weekday_3: { vi: 'thứ Tư', en: 'Wednesday' },
  weekday_4: { vi: 'thứ Năm', en: 'Thursday' },
  weekday_5: { vi: 'thứ Sáu', en: 'Friday' },
  weekday_6: { vi: 'thứ Bảy', en: 'Saturday' },
  weekday_7: { vi: 'Chủ nhật', en: 'Sunday' },
} satisfies Record<string, Entry>;

export type MessageKey = keyof typeof MESSAGES;

export function t(lang: Lang, key: MessageKey, params: Params = {}): string {
  return MESSAGES[key][lang].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}
