/**
 * The portal's own words for the records the audit trail names: each resource's name and field labels, and the
 * enum values (choices) its fields take, in Vietnamese and English. The server describes audit events with them
 * ("Tên tổ chuyên môn: A → B"), so a change reads the way the page that made it labels it.
 *
 * A copy of portal/src/i18n (the portal's message files load react-admin's language packs, which the server does
 * not ship): test/audit-describe.test.ts fails when the two drift apart.
 */
import type { Resource } from '../../domain/permissions';
import type { Lang } from '../core/i18n';

type Labels = { name: string; fields: Record<string, string> };

export const RESOURCE_LABELS: Record<Lang, Record<Resource, Labels>> = {
  vi: {
    schools: { name: 'Trường học', fields: {
        code: 'Mã trường', name: 'Tên trường', level: 'Cấp học', province: 'Tỉnh/Thành phố', district: 'Quận/Huyện/Phường', address: 'Địa chỉ',
        phone: 'Điện thoại', email: 'Email', principalName: 'Hiệu trưởng',
      } },
    'school-years': { name: 'Năm học', fields: { name: 'Năm học', startDate: 'Ngày bắt đầu', endDate: 'Ngày kết thúc', isCurrent: 'Năm học hiện tại' } },
    semesters: { name: 'Học kỳ', fields: { schoolYearId: 'Năm học', number: 'Học kỳ', startDate: 'Ngày bắt đầu', endDate: 'Ngày kết thúc' } },
    departments: { name: 'Tổ chuyên môn', fields: { code: 'Mã tổ', name: 'Tên tổ chuyên môn' } },
    subjects: { name: 'Môn học', fields: {
        code: 'Mã môn', name: 'Tên môn học / hoạt động giáo dục', assessmentType: 'Hình thức đánh giá', departmentId: 'Tổ chuyên môn',
        periodsPerYear: 'Số tiết/năm theo khối', regularAssessmentsOverride: 'Số lần ĐĐGtx (ghi đè)', regularAssessments: 'Số lần ĐĐGtx',
      } },
    classes: { name: 'Lớp', fields: { schoolYearId: 'Năm học', grade: 'Khối', name: 'Tên lớp', homeroomStaffId: 'Giáo viên chủ nhiệm', studentCount: 'Sĩ số' } },
    'teaching-assignments': { name: 'Phân công giảng dạy', fields: { schoolYearId: 'Năm học', classId: 'Lớp', subjectId: 'Môn học', staffId: 'Giáo viên', grade: 'Khối' } },
    staff: { name: 'Cán bộ, giáo viên', fields: {
        fullName: 'Họ và tên', nationalId: 'Số định danh cá nhân (CCCD)', birthDate: 'Ngày sinh', sex: 'Giới tính', phone: 'Điện thoại',
        email: 'Email', post: 'Chức vụ', departmentId: 'Tổ chuyên môn', status: 'Tình trạng công tác', hasAccount: 'Có tài khoản',
      } },
    students: { name: 'Học sinh', fields: {
        studentCode: 'Mã học sinh', fullName: 'Họ và tên', birthDate: 'Ngày sinh', sex: 'Giới tính', nationalId: 'Số định danh cá nhân',
        ethnicity: 'Dân tộc', nationality: 'Quốc tịch', placeOfBirth: 'Nơi sinh', homeTown: 'Quê quán', address: 'Địa chỉ', fatherName: 'Họ tên cha',
        fatherOccupation: 'Nghề nghiệp của cha', motherName: 'Họ tên mẹ', motherOccupation: 'Nghề nghiệp của mẹ', guardianName: 'Họ tên người giám hộ',
        guardianOccupation: 'Nghề nghiệp của người giám hộ', phone: 'Điện thoại liên hệ', status: 'Tình trạng', classId: 'Lớp', className: 'Lớp',
        grade: 'Khối',
      } },
    enrolments: { name: 'Xếp lớp', fields: { schoolYearId: 'Năm học', classId: 'Lớp', studentId: 'Học sinh', startDate: 'Ngày vào lớp', endDate: 'Ngày rời lớp', status: 'Tình trạng' } },
    users: { name: 'Tài khoản', fields: {
        username: 'Tên đăng nhập', fullName: 'Họ và tên', email: 'Email', staffId: 'Cán bộ, giáo viên', studentId: 'Học sinh',
        disabled: 'Đã vô hiệu hóa', mustChangePassword: 'Phải đổi mật khẩu', totpEnabled: 'Xác thực hai bước', lockedUntil: 'Bị khóa đến',
        failedLoginCount: 'Số lần đăng nhập sai', lastLoginAt: 'Đăng nhập lần cuối', roles: 'Vai trò', password: 'Mật khẩu tạm thời', role: 'Vai trò',
        departmentIds: 'Các tổ chuyên môn phụ trách', grades: 'Các khối phụ trách', manageAccounts: 'Được quản lý tài khoản',
        departmentId: 'Tổ chuyên môn', roleStudentId: 'Học sinh được xem hồ sơ',
      } },
    'audit-events': { name: 'Nhật ký hệ thống', fields: {
        at: 'Thời điểm', userId: 'Người thực hiện', username: 'Tên đăng nhập', role: 'Vai trò', ip: 'Địa chỉ IP', action: 'Hành động',
        entity: 'Đối tượng', entityId: 'Mã đối tượng', before: 'Trước khi thay đổi', after: 'Sau khi thay đổi', reason: 'Lý do', hash: 'Mã băm',
        prevHash: 'Mã băm bản ghi trước', actorName: 'Người thực hiện', actionLabel: 'Hành động', entityLabel: 'Đối tượng', target: 'Liên quan đến',
        summary: 'Nội dung', changes: 'Các thay đổi', reasonText: 'Lý do',
      } },
    'staff-post-changes': { name: 'Thay đổi chức vụ', fields: {
        staffId: 'Cán bộ, giáo viên', fromPost: 'Chức vụ cũ', toPost: 'Chức vụ mới', fromDepartmentId: 'Tổ chuyên môn cũ',
        toDepartmentId: 'Tổ chuyên môn mới', effectiveDate: 'Ngày hiệu lực', note: 'Ghi chú',
      } },
    'student-transfers': { name: 'Chuyển trường', fields: {
        studentId: 'Học sinh', direction: 'Hình thức', transferDate: 'Ngày chuyển', otherSchool: 'Trường chuyển đi/đến', reason: 'Lý do',
        classId: 'Lớp tiếp nhận',
      } },
    'school-settings': { name: 'Cài đặt hạn nhập điểm', fields: {
        regularCutoffWeekday: 'Hạn nhập điểm thường xuyên: thứ', regularCutoffTime: 'Hạn nhập điểm thường xuyên: giờ',
        periodicWindowDays: 'Số ngày nhập điểm định kỳ sau ngày kiểm tra', unlockHours: 'Thời gian mở khóa khi được duyệt (giờ)',
        correctionProcedure: 'Quy trình sửa điểm', digitisationDoubleEntry: 'Số hóa học bạ giấy: nhập kép và đối chiếu',
      } },
    locks: { name: 'Khóa sổ', fields: {
        scope: 'Phạm vi khóa', target: 'Đối tượng', schoolYearId: 'Năm học', semesterId: 'Học kỳ', grade: 'Khối', classId: 'Lớp', subjectId: 'Môn học',
        studentId: 'Học sinh', kind: 'Loại điểm', seq: 'Lần', reason: 'Lý do', orderedBy: 'Theo lệnh của (Hiệu trưởng)', createdBy: 'Người thực hiện',
        createdAt: 'Thời điểm khóa', active: 'Đang có hiệu lực', liftedAt: 'Thời điểm mở', liftedBy: 'Người mở khóa', liftReason: 'Lý do mở khóa',
      } },
    'unlock-requests': { name: 'Đề nghị mở khóa', fields: {
        createdAt: 'Ngày gửi', requestedByName: 'Người đề nghị', reason: 'Lý do', books: 'Sổ điểm', what: 'Nội dung', decidedByName: 'Người quyết định', cellCount: 'Số ô', status: 'Trạng thái',
        decidedBy: 'Người quyết định', decidedAt: 'Thời điểm quyết định', decisionNote: 'Ghi chú của Hiệu trưởng',
      } },
    'correction-requests': { name: 'Đề nghị sửa điểm', fields: {
        where: 'Học sinh · lớp · môn · cột', change: 'Điểm cũ → mới', requestedByName: 'Người đề nghị', status: 'Trạng thái', reason: 'Lý do',
        witnessName: 'Người chứng kiến',
      } },
    'entry-delegations': { name: 'Ủy quyền nhập điểm', fields: {
        classId: 'Lớp', subjectId: 'Môn học', delegateUserId: 'Người được ủy quyền', delegateName: 'Người được ủy quyền', reason: 'Lý do',
        validUntil: 'Hiệu lực đến', grantedBy: 'Người ủy quyền', createdAt: 'Ngày tạo', state: 'Trạng thái', revokedAt: 'Thời điểm thu hồi',
      } },
    'archive-entries': { name: 'Sổ đăng ký lưu trữ', fields: {
        book: 'Loại hồ sơ', schoolYearId: 'Năm học', schoolYearName: 'Năm học', classId: 'Lớp', className: 'Lớp', period: 'Học kỳ / giai đoạn', pages: 'Số trang', location: 'Vị trí lưu (kệ/hộp)', receivedOn: 'Ngày nhận', receivedOn_gte: 'Nhận từ ngày', receivedOn_lte: 'Nhận đến ngày', retention: 'Thời hạn bảo quản', retentionYears: 'Thời hạn bảo quản (năm)', retentionPermanent: 'Bảo quản vĩnh viễn', receivedBy: 'Người nhận', receivedByName: 'Người nhận', printRunId: 'Đợt in', backupFile: 'Tệp sao lưu', backupSha256: 'Mã SHA-256', note: 'Ghi chú', createdByName: 'Người ghi sổ', createdAt: 'Thời điểm ghi sổ', updatedAt: 'Sửa lần cuối', deleted: 'Đã hủy', deletedAt: 'Thời điểm hủy', deletedByName: 'Người hủy', deleteReason: 'Lý do hủy',
      } },
  },
  en: {
    schools: { name: 'School', fields: {
        code: 'School code', name: 'Name', level: 'Level', province: 'Province/City', district: 'District/Ward', address: 'Address', phone: 'Phone',
        email: 'Email', principalName: 'Principal',
      } },
    'school-years': { name: 'School year', fields: { name: 'School year', startDate: 'Start date', endDate: 'End date', isCurrent: 'Current year' } },
    semesters: { name: 'Semester', fields: { schoolYearId: 'School year', number: 'Semester', startDate: 'Start date', endDate: 'End date' } },
    departments: { name: 'Department', fields: { code: 'Code', name: 'Department name' } },
    subjects: { name: 'Subject', fields: {
        code: 'Code', name: 'Subject / educational activity', assessmentType: 'Assessment', departmentId: 'Department',
        periodsPerYear: 'Periods per year by grade', regularAssessmentsOverride: 'Regular assessments (override)',
        regularAssessments: 'Regular assessments',
      } },
    classes: { name: 'Class', fields: { schoolYearId: 'School year', grade: 'Grade', name: 'Class name', homeroomStaffId: 'Homeroom teacher', studentCount: 'Students' } },
    'teaching-assignments': { name: 'Teaching assignment', fields: { schoolYearId: 'School year', classId: 'Class', subjectId: 'Subject', staffId: 'Teacher', grade: 'Grade' } },
    staff: { name: 'Staff member', fields: {
        fullName: 'Full name', nationalId: 'National ID', birthDate: 'Date of birth', sex: 'Sex', phone: 'Phone', email: 'Email', post: 'Post',
        departmentId: 'Department', status: 'Employment status', hasAccount: 'Has account',
      } },
    students: { name: 'Student', fields: {
        studentCode: 'Student code', fullName: 'Full name', birthDate: 'Date of birth', sex: 'Sex', nationalId: 'National ID', ethnicity: 'Ethnicity',
        nationality: 'Nationality', placeOfBirth: 'Place of birth', homeTown: 'Home town', address: 'Address', fatherName: 'Father\'s name',
        fatherOccupation: 'Father\'s occupation', motherName: 'Mother\'s name', motherOccupation: 'Mother\'s occupation',
        guardianName: 'Guardian\'s name', guardianOccupation: 'Guardian\'s occupation', phone: 'Contact phone', status: 'Status', classId: 'Class',
        className: 'Class', grade: 'Grade',
      } },
    enrolments: { name: 'Enrolment', fields: { schoolYearId: 'School year', classId: 'Class', studentId: 'Student', startDate: 'Start date', endDate: 'End date', status: 'Status' } },
    users: { name: 'Account', fields: {
        username: 'Username', fullName: 'Full name', email: 'Email', staffId: 'Staff member', studentId: 'Student', disabled: 'Disabled',
        mustChangePassword: 'Must change password', totpEnabled: 'Two-step verification', lockedUntil: 'Locked until',
        failedLoginCount: 'Failed logins', lastLoginAt: 'Last login', roles: 'Roles', password: 'Temporary password', role: 'Role',
        departmentIds: 'Supervised departments', grades: 'Supervised grades', manageAccounts: 'May manage accounts', departmentId: 'Department',
        roleStudentId: 'Student whose record is visible',
      } },
    'audit-events': { name: 'Audit log entry', fields: {
        at: 'Time', userId: 'User', username: 'Username', role: 'Role', ip: 'IP address', action: 'Action', entity: 'Entity', entityId: 'Entity ID',
        before: 'Before', after: 'After', reason: 'Reason', hash: 'Hash', prevHash: 'Previous hash', actorName: 'Performed by', actionLabel: 'Action',
        entityLabel: 'Entity', target: 'Concerning', summary: 'Summary', changes: 'Changes', reasonText: 'Reason',
      } },
    'staff-post-changes': { name: 'Change of post', fields: {
        staffId: 'Staff member', fromPost: 'Previous post', toPost: 'New post', fromDepartmentId: 'Previous department',
        toDepartmentId: 'New department', effectiveDate: 'Effective date', note: 'Note',
      } },
    'student-transfers': { name: 'Transfer', fields: {
        studentId: 'Student', direction: 'Direction', transferDate: 'Transfer date', otherSchool: 'Other school', reason: 'Reason',
        classId: 'Receiving class',
      } },
    'school-settings': { name: 'Entry deadlines', fields: {
        regularCutoffWeekday: 'Regular-assessment cutoff: day', regularCutoffTime: 'Regular-assessment cutoff: time',
        periodicWindowDays: 'Days to enter periodic scores after the test', unlockHours: 'Hours an approved unlock stays open',
        correctionProcedure: 'Correction procedure', digitisationDoubleEntry: 'Paper transcript digitisation: double entry and reconciliation',
      } },
    locks: { name: 'Locks', fields: {
        scope: 'Scope', target: 'Target', schoolYearId: 'School year', semesterId: 'Semester', grade: 'Grade', classId: 'Class', subjectId: 'Subject',
        studentId: 'Student', kind: 'Assessment', seq: 'Number', reason: 'Reason', orderedBy: 'Ordered by (principal)', createdBy: 'Set by',
        createdAt: 'Locked at', active: 'In force', liftedAt: 'Lifted at', liftedBy: 'Lifted by', liftReason: 'Reason for lifting',
      } },
    'unlock-requests': { name: 'Unlock requests', fields: {
        createdAt: 'Sent', requestedByName: 'Requested by', reason: 'Reason', books: 'Grade books', what: 'Request', decidedByName: 'Decided by', cellCount: 'Cells', status: 'Status', decidedBy: 'Decided by',
        decidedAt: 'Decided at', decisionNote: 'Principal’s note',
      } },
    'correction-requests': { name: 'Correction requests', fields: {
        where: 'Student · class · subject · column', change: 'Old → new', requestedByName: 'Requested by', status: 'Status', reason: 'Reason',
        witnessName: 'Witness',
      } },
    'entry-delegations': { name: 'Entry delegations', fields: {
        classId: 'Class', subjectId: 'Subject', delegateUserId: 'Delegate', delegateName: 'Delegate', reason: 'Reason', validUntil: 'Valid until',
        grantedBy: 'Granted by', createdAt: 'Created', state: 'State', revokedAt: 'Revoked at',
      } },
    'archive-entries': { name: 'Archive register', fields: {
        book: 'Kind of record', schoolYearId: 'School year', schoolYearName: 'School year', classId: 'Class', className: 'Class', period: 'Semester / period', pages: 'Pages', location: 'Kept at (shelf/box)', receivedOn: 'Date received', receivedOn_gte: 'Received from', receivedOn_lte: 'Received until', retention: 'Retention period', retentionYears: 'Retention period (years)', retentionPermanent: 'Kept permanently', receivedBy: 'Received by', receivedByName: 'Received by', printRunId: 'Print run', backupFile: 'Backup file', backupSha256: 'SHA-256', note: 'Note', createdByName: 'Entered by', createdAt: 'Entered at', updatedAt: 'Last edited', deleted: 'Struck', deletedAt: 'Struck at', deletedByName: 'Struck by', deleteReason: 'Reason struck',
      } },
  },
};

