import { Router } from 'express';
import type { Db } from '../db/knex';
import { classesRouter } from './classes';
import { departmentsRouter } from './departments';
import { enrolmentsRouter } from './enrolments';
import { schoolYearsRouter } from './school-years';
import { schoolsRouter } from './schools';
import { semestersRouter } from './semesters';
import { staffPostChangesRouter } from './staff-post-changes';
import { staffRouter } from './staff';
import { studentTransfersRouter } from './student-transfers';
import { studentsRouter } from './students';
import { subjectsRouter } from './subjects';
import { teachingAssignmentsRouter } from './teaching-assignments';

/** School organisation: the school itself, its years, departments, subjects, classes, people and assignments. */
export function schoolRoutes(db: Db): Router {
  const router = Router();
  router.use('/schools', schoolsRouter(db));
  router.use('/school-years', schoolYearsRouter(db));
  router.use('/semesters', semestersRouter(db));
  router.use('/departments', departmentsRouter(db));
  router.use('/subjects', subjectsRouter(db));
  router.use('/classes', classesRouter(db));
  router.use('/teaching-assignments', teachingAssignmentsRouter(db));
  router.use('/staff', staffRouter(db));
  router.use('/students', studentsRouter(db));
  router.use('/enrolments', enrolmentsRouter(db));
  router.use('/staff-post-changes', staffPostChangesRouter(db));
  router.use('/student-transfers', studentTransfersRouter(db));
  return router;
}
