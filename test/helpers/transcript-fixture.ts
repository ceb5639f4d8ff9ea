import type { SubjectRow, TranscriptContent, TranscriptYear } from '../../domain/transcript/types';

/**
 * A transcript built by hand: a grade-9 girl of the demo school with two years (8 and 9), thirteen subjects a
 * year (five of them comment subjects), a Toán retest she passed in grade 8, two corrections in Toán in grade 9,
 * long comments that must wrap. Every test that draws or maps a transcript starts from this one.
 */
const TEACHERS: Record<string, string> = {
  'NGU-VAN': 'Phạm Thị Hương',
  TOAN: 'Nguyễn Văn Đức',
  'TIENG-ANH': 'Trần Thị Ngọc Ánh',
  GDCD: 'Lê Thị Thủy',
  'LS-DL': 'Lê Thị Thủy',
  KHTN: 'Vũ Đình Khoa',
  'CONG-NGHE': 'Đỗ Văn Long',
  'TIN-HOC': 'Nguyễn Thị Thanh Hà',
  GDTC: 'Hoàng Văn Cường',
  'AM-NHAC': 'Bùi Thị Lan',
  'MI-THUAT': 'Đinh Quang Mỹ',
  'HDTN-HN': 'Phạm Thị Hương',
  GDDP: 'Trịnh Văn Bình',
};

const SUBJECTS: Array<[string, string, 'scored' | 'comment']> = [
  ['NGU-VAN', 'Ngữ văn', 'scored'],
  ['TOAN', 'Toán', 'scored'],
  ['TIENG-ANH', 'Ngoại ngữ 1 (Tiếng Anh)', 'scored'],
  ['GDCD', 'Giáo dục công dân', 'scored'],
  ['LS-DL', 'Lịch sử và Địa lí', 'scored'],
  ['KHTN', 'Khoa học tự nhiên', 'scored'],
  ['CONG-NGHE', 'Công nghệ', 'scored'],
  ['TIN-HOC', 'Tin học', 'scored'],
  ['GDTC', 'Giáo dục thể chất', 'comment'],
  ['AM-NHAC', 'Nghệ thuật (Âm nhạc)', 'comment'],
  ['MI-THUAT', 'Nghệ thuật (Mĩ thuật)', 'comment'],
  ['HDTN-HN', 'Hoạt động trải nghiệm, hướng nghiệp', 'comment'],
  ['GDDP', 'Nội dung giáo dục của địa phương', 'comment'],
];

function rows(scores: Record<string, [string, string, string]>, extra: Partial<Record<string, Partial<SubjectRow>>> = {}): SubjectRow[] {
  return SUBJECTS.map(([code, name, assessment], i) => {
    const [hk1, hk2, year] = assessment === 'comment' ? ['D', 'D', 'D'] : scores[code];
    return {
      subjectCode: code,
      subjectName: name,
      assessment,
      hk1,
      hk2,
      year,
      retest: null,
      comment: assessment === 'comment' ? 'Tích cực tham gia, hoàn thành tốt các nhiệm vụ học tập.' : 'Chăm chỉ, tiếp thu bài tốt.',
      teacher: { staffId: 100 + i, fullName: TEACHERS[code] },
      ...extra[code],
    };
  });
}

const GRADE9: Record<string, [string, string, string]> = {
  'NGU-VAN': ['7', '7.5', '7.3'],
  TOAN: ['8.3', '8.8', '8.6'],
  'TIENG-ANH': ['9', '9.4', '9.3'],
  GDCD: ['8', '8.5', '8.3'],
  'LS-DL': ['7.8', '8.1', '8'],
  KHTN: ['6.5', '7.2', '7'],
  'CONG-NGHE': ['8.4', '8', '8.1'],
  'TIN-HOC': ['10', '9.8', '9.9'],
};
const GRADE8: Record<string, [string, string, string]> = {
  'NGU-VAN': ['6.8', '7', '6.9'],
  TOAN: ['4.2', '4.6', '4.5'],
  'TIENG-ANH': ['8.5', '8.7', '8.6'],
  GDCD: ['7.5', '8', '7.8'],
  'LS-DL': ['6.9', '7.4', '7.2'],
  KHTN: ['5.6', '6', '5.9'],
  'CONG-NGHE': ['7', '7.6', '7.4'],
  'TIN-HOC': ['8.8', '9', '8.9'],
};

const approver = { staffId: 1, fullName: 'Nguyễn Văn Thành', post: 'principal' as const };