/** Enum values by choice group (app.choices.<group> in the portal; `role` is app.roles). */
export const CHOICES: Record<Lang, Record<ChoiceGroup, Record<string, string>>> = {
  vi: {
    lockScope: {
      cell: 'Một ô điểm', column: 'Một cột điểm', class_subject: 'Một môn của lớp', class: 'Một lớp', grade: 'Một khối', semester: 'Một học kỳ',
      year: 'Cả năm học',
    },
    kind: { regular: 'ĐĐGtx', midterm: 'ĐĐGgk', final: 'ĐĐGck' },
    requestStatus: { pending: 'Chờ duyệt', approved: 'Đã duyệt', applied: 'Đã sửa điểm', rejected: 'Từ chối', cancelled: 'Đã rút' },
    weekday: { '1': 'Thứ Hai', '2': 'Thứ Ba', '3': 'Thứ Tư', '4': 'Thứ Năm', '5': 'Thứ Sáu', '6': 'Thứ Bảy', '7': 'Chủ nhật' },
    correctionProcedure: { witnessed: 'Có người chứng kiến (đầy đủ)', admin: 'Rút gọn (quản trị thực hiện)' },
    result: { T: 'Tốt', K: 'Khá', D: 'Đạt', CD: 'Chưa đạt' },
    level: { THCS: 'Trung học cơ sở (THCS)', THPT: 'Trung học phổ thông (THPT)' },
    assessmentType: { scored: 'Đánh giá bằng điểm số', comment: 'Đánh giá bằng nhận xét' },
    sex: { male: 'Nam', female: 'Nữ' },
    post: {
      teacher: 'Giáo viên', principal: 'Hiệu trưởng', vice_principal: 'Phó hiệu trưởng', academic_staff: 'Giáo vụ', records_clerk: 'Văn thư',
      accountant: 'Kế toán', it: 'Cán bộ công nghệ thông tin', left: 'Thôi công tác tại trường',
    },
    staffStatus: { active: 'Đang công tác', left: 'Đã nghỉ / chuyển công tác' },
    studentStatus: { studying: 'Đang học', transferred_out: 'Đã chuyển trường', graduated: 'Đã tốt nghiệp', dropped_out: 'Đã thôi học' },
    enrolmentStatus: { active: 'Đang học', left: 'Đã rời lớp' },
    direction: { in: 'Chuyển đến', out: 'Chuyển đi' },
    role: {
      admin: 'Quản trị hệ thống', principal: 'Hiệu trưởng', vice_principal: 'Phó hiệu trưởng', department_head: 'Tổ trưởng chuyên môn',
      homeroom_teacher: 'Giáo viên chủ nhiệm', subject_teacher: 'Giáo viên bộ môn', academic_staff: 'Giáo vụ', records_clerk: 'Văn thư',
      accountant: 'Kế toán', student: 'Học sinh/Phụ huynh', education_office: 'Phòng/Sở GDĐT',
    },
  },
  en: {
    lockScope: {
      cell: 'One cell', column: 'One column', class_subject: 'A class’s subject', class: 'A class', grade: 'A grade', semester: 'A semester',
      year: 'The whole year',
    },
    kind: { regular: 'Regular', midterm: 'Midterm', final: 'Final' },
    requestStatus: { pending: 'Pending', approved: 'Approved', applied: 'Applied', rejected: 'Rejected', cancelled: 'Withdrawn' },
    weekday: { '1': 'Monday', '2': 'Tuesday', '3': 'Wednesday', '4': 'Thursday', '5': 'Friday', '6': 'Saturday', '7': 'Sunday' },
    correctionProcedure: { witnessed: 'Witnessed (full)', admin: 'Light (administrator applies)' },
    result: { T: 'Good', K: 'Fair', D: 'Pass', CD: 'Not yet' },
    level: { THCS: 'Lower secondary (THCS)', THPT: 'Upper secondary (THPT)' },
    assessmentType: { scored: 'Scored', comment: 'Comment (pass/fail)' },
    sex: { male: 'Male', female: 'Female' },
    post: {
      teacher: 'Teacher', principal: 'Principal', vice_principal: 'Vice principal', academic_staff: 'Academic affairs', records_clerk: 'Records clerk',
      accountant: 'Accountant', it: 'IT officer', left: 'Left the school',
    },
    staffStatus: { active: 'Active', left: 'Left' },
    studentStatus: { studying: 'Studying', transferred_out: 'Transferred out', graduated: 'Graduated', dropped_out: 'Dropped out' },
    enrolmentStatus: { active: 'Active', left: 'Left' },
    direction: { in: 'Transfer in', out: 'Transfer out' },
    role: {
      admin: 'System administrator', principal: 'Principal', vice_principal: 'Vice principal', department_head: 'Head of department',
      homeroom_teacher: 'Homeroom teacher', subject_teacher: 'Subject teacher', academic_staff: 'Academic affairs', records_clerk: 'Records clerk',
      accountant: 'Accountant', student: 'Student/Parent', education_office: 'Education office',
    },
  },
};

export type ChoiceGroup =
  | 'lockScope'
  | 'kind'
  | 'requestStatus'
  | 'weekday'
  | 'correctionProcedure'
  | 'result'
  | 'level'
  | 'assessmentType'
  | 'sex'
  | 'post'
  | 'staffStatus'
  | 'studentStatus'
  | 'enrolmentStatus'
  | 'direction'
  | 'role';
