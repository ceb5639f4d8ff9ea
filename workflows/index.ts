/**
 * Every workflow the worker runs (its `workflowsPath`): the school-year timeline and the nightly backup. Each lives
 * in its own module, so a test or a replay can load one alone.
 */
export { mailWorkflow, milestoneWorkflow, schoolYearWorkflow } from './timeline';
export { nightlyBackupWorkflow } from './nightly-backup';
