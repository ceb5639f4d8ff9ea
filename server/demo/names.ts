/**
 * Name and place data for the demo school (Khánh Phú, Ninh Bình — the school of seed 000). Weights are rough
 * national frequencies, so a class list looks like a real one: a third Nguyễn, then Trần, Lê, Phạm …
 * Northern spellings (Hoàng, Vũ) outweigh the southern ones (Huỳnh, Võ); Đinh, Trịnh and Mai are common locally.
 */
type Weighted = readonly (readonly [string, number])[];

export const FAMILY_NAMES: Weighted = [
  ['Nguyễn', 38],
  ['Trần', 11],
  ['Lê', 9.5],
  ['Phạm', 7],
  ['Hoàng', 4],
  ['Huỳnh', 0.6],
  ['Phan', 4],
  ['Vũ', 3.2],
  ['Võ', 0.6],
  ['Đặng', 2.1],
  ['Bùi', 2],
  ['Đỗ', 1.4],
  ['Hồ', 1.3],
  ['Ngô', 1.3],
  ['Dương', 1],
  ['Lý', 0.5],
  ['Đinh', 1.5],
  ['Trịnh', 0.8],
  ['Mai', 0.6],
  ['Tạ', 0.3],
  ['Lương', 0.3],
  ['Cao', 0.3],
];

/** Middle names changed with the generations: staff born 1965–1998 are mostly Văn/Thị, their pupils less so. */
export const MIDDLE_NAMES = {
  staff: {
    male: [['Văn', 35], ['Đức', 12], ['Minh', 10], ['Quang', 8], ['Hữu', 7], ['Xuân', 6], ['Thanh', 6], ['Ngọc', 4], ['Mạnh', 4], ['Trọng', 4], ['Công', 4]],
    female: [['Thị', 55], ['Thu', 8], ['Thanh', 8], ['Ngọc', 7], ['Hồng', 6], ['Minh', 4], ['Phương', 4], ['Kim', 4], ['Thúy', 4]],
  },
  student: {
    male: [['Văn', 15], ['Minh', 14], ['Đức', 12], ['Gia', 10], ['Bảo', 8], ['Quang', 8], ['Anh', 6], ['Hoàng', 6], ['Tuấn', 5], ['Hải', 5], ['Đăng', 5], ['Trung', 4]],
    female: [['Thị', 18], ['Ngọc', 12], ['Minh', 8], ['Thu', 8], ['Khánh', 8], ['Bảo', 7], ['Phương', 7], ['Hà', 6], ['Thanh', 6], ['Mai', 5], ['Hải', 5], ['Diệu', 4], ['Tú', 4]],
  },
} satisfies Record<string, Record<'male' | 'female', Weighted>>;

export const GIVEN_NAMES = {
  male: [
    'Anh', 'Bảo', 'Bình', 'Cường', 'Dũng', 'Duy', 'Đạt', 'Đức', 'Dương', 'Hải', 'Hiếu', 'Hoàng', 'Hùng', 'Huy', 'Hưng',
    'Khang', 'Khánh', 'Khôi', 'Kiên', 'Lâm', 'Long', 'Lộc', 'Mạnh', 'Minh', 'Nam', 'Nghĩa', 'Phong', 'Phúc', 'Quân',
    'Quang', 'Sơn', 'Tài', 'Thắng', 'Thành', 'Thịnh', 'Tiến', 'Toàn', 'Trung', 'Tú', 'Tuấn', 'Tùng', 'Việt', 'Vinh', 'Vũ',
  ],
  female: [
    'An', 'Anh', 'Châu', 'Chi', 'Diệp', 'Dung', 'Giang', 'Hà', 'Hằng', 'Hạnh', 'Hiền', 'Hoa', 'Huế', 'Hương', 'Huyền',
    'Lan', 'Liên', 'Linh', 'Loan', 'Ly', 'Mai', 'My', 'Nga', 'Ngân', 'Ngọc', 'Nhi', 'Nhung', 'Oanh', 'Phương', 'Quyên',
    'Quỳnh', 'Tâm', 'Thảo', 'Thơ', 'Thư', 'Thủy', 'Trang', 'Uyên', 'Vân', 'Vy', 'Yến',
  ],
} as const;

export const ETHNICITIES: Weighted = [
  ['Kinh', 97],
  ['Mường', 2.4],
  ['Tày', 0.3],
  ['Thái', 0.3],
];

/**
 * Places of birth with the 3-digit province code that opens a 12-digit personal ID (the code of the province
 * where the birth was registered). Names as they were at birth, before the 2025 province mergers.
 */
export const BIRTH_PROVINCES = {
  student: [['Ninh Bình', 90], ['Nam Định', 4], ['Hà Nam', 2], ['Thanh Hóa', 2], ['Hà Nội', 2]],
  staff: [['Ninh Bình', 70], ['Nam Định', 12], ['Hà Nam', 7], ['Thanh Hóa', 6], ['Hà Nội', 5]],
} satisfies Record<string, Weighted>;

export const PROVINCE_CODES: Record<string, string> = {
  'Hà Nội': '001',
  'Hà Nam': '035',
  'Nam Định': '036',
  'Ninh Bình': '037',
  'Thanh Hóa': '038',
};

/** Hamlets of the commune, for home addresses. */
export const HAMLETS = ['Phú Hậu', 'Phú Thượng', 'Phú Trung', 'Phú Nhuận', 'Phú An', 'Yên Thổ', 'Đồng Tâm', 'Quảng Phúc', 'Tân Phú', 'Hòa Lạc'];

/** Mobile prefixes of the Vietnamese networks (Viettel, Vinaphone, MobiFone). */
export const MOBILE_PREFIXES = ['096', '097', '098', '086', '032', '033', '034', '035', '036', '037', '038', '039', '091', '094', '088', '083', '084', '085', '090', '093', '089', '070', '079', '077'];

/** Nghề nghiệp of parents in a rural commune of the Red River delta, as the identity page records it. */
export const OCCUPATIONS = [['Làm ruộng', 30], ['Công nhân', 22], ['Buôn bán', 14], ['Tự do', 12], ['Giáo viên', 5], ['Thợ xây', 6], ['Nội trợ', 5], ['Cán bộ', 3], ['Lái xe', 3]] satisfies Weighted;

/** Communes for quê quán (the father's home commune), by province. */
export const HOME_COMMUNES: Record<string, string[]> = {
  'Ninh Bình': ['xã Khánh Phú', 'xã Khánh An', 'xã Khánh Hòa', 'xã Khánh Cư', 'xã Yên Ninh', 'xã Gia Sinh', 'phường Tân Thành'],
  'Nam Định': ['xã Nghĩa Hưng', 'xã Hải Hậu', 'xã Ý Yên'],
  'Hà Nam': ['xã Thanh Liêm', 'xã Bình Lục'],
  'Thanh Hóa': ['xã Nga Sơn', 'xã Hậu Lộc'],
  'Hà Nội': ['xã Phú Xuyên', 'xã Ứng Hòa'],
};
