import {
  ArrayInput,
  BooleanInput,
  FormDataConsumer,
  ReferenceArrayInput,
  required,
  SelectArrayInput,
  SelectInput,
  SimpleFormIterator,
  useGetIdentity,
  usePermissions,
} from 'react-admin';
import { ROLES, canGrantRole, type Principal } from '../../../domain/permissions';
import type { PortalIdentity } from '../auth/authProvider';
import { gradeChoices } from '../common/choices';
import { DepartmentInput, StudentInput } from '../common/references';
import { useSchoolGrades } from '../common/useSchool';

type RoleItem = { role?: string } | undefined;

const uniqueRoles = (value: unknown) => {
  if (!Array.isArray(value)) return undefined;
  const roles = value.map((r: RoleItem) => r?.role).filter(Boolean);
  return new Set(roles).size === roles.length ? undefined : 'app.validation.duplicate_role';
};

/**
 * The account's roles, each with the scope fields its role uses: a vice principal's departments, grades and
 * account management; a department head's department; a student account's student. Only the roles the signed-in
 * user may grant are offered (an account-managing vice principal cannot grant privileged roles).
 */
export function RolesInput({ helperText }: { helperText?: string }) {
  const { permissions } = usePermissions<Principal | null>();
  const { identity } = useGetIdentity();
  const schoolId = (identity as PortalIdentity | undefined)?.user.schoolId;
  const grades = useSchoolGrades();
  const choices = ROLES.filter((r) => !permissions || typeof schoolId !== 'number' || canGrantRole(permissions, schoolId, r)).map(
    (id) => ({ id, name: `app.roles.${id}` }),
  );
  return (
    <ArrayInput source="roles" validate={uniqueRoles} helperText={helperText ?? false}>
      <SimpleFormIterator inline disableReordering>
        <SelectInput source="role" label="resources.users.fields.role" choices={choices} validate={required()} sx={{ minWidth: 220 }} />
        <FormDataConsumer>
          {({ scopedFormData }) => {
            switch ((scopedFormData as RoleItem)?.role) {
              case 'vice_principal':
                return (
                  <>
                    <ReferenceArrayInput source="departmentIds" reference="departments" sort={{ field: 'name', order: 'ASC' }} perPage={100}>
                      <SelectArrayInput optionText="name" label="resources.users.fields.departmentIds" sx={{ minWidth: 220 }} />
                    </ReferenceArrayInput>
                    <SelectArrayInput
                      source="grades"
                      label="resources.users.fields.grades"
                      choices={gradeChoices(grades)}
                      translateChoice={false}
                      sx={{ minWidth: 160 }}
                    />
                    <BooleanInput source="manageAccounts" label="resources.users.fields.manageAccounts" />
                  </>
                );
              case 'department_head':
                return <DepartmentInput source="departmentId" label="resources.users.fields.departmentId" validate={required()} />;
              case 'student':
                return <StudentInput source="studentId" label="resources.users.fields.roleStudentId" validate={required()} />;
              default:
                return null;
            }
          }}
        </FormDataConsumer>
      </SimpleFormIterator>
    </ArrayInput>
  );
}

/** Sends each role with only the scope fields that role uses. */
export function cleanRoles(roles: unknown): unknown {
  if (!Array.isArray(roles)) return roles;
  return roles.map((r: Record<string, unknown>) => {
    const out: Record<string, unknown> = { role: r.role };
    if (r.role === 'vice_principal') {
      out.departmentIds = Array.isArray(r.departmentIds) ? r.departmentIds.map(Number) : [];
      out.grades = Array.isArray(r.grades) ? r.grades.map(Number) : [];
      out.manageAccounts = r.manageAccounts === true;
    }
    if (r.role === 'department_head') out.departmentId = r.departmentId ?? null;
    if (r.role === 'student') out.studentId = r.studentId ?? null;
    return out;
  });
}
