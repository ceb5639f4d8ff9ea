/**
 * The three ready timelines a school picks and then adjusts (timeline.md, seeds 000–003). Dates are the seeds';
 * a deadline "trước ngày X" is due at 17:00 of X, the end of the school's working day (configurable per milestone).
 */
import { vnAt } from './calendar';
import type { EscalationLevel, Milestone, MilestoneScope, ProviderKey, ResponsibleRole, TimelineConfig } from './types';

export const DEFAULT_REMINDER_DAYS = [14, 7, 3, 1];
export const DEFAULT_REMIND_AT = '07:00';
export const DEFAULT_DUE_AT = '17:00';
/** seed 000: subject teacher → department head at D+0 → supervising vice principal at D+2 → principal at D+4. */
export const DEFAULT_ESCALATION: EscalationLevel[] = [
  { role: 'departmentHead', afterDays: 0 },
  { role: 'vicePrincipal', afterDays: 2 },
  { role: 'principal', afterDays: 4 },
];
/** Chains for work the homeroom teachers or the leadership owe (no department head above them). */
const LEADERSHIP_ESCALATION: EscalationLevel[] = [
  { role: 'vicePrincipal', afterDays: 0 },
  { role: 'principal', afterDays: 2 },
];

export type ProfileKey = 'khanh-phu' | 'vu-duy-thanh' | 'tan-an-hoi';

export const PROFILES: Record<ProfileKey, string> = {
  'khanh-phu': 'Khánh Phú / Đồ Sơn: nhập 20/5, ký lớp 9 21/5, ký 31/5, đồng bộ 31/5 và 30/8',
  'vu-duy-thanh': 'Vũ Duy Thanh: đồng bộ 25/6 và 10/8',
  'tan-an-hoi': 'Tân An Hội: lớp 5, 9 nhập 15/5 và ký 20/5; các lớp khác 29/5 và 30/5; liên thông 15/8',
};

interface Spec {
  key: string;
  title: string;
  /** MM-DD, in the year the school year ends (or starts, for `autumn`). */
  date: string;
  autumn?: boolean;
  provider: ProviderKey;
  responsible: ResponsibleRole;
  scope?: MilestoneScope;
  lockAtDue?: boolean;
  escalation?: EscalationLevel[];
}

const entry = (key: string, title: string, date: string, scope: MilestoneScope = {}): Spec => ({
  key, title, date, scope, provider: 'entry', responsible: 'subjectTeacher', lockAtDue: true,
});
const signing = (key: string, title: string, date: string, scope: MilestoneScope = {}): Spec => ({
  key, title, date, scope, provider: 'signing', responsible: 'homeroomTeacher', escalation: LEADERSHIP_ESCALATION,
});
const sync = (key: string, title: string, date: string, scope: MilestoneScope = {}): Spec => ({
  key, title, date, scope, provider: 'sync', responsible: 'vicePrincipal', escalation: [{ role: 'principal', afterDays: 0 }],
});
/** The first sync deadline: the students whose year ended settled; the second one takes everyone (and corrections). */
const SETTLED: MilestoneScope = { yearEndSettled: true };
const startReport: Spec = {
  key: 'bao-cao-dau-nam', title: 'Báo cáo thống kê đầu năm học gửi cấp trên', date: '10-07', autumn: true,
  provider: 'report', responsible: 'vicePrincipal', escalation: [{ role: 'principal', afterDays: 0 }],
};

const SPECS: Record<ProfileKey, Spec[]> = {
  'khanh-phu': [
    startReport,
    entry('nhap-du-lieu', 'Hoàn thành nhập dữ liệu học bạ', '05-20'),
    signing('ky-lop-9', 'Ký số học bạ lớp 9', '05-21', { grades: [9] }),
    signing('ky-hoc-ba', 'Hoàn thành ký số học bạ', '05-31'),
    sync('dong-bo-hoan-thanh', 'Đồng bộ học sinh hoàn thành chương trình lên CSDL Bộ', '05-31', SETTLED),
    sync('dong-bo-sau-he', 'Đồng bộ học sinh sau kiểm tra lại, rèn luyện hè', '08-30'),
  ],
  'vu-duy-thanh': [
    startReport,
    entry('nhap-du-lieu', 'Hoàn thành nhập dữ liệu học bạ', '05-20'),
    signing('ky-hoc-ba', 'Hoàn thành ký số học bạ', '05-31'),
    sync('dong-bo-hoan-thanh', 'Đồng bộ học sinh hoàn thành chương trình lên CSDL Bộ', '06-25', SETTLED),
    sync('dong-bo-sau-he', 'Đồng bộ học sinh chưa hoàn thành hoặc có sai sót', '08-10'),
  ],
  'tan-an-hoi': [
    startReport,
    entry('nhap-lop-cuoi-cap', 'Lớp 5, lớp 9: hoàn thành rà soát, ban hành dữ liệu', '05-15', { grades: [5, 9] }),
    entry('nhap-du-lieu', 'Hoàn thành rà soát, ban hành dữ liệu', '05-29', { exceptGrades: [5, 9] }),
    signing('ky-lop-cuoi-cap', 'Lớp 5, lớp 9: ký số và ban hành học bạ', '05-20', { grades: [5, 9] }),
    signing('ky-hoc-ba', 'Ký số và ban hành học bạ', '05-30', { exceptGrades: [5, 9] }),
    sync('lien-thong', 'Liên thông Hệ thống quản lý Học bạ số ngành', '08-15'),
  ],
};

function milestone(spec: Spec, startYear: number): Milestone {
  const year = spec.autumn ? startYear : startYear + 1;
  return {
    key: spec.key,
    title: spec.title,
    due: vnAt(`${year}-${spec.date}`, DEFAULT_DUE_AT),
    scope: spec.scope ?? {},
    responsible: spec.responsible,
    provider: spec.provider,
    reminderDays: [...DEFAULT_REMINDER_DAYS],
    escalation: (spec.escalation ?? DEFAULT_ESCALATION).map((l) => ({ ...l })),
    lockAtDue: spec.lockAtDue ?? false,
  };
}

/** A profile's timeline for the school year that starts in `startYear` (2026 → 2026–2027). */
export function timelineProfile(profile: ProfileKey, startYear: number): TimelineConfig {
  return {
    profile,
    remindAt: DEFAULT_REMIND_AT,
    milestones: SPECS[profile].map((s) => milestone(s, startYear)).sort((a, b) => a.due.localeCompare(b.due)),
    holidays: [],
    weekly: {
      enabled: true,
      remindWeekday: 5,
      remindAt: DEFAULT_REMIND_AT,
      escalation: [
        { role: 'departmentHead', afterWeeks: 0 },
        { role: 'vicePrincipal', afterWeeks: 1 },
        { role: 'principal', afterWeeks: 2 },
      ],
    },
    inspection: { enabled: true, dayOfMonth: 1, at: DEFAULT_REMIND_AT },
  };
}
