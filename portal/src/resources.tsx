import type { ComponentType } from 'react';
import type { Resource } from '../../domain/permissions';
import { can, type Principal } from './access';
import archiveEntries from './archiveEntries';
import auditEvents from './auditEvents';
import classes from './classes';
import correctionRequests from './correctionRequests';
import departments from './departments';
import enrolments from './enrolments';
import entryDelegations from './entryDelegations';
import locks from './locks';
import schoolYears from './schoolYears';
import schools from './schools';
import schoolSettings from './schoolSettings';
import semesters from './semesters';
import staff from './staff';
import staffPostChanges from './staffPostChanges';
import students from './students';
import studentTransfers from './studentTransfers';
import subjects from './subjects';
import teachingAssignments from './teachingAssignments';
import unlockRequests from './unlockRequests';
import users from './users';

export interface ResourceViews {
  name: Resource;
  list: ComponentType;
  show: ComponentType;
  edit?: ComponentType;
  create?: ComponentType;
  icon: ComponentType;
  recordRepresentation: string | ((record: never) => string);
}

/** Every REST resource of docs/resources.md with its views (one folder per resource). */
export const RESOURCE_VIEWS: ResourceViews[] = [
  schools,
  schoolYears,
  semesters,
  departments,
  subjects,
  classes,
  teachingAssignments,
  staff,
  students,
  enrolments,
  staffPostChanges,
  studentTransfers,
  users,
  auditEvents,
  locks,
  unlockRequests,
  correctionRequests,
  entryDelegations,
  schoolSettings,
  archiveEntries,
] as ResourceViews[];

/** The menu's sections; each shows only the resources the user may list. */
export const MENU_GROUPS: Array<{ label: string; resources: Resource[]; setup?: boolean }> = [
  {
    label: 'app.menu.organisation',
    resources: ['schools', 'school-years', 'semesters', 'departments', 'subjects', 'classes', 'teaching-assignments'],
    // Setting the school up: in the menu only for those who may change it (a teacher reads classes and subjects
    // through the grade book's pickers, not through these lists).
    setup: true,
  },
  { label: 'app.menu.people', resources: ['staff', 'students', 'enrolments', 'staff-post-changes', 'student-transfers'] },
  { label: 'app.menu.locks_requests', resources: ['unlock-requests', 'correction-requests', 'locks', 'entry-delegations', 'school-settings'] },
  // Hồ sơ lưu trữ: what văn thư files away; more records pages (print runs) join this group.
  { label: 'app.menu.records', resources: ['archive-entries'] },
  { label: 'app.menu.system', resources: ['users', 'audit-events'] },
];

/** The menu's groups for this principal: what they may list, and of the setup group only what they may change. */
export function menuGroups(principal: Principal | null) {
  if (!principal) return [];
  return MENU_GROUPS.map((g) => ({
    ...g,
    resources: g.resources.filter((r) => can(principal, 'list', r) && (!g.setup || can(principal, 'create', r) || can(principal, 'edit', r))),
  })).filter((g) => g.resources.length > 0);
}
