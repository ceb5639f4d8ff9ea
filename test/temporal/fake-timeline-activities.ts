/** In-memory timeline activities for testing the workflows alone: a config, a done-set and a log of what ran. */
import { stepId, stepsOf, type SchoolCalendar, type Step, type TimelineConfig } from '../../domain/timeline';
import type { MilestonePlan, TimelineActivities } from '../../workflows/activity-types';

export interface FakeTimeline {
  config: TimelineConfig;
  calendar: SchoolCalendar;
  activatedAt: string;
  done: Set<string>;
  ran: Step[];
  skipped: Step[];
}

const milestoneKeys = (t: FakeTimeline) => [...new Set(stepsOf(t.config, t.calendar).map((s) => s.milestone))];

export function fakeTimelineActivities(t: FakeTimeline): TimelineActivities {
  return {
    async listMilestones() {
      return milestoneKeys(t);
    },
    async loadMilestonePlan(_year, milestone): Promise<MilestonePlan> {
      return { steps: stepsOf(t.config, t.calendar).filter((s) => s.milestone === milestone), done: [...t.done], activatedAt: t.activatedAt };
    },
    async runStep(_year, step) {
      if (t.done.has(stepId(step))) return { actions: 0 };
      t.done.add(stepId(step));
      t.ran.push(step);
      return { actions: 1 };
    },
    async deliverEmails() {
      return null;
    },
    async skipSteps(_year, steps) {
      for (const s of steps) {
        t.done.add(stepId(s));
        t.skipped.push(s);
      }
    },
  };
}
