import { Router } from 'express';
import type { Db } from '../db/knex';
import { resourceRouter } from '../http/resource';
import { classesResource } from './classes';
import { departmentsResource } from './departments';
import { enrolmentsResource } from './enrolments';
import { schoolYearsResource } from './school-years';
import { schoolsResource } from './schools';
import { semestersResource } from './semesters';
import { staffPostChangesResource } from './staff-post-changes';
import { staffResource } from './staff';
import { studentTransfersResource } from './student-transfers';
import { studentsResource } from './students';
import { subjectsResource } from './subjects';
import { teachingAssignmentsResource } from './teaching-assignments';

/** School organisation: the school itself, its years, departments, subjects, classes, people and assignments. */
export function schoolRoutes(db: Db): Router {
  const router = Router();
  router.use('/schools', resourceRouter(db, schoolsResource));
  router.use('/school-years', resourceRouter(db, schoolYearsResource));
  router.use('/semesters', resourceRouter(db, semestersResource));
  router.use('/departments', resourceRouter(db, departmentsResource));
  router.use('/subjects', resourceRouter(db, subjectsResource));
  router.use('/classes', resourceRouter(db, classesResource));
  router.use('/teaching-assignments', resourceRouter(db, teachingAssignmentsResource));
  router.use('/staff', resourceRouter(db, staffResource));
  router.use('/students', resourceRouter(db, studentsResource));
  router.use('/enrolments', resourceRouter(db, enrolmentsResource));
  router.use('/staff-post-changes', resourceRouter(db, staffPostChangesResource));
  router.use('/student-transfers', resourceRouter(db, studentTransfersResource));
  return router;
}
