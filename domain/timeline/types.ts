/**
 * The school year's timeline as configuration (timeline.md): milestones with a due instant, a scope, the role
 * responsible, a progress provider that counts what is still missing per person, reminders before the due instant,
 * an escalation chain after it, and an optional lock at it; plus the weekly score cutoff and the school holidays.
 * All instants are ISO strings; wall-clock times are Vietnam time (domain/cutoffs.ts: UTC+7, no daylight saving).
 */

/** Who owes the work of a milestone. */
export type ResponsibleRole = 'subjectTeacher' | 'homeroomTeacher' | 'vicePrincipal' | 'principal' | 'admin' | 'academicStaff';

/** Who the chase moves up to (seed 000: teacher → department head → supervising vice principal → principal). */
export type ChainRole = 'departmentHead' | 'vicePrincipal' | 'principal';

/**
 * What "complete" means for a milestone. `entry` counts missing grade-book cells (domain/progress.ts); `signing`
 * and `sync` count signatures and sync states (the transcript and sync issues provide them); `report` is a report
 * the school files; `inspection` is the principal's monthly check of entry (seed 000).
 */
export type ProviderKey = 'entry' | 'signing' | 'sync' | 'report' | 'inspection';

export interface MilestoneScope {
  /** Only these grades (all when absent). */
  grades?: number[];
  /** Not these grades (Tân An Hội: the other grades follow a later date). */
  exceptGrades?: number[];
  /** Only these classes (all when absent). */
  classIds?: number[];
  /**
   * Sync milestones only: leave out the students still waiting for a retest or summer training (Điều 12–14). Seeds
   * S0/S1: students who completed the year are synced by 31/5 (S2: 25/6); those after the retest or summer training,
   * and every correction, by 30/8 (S2: 10/8). Other providers ignore it: grade books and signatures are per class.
   */
  yearEndSettled?: boolean;
}

export interface EscalationLevel {
  role: ChainRole;
  /** Days after the due date: 0 = at the due instant; n > 0 = at the reminder time of due date + n. */
  afterDays: number;
}

export interface Milestone {
  /** Stable within a timeline: part of every idempotency key. */
  key: string;
  /** Vietnamese title shown to people. */
  title: string;
  /** Due instant (ISO). */
  due: string;
  scope: MilestoneScope;
  responsible: ResponsibleRole;
  provider: ProviderKey;
  /** Days before the due date on which the people still owing get a reminder (default 14, 7, 3, 1). */
  reminderDays: number[];
  escalation: EscalationLevel[];
  /** At the due instant: lock the scope's grade books for the year. */
  lockAtDue: boolean;
}

export interface Holiday {
  name: string;
  /** YYYY-MM-DD, inclusive. */
  from: string;
  to: string;
}

export interface WeeklyRule {
  enabled: boolean;
  /** Reminder before each weekly cutoff: ISO weekday (5 = Friday) and HH:MM (default Friday 07:00). */
  remindWeekday: number;
  remindAt: string;
  /** After a cutoff the overdue slots escalate week by week: level by how many cutoffs a slot has been overdue. */
  escalation: Array<{ role: ChainRole; afterWeeks: number }>;
}

export interface MonthlyInspection {
  enabled: boolean;
  /** Day of month and HH:MM of the report (the principal's monthly check, seed 000). */
  dayOfMonth: number;
  at: string;
}

export interface TimelineConfig {
  profile: string;
  /** HH:MM of reminders and of escalations after the due day (default 07:00). */
  remindAt: string;
  milestones: Milestone[];
  holidays: Holiday[];
  weekly: WeeklyRule;
  inspection: MonthlyInspection;
}

/** The school calendar a plan is made in. */
export interface SchoolCalendar {
  /** YYYY-MM-DD, first and last day of the school year (the timeline runs September to the end of August). */
  yearStart: string;
  yearEnd: string;
  /** Teaching spans (semesters): weekly cutoffs fall only inside them. */
  semesters: Array<{ startDate: string; endDate: string }>;
  cutoffs: { regularCutoffWeekday: number; regularCutoffTime: string; periodicWindowDays: number };
}

export type StepKind = 'remind' | 'escalate' | 'lock' | 'report';

/** One scheduled step of the timeline, before anyone's progress is known. */
export interface Step {
  milestone: string;
  /** e.g. remind-D-7, escalate-1, lock, weekly-remind, weekly-escalate, inspection. */
  step: string;
  kind: StepKind;
  at: string;
  /** What the step is about: the due date for yearly milestones, the cutoff's date for weekly steps, YYYY-MM for reports. */
  period: string;
  /** Escalations: the level in the chain (1 = first). */
  level?: number;
}
