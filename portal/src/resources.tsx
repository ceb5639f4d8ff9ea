import type { ComponentType } from 'react';
import type { Resource } from '../../domain/permissions';
import auditEvents from './auditEvents';
import classes from './classes';
import departments from './departments';
import enrolments from './enrolments';
import schoolYears from './schoolYears';
import schools from './schools';
import semesters from './semesters';
import staff from './staff';
import staffPostChanges from './staffPostChanges';
import students from './students';
import studentTransfers from './studentTransfers';
import subjects from './subjects';
import teachingAssignments from './teachingAssignments';
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
] as ResourceViews[];

/** The menu's sections; each shows only the resources the user may list. */
export const MENU_GROUPS: Array<{ label: string; resources: Resource[] }> = [
  {
    label: 'app.menu.organisation',
    resources: ['schools', 'school-years', 'semesters', 'departments', 'subjects', 'classes', 'teaching-assignments'],
  },
  { label: 'app.menu.people', resources: ['staff', 'students', 'enrolments', 'staff-post-changes', 'student-transfers'] },
  { label: 'app.menu.system', resources: ['users', 'audit-events'] },
];
