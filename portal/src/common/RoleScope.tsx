import { Box, Chip, Stack, Typography } from '@mui/material';
import { useGetMany, usePermissions, useTranslate } from 'react-admin';
import { can, type Principal, type Resource } from '../access';
import type { Grant } from '../../../domain/permissions';

type Named = { id: number; name?: string; fullName?: string; studentCode?: string };

/**
 * Names for ids of a resource, fetched only when the signed-in user may list it (otherwise `#id` is shown):
 * the dashboard and account pages spell scopes out as "Tổ Toán", "6A1" rather than numbers.
 */
export function useNames(resource: Resource, ids: number[]): (id: number) => string {
  const { permissions } = usePermissions<Principal | null>();
  const allowed = !!permissions && can(permissions, 'list', resource);
  const unique = [...new Set(ids.filter((i) => Number.isFinite(i)))];
  const { data } = useGetMany<Named>(resource, { ids: unique }, { enabled: allowed && unique.length > 0 });
  const byId = new Map((data ?? []).map((r) => [Number(r.id), r]));
  return (id: number) => {
    const r = byId.get(Number(id));
    if (!r) return `#${id}`;
    if (resource === 'students') return `${r.fullName ?? ''}${r.studentCode ? ` (${r.studentCode})` : ''}`;
    return r.name ?? r.fullName ?? `#${id}`;
  };
}

export interface GrantLike extends Partial<Omit<Grant, 'role'>> {
  role: string;
}

/** The scope of one role, spelled out (departments, grades, account management, department, student). */
export function GrantScope({ grant, principal }: { grant: GrantLike; principal?: Principal | null }) {
  const translate = useTranslate();
  const deptIds = [...(grant.departmentIds ?? []), ...(grant.departmentId ? [grant.departmentId] : [])];
  const homeroom = principal?.homeroomClasses.filter((c) => grant.schoolId === undefined || c.schoolId === grant.schoolId) ?? [];
  const assignments = principal?.assignments.filter((a) => grant.schoolId === undefined || a.schoolId === grant.schoolId) ?? [];
  const classIds = [...homeroom.map((c) => c.classId), ...assignments.map((a) => a.classId)];
  const departmentName = useNames('departments', deptIds);
  const className = useNames('classes', grant.role === 'homeroom_teacher' || grant.role === 'subject_teacher' ? classIds : []);
  const subjectName = useNames('subjects', grant.role === 'subject_teacher' ? assignments.map((a) => a.subjectId) : []);
  const studentName = useNames('students', grant.role === 'student' && grant.studentId ? [grant.studentId] : []);

  const lines: string[] = [];
  switch (grant.role) {
    case 'admin':
    case 'principal':
    case 'academic_staff':
    case 'records_clerk':
    case 'accountant':
      lines.push(translate('app.scope.whole_school'));
      break;
    case 'vice_principal':
      if (grant.grades && grant.grades.length > 0) lines.push(translate('app.scope.grades', { grades: [...grant.grades].sort((a, b) => a - b).join(', ') }));
      else lines.push(translate('app.scope.vp_all'));
      if (grant.departmentIds && grant.departmentIds.length > 0)
        lines.push(translate('app.scope.departments', { names: grant.departmentIds.map(departmentName).join(', ') }));
      if (grant.manageAccounts) lines.push(translate('app.scope.manage_accounts'));
      break;
    case 'department_head':
      lines.push(grant.departmentId ? translate('app.scope.department', { name: departmentName(grant.departmentId) }) : translate('app.scope.none'));
      break;
    case 'homeroom_teacher':
      if (principal) {
        lines.push(
          homeroom.length > 0
            ? translate('app.scope.homeroom_classes', { names: homeroom.map((c) => className(c.classId)).join(', ') })
            : translate('app.scope.none'),
        );
      }
      break;
    case 'subject_teacher':
      if (principal) {
        lines.push(
          assignments.length > 0
            ? translate('app.scope.assignments', {
                items: assignments.map((a) => `${className(a.classId)} × ${subjectName(a.subjectId)}`).join('; '),
              })
            : translate('app.scope.none'),
        );
      }
      break;
    case 'student':
      lines.push(grant.studentId ? translate('app.scope.student', { name: studentName(grant.studentId) }) : translate('app.scope.none'));
      break;
    case 'education_office':
      lines.push(translate('app.scope.education_office'));
      break;
  }
  return (
    <Box>
      {lines.map((l) => (
        <Typography key={l} variant="body2" color="text.secondary">
          {l}
        </Typography>
      ))}
    </Box>
  );
}

/** Every role of an account with its scope. */
export function GrantList({ grants, principal }: { grants: GrantLike[]; principal?: Principal | null }) {
  const translate = useTranslate();
  return (
    <Stack spacing={1.5}>
      {grants.map((g, i) => (
        <Box key={`${g.role}-${i}`} data-testid="role-item">
          <Chip color="primary" variant="outlined" size="small" label={translate(`app.roles.${g.role}`, { _: g.role })} sx={{ mb: 0.5 }} />
          <GrantScope grant={g} principal={principal} />
        </Box>
      ))}
    </Stack>
  );
}
