import {
  ACTIONS,
  can,
  RESOURCES,
  ROLES,
  type Action,
  type Principal,
  type RecordAttributes,
  type Resource,
  type Role,
} from '../../domain/permissions';
import { isTranscriptResource, transcriptResourceAccess } from './transcripts/access';

/**
 * The portal's use of domain/permissions.ts: react-admin's `canAccess({ action, resource, record })` answers with
 * exactly the function the server enforces, so the UI shows what the server would allow (and nothing more).
 */

/** react-admin's action names → the domain's. Actions react-admin asks about that have a natural equivalent. */
const RA_ACTIONS: Record<string, Action> = {
  list: 'list',
  show: 'show',
  create: 'create',
  edit: 'edit',
  delete: 'delete',
  // ExportButton exports what the list shows; CloneButton creates a new record.
  export: 'list',
  clone: 'create',
};

export const isResource = (r: string): r is Resource => (RESOURCES as readonly string[]).includes(r);
export const isRole = (r: unknown): r is Role => typeof r === 'string' && (ROLES as readonly string[]).includes(r);

export function toDomainAction(action: string): Action | null {
  if (action in RA_ACTIONS) return RA_ACTIONS[action];
  if ((ACTIONS as readonly string[]).includes(action)) return action as Action;
  return null;
}

const num = (v: unknown): number | null | undefined =>
  v === null ? null : v === undefined || v === '' ? undefined : Number.isFinite(Number(v)) ? Number(v) : undefined;

/**
 * The attributes of an API record that scopes are checked against. The API's camelCase fields are used as they are,
 * with the same per-resource adjustments the server makes (server/…: `attributes`):
 * a department row is its own department, an account's roles are the role names of its grants.
 */
export function toRecordAttributes(resource: Resource, record: Record<string, unknown>): RecordAttributes | undefined {
  const schoolId = num(record.schoolId);
  if (typeof schoolId !== 'number') return undefined;
  const base: RecordAttributes = {
    schoolId,
    id: num(record.id) ?? undefined,
    classId: num(record.classId),
    grade: num(record.grade),
    departmentId: num(record.departmentId),
    studentId: num(record.studentId),
  };
  if (Array.isArray(record.classIds)) base.classIds = record.classIds.map(Number);
  if (Array.isArray(record.grades)) base.grades = record.grades.map(Number);
  switch (resource) {
    case 'schools':
      return { ...base, schoolId: num(record.id) ?? schoolId };
    case 'departments':
      return { ...base, departmentId: num(record.id) };
    case 'classes':
      return { ...base, classId: num(record.id) };
    case 'staff-post-changes':
      return { ...base, departmentId: num(record.toDepartmentId) ?? num(record.fromDepartmentId) };
    case 'students':
      // A student's own record: the scope compares the student id with the record id.
      return { ...base, studentId: num(record.id) };
    case 'users': {
      const roles = Array.isArray(record.roles)
        ? record.roles.map((r) => (typeof r === 'string' ? r : (r as { role?: unknown })?.role)).filter(isRole)
        : [];
      return { ...base, roles };
    }
    default:
      return base;
  }
}

/**
 * May `principal` do react-admin `action` on `resource` (and on `record`, when given)?
 * Unknown resources and actions are refused.
 */
export function canAccessResource(
  principal: Principal | null | undefined,
  action: string,
  resource: string,
  record?: Record<string, unknown>,
): boolean {
  if (!principal) return false;
  // The transcript resources, until domain/permissions lists them (portal/src/transcripts/access.ts).
  if (!isResource(resource)) return isTranscriptResource(resource) && transcriptResourceAccess(principal, action, resource);
  const domainAction = toDomainAction(action);
  if (!domainAction) return false;
  // Records without an id (a create form's defaults) are checked as "any record".
  const attrs = record && record.id !== undefined ? toRecordAttributes(resource, record) : undefined;
  return can(principal, domainAction, resource, attrs);
}

export { can };
export type { Action, Principal, Resource, Role };
