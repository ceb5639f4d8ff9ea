import { ROLES } from '../../../domain/permissions';

/** Choice lists for SelectInput/SelectField: `name` is a translation key (react-admin translates choices). */
const keyed = (group: string, ids: readonly string[]) => ids.map((id) => ({ id, name: `app.choices.${group}.${id}` }));

export const LEVEL_CHOICES = keyed('level', ['THCS', 'THPT']);
export const ASSESSMENT_TYPE_CHOICES = keyed('assessmentType', ['scored', 'comment']);
export const SEX_CHOICES = keyed('sex', ['male', 'female']);
export const POSTS = ['teacher', 'principal', 'vice_principal', 'academic_staff', 'records_clerk', 'accountant', 'it'] as const;
export const POST_CHOICES = keyed('post', POSTS);
/** A change of post may also be leaving the school. */
export const TO_POST_CHOICES = keyed('post', [...POSTS, 'left']);
export const STAFF_STATUS_CHOICES = keyed('staffStatus', ['active', 'left']);
export const STUDENT_STATUS_CHOICES = keyed('studentStatus', ['studying', 'transferred_out', 'graduated', 'dropped_out']);
export const ENROLMENT_STATUS_CHOICES = keyed('enrolmentStatus', ['active', 'left']);
export const DIRECTION_CHOICES = keyed('direction', ['in', 'out']);
export const SEMESTER_CHOICES = [
  { id: 1, name: 'app.choices.semester.1' },
  { id: 2, name: 'app.choices.semester.2' },
];
/** The audit trail's actions, as the server names them (server/audit/words.ts; labels checked equal by test). */
export const AUDIT_ACTIONS = [
  // records
  'create',
  'update',
  'delete',
  // accounts
  'login',
  'login_failed',
  'lockout',
  'logout',
  'unlock',
  'reset_password',
  'password_change',
  'totp_enable',
  'totp_disable',
  'reset_totp',
  'recover',
  // grade book, requests, locks, results
  'gradebook_save',
  'test_date',
  'conduct_save',
  'correction_apply',
  'approve',
  'reject',
  'confirm',
  'cancel',
  'apply',
  'lift',
  'revoke',
  'import',
  'carry-over',
  'recompute',
  'timeline_step',
  // transcripts
  'open',
  'reopen',
  'sign',
  'seal',
  'sign_batch',
  'sign_prepare',
  'issue_copy',
  'edit',
  'backup',
  'restore',
  'backup_failed',
  'backup_pruned',
  'request',
  'download',
  'sync_send',
  'sync_receipt',
  'sync_auto_on',
  'sync_auto_off',
  'sign_in_place',
  'review',
  'reconcile',
] as const;
export const AUDIT_ACTION_CHOICES = keyed('auditAction', AUDIT_ACTIONS);
/** What the trail records besides the REST resources (those are named by `resources.<name>.name`). */
export const AUDIT_ENTITIES = [
  'gradebook',
  'conduct',
  'imports',
  'result-lists',
  'results',
  'retest-results',
  'summer-training-results',
  'transcript_versions',
  'signing_batches',
  'certificates',
  'signing_delegations',
  'transcript_print_approvals',
  'timelines',
  'backups',
  'print-runs',
  'sync-batches',
  'transcript-digitisations',
  'transfer-packages',
  'transfer-imports',
  'imported-transcripts',
] as const;
export const ROLE_CHOICES = ROLES.map((id) => ({ id, name: `app.roles.${id}` }));

export const GRADES = [6, 7, 8, 9, 10, 11, 12] as const;
export const GRADES_BY_LEVEL: Record<string, readonly number[]> = { THCS: [6, 7, 8, 9], THPT: [10, 11, 12] };
/** Grade choices: names are translated with the grade number (`Khối 6`). */
export const gradeChoices = (grades: readonly number[] = GRADES) => grades.map((g) => ({ id: g, name: String(g) }));
