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
} satisfies Record<string, Entry>;

export type MessageKey = keyof typeof MESSAGES;

export function t(lang: Lang, key: MessageKey, params: Params = {}): string {
  return MESSAGES[key][lang].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}