const year8: TranscriptYear = {
  schoolYear: '2025-2026',
  grade: 8,
  className: '8A2',
  subjects: rows(GRADE8, { TOAN: { retest: '6.5', comment: 'Cần cố gắng hơn ở phần hình học; sau ôn tập hè đã tiến bộ rõ, làm bài kiểm tra lại đạt yêu cầu.' } }),
  summary: {
    learning: { hk1: 'D', hk2: 'D', year: 'CD', afterRetest: 'D' },
    conduct: { hk1: 'K', hk2: 'T', year: 'T', afterSummerTraining: null },
    absences: 4,
    summerTraining: false,
    promoted: true,
    completedLevel: null,
    award: null,
    homeroomComment: 'Em ngoan, lễ phép, có ý thức tự học; cần mạnh dạn hơn khi phát biểu xây dựng bài.',
    homeroomTeacher: { staffId: 200, fullName: 'Phạm Thị Hương' },
  },
  corrections: { count: 0, subjects: [] },
  approver,
};

const year9: TranscriptYear = {
  schoolYear: '2026-2027',
  grade: 9,
  className: '9A1',
  subjects: rows(GRADE9, {
    'NGU-VAN': {
      comment:
        'Có năng khiếu cảm thụ văn học, bài viết giàu cảm xúc, diễn đạt mạch lạc; cần chú ý hơn đến chính tả và cách trình bày bài làm, đọc thêm sách tham khảo để mở rộng vốn từ và hiểu biết xã hội.',
    },
  }),
  summary: {
    learning: { hk1: 'K', hk2: 'T', year: 'T', afterRetest: null },
    conduct: { hk1: 'T', hk2: 'T', year: 'T', afterSummerTraining: null },
    absences: 2,
    summerTraining: false,
    promoted: true,
    completedLevel: true,
    award: 'very_good',
    homeroomComment:
      'Em chăm ngoan, có tinh thần trách nhiệm với tập thể, tích cực tham gia các hoạt động của lớp và của trường; kết quả học tập tiến bộ vượt bậc so với năm học trước. Chúc em thi đỗ vào trường trung học phổ thông mà em mong muốn.',
    homeroomTeacher: { staffId: 201, fullName: 'Nguyễn Văn Đức' },
  },
  corrections: { count: 2, subjects: ['Toán'] },
  approver,
};

export function handTranscript(): TranscriptContent {
  return structuredClone({
    transcriptUid: '3f1c2a9e-7b4d-4e21-9c0a-5d6e7f8a9b0c',
    version: 1,
    status: 1,
    circular: '22/2021/TT-BGDĐT',
    school: {
      code: 'THCS-KP',
      name: 'Trường THCS Khánh Phú',
      level: 'THCS',
      province: 'Ninh Bình',
      district: 'Yên Khánh',
      address: 'xã Khánh Phú, huyện Yên Khánh, tỉnh Ninh Bình',
      registerNumber: '127/2023',
    },
    identity: {
      fullName: 'Nguyễn Thị Ngọc Ánh',
      sex: 'Nữ',
      birthDate: '2012-03-17',
      ethnicity: 'Kinh',
      nationality: 'Việt Nam',
      placeOfBirth: 'Ninh Bình',
      homeTown: 'xã Khánh Phú, Ninh Bình',
      address: 'Thôn Phú Hậu, xã Khánh Phú, tỉnh Ninh Bình',
      nationalId: '037312012345',
      studentCode: '3712345678',
      father: { name: 'Nguyễn Văn Hùng', occupation: 'Làm ruộng' },
      mother: { name: 'Trần Thị Mai', occupation: 'Công nhân' },
      guardian: null,
    },
    history: [
      { schoolYear: '2023-2024', className: '6A2', schoolName: 'Trường THCS Khánh Phú', district: 'Yên Khánh', province: 'Ninh Bình' },
      { schoolYear: '2024-2025', className: '7A2', schoolName: 'Trường THCS Khánh Phú', district: 'Yên Khánh', province: 'Ninh Bình' },
      { schoolYear: '2025-2026', className: '8A2', schoolName: 'Trường THCS Khánh Phú', district: 'Yên Khánh', province: 'Ninh Bình' },
      { schoolYear: '2026-2027', className: '9A1', schoolName: 'Trường THCS Khánh Phú', district: 'Yên Khánh', province: 'Ninh Bình' },
    ],
    years: [year8, year9],
    verificationCode: 'KP7Q-4M2X-9HTA',
    issuedAt: '2027-06-02T02:30:00.000Z',
    placeOfIssue: 'Ninh Bình',
  } satisfies TranscriptContent);
}
