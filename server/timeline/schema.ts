/** What a timeline edit may contain: the whole TimelineConfig, checked field by field (zod). */
import { z } from 'zod';
import type { TimelineConfig } from '../../domain/timeline';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const instant = z.string().datetime({ offset: true });
const chainRole = z.enum(['departmentHead', 'vicePrincipal', 'principal']);
const grades = z.array(z.number().int().min(1).max(12)).max(12);

const Milestone = z.strictObject({
  key: z.string().regex(/^[a-z0-9-]{1,64}$/),
  title: z.string().trim().min(1).max(200),
  due: instant,
  scope: z.strictObject({ grades: grades.optional(), exceptGrades: grades.optional(), classIds: z.array(z.number().int().positive()).max(200).optional(), yearEndSettled: z.boolean().optional() }),
  responsible: z.enum(['subjectTeacher', 'homeroomTeacher', 'vicePrincipal', 'principal', 'admin', 'academicStaff']),
  provider: z.enum(['entry', 'signing', 'sync', 'report', 'inspection']),
  reminderDays: z.array(z.number().int().min(1).max(60)).max(10),
  escalation: z.array(z.strictObject({ role: chainRole, afterDays: z.number().int().min(0).max(60) })).max(5),
  lockAtDue: z.boolean(),
});

export const TimelineConfigSchema = z.strictObject({
  profile: z.string().min(1).max(32),
  remindAt: hhmm,
  milestones: z.array(Milestone).max(40),
  holidays: z.array(z.strictObject({ name: z.string().trim().min(1).max(100), from: date, to: date })).max(40),
  weekly: z.strictObject({
    enabled: z.boolean(),
    remindWeekday: z.number().int().min(1).max(7),
    remindAt: hhmm,
    escalation: z.array(z.strictObject({ role: chainRole, afterWeeks: z.number().int().min(0).max(20) })).max(5),
  }),
  inspection: z.strictObject({ enabled: z.boolean(), dayOfMonth: z.number().int().min(1).max(28), at: hhmm }),
}) satisfies z.ZodType<TimelineConfig>;

export const TimelineUpdate = z.strictObject({ version: z.number().int().min(1), config: TimelineConfigSchema });
export const TimelineCreate = z.strictObject({ schoolYearId: z.number().int().positive(), profile: z.enum(['khanh-phu', 'vu-duy-thanh', 'tan-an-hoi']) });
