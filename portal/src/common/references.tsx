import {
  AutocompleteInput,
  ReferenceField,
  ReferenceInput,
  SelectInput,
  useCanAccess,
  type FieldProps,
  type Validator,
} from 'react-admin';

/**
 * Reference inputs and fields shared by the resources. Autocompletes search with `q` (the API's
 * diacritic-insensitive search), so "nguyen" finds "Nguyễn".
 */

interface RefInputProps {
  source?: string;
  label?: string;
  validate?: Validator | Validator[];
  alwaysOn?: boolean;
  filter?: Record<string, unknown>;
  disabled?: boolean;
  helperText?: string | false;
}

export const SchoolYearInput = ({ source = 'schoolYearId', label, validate, filter, disabled, helperText }: RefInputProps) => (
  <ReferenceInput source={source} reference="school-years" sort={{ field: 'startDate', order: 'DESC' }} filter={filter}>
    <SelectInput optionText="name" label={label} validate={validate} disabled={disabled} helperText={helperText} />
  </ReferenceInput>
);

export const DepartmentInput = ({ source = 'departmentId', label, validate, filter, disabled, helperText }: RefInputProps) => (
  <ReferenceInput source={source} reference="departments" sort={{ field: 'name', order: 'ASC' }} perPage={100} filter={filter}>
    <SelectInput optionText="name" label={label} validate={validate} disabled={disabled} helperText={helperText} />
  </ReferenceInput>
);

export const ClassInput = ({ source = 'classId', label, validate, filter, disabled, helperText }: RefInputProps) => (
  <ReferenceInput source={source} reference="classes" sort={{ field: 'name', order: 'ASC' }} perPage={50} filter={filter}>
    <AutocompleteInput optionText="name" label={label} validate={validate} disabled={disabled} helperText={helperText} />
  </ReferenceInput>
);

export const SubjectInput = ({ source = 'subjectId', label, validate, filter, disabled, helperText }: RefInputProps) => (
  <ReferenceInput source={source} reference="subjects" sort={{ field: 'name', order: 'ASC' }} perPage={50} filter={filter}>
    <AutocompleteInput optionText="name" label={label} validate={validate} disabled={disabled} helperText={helperText} />
  </ReferenceInput>
);

export const StaffInput = ({ source = 'staffId', label, validate, filter, disabled, helperText }: RefInputProps) => (
  <ReferenceInput source={source} reference="staff" sort={{ field: 'fullName', order: 'ASC' }} filter={filter}>
    <AutocompleteInput optionText="fullName" label={label} validate={validate} disabled={disabled} helperText={helperText} />
  </ReferenceInput>
);

const studentText = (r: { fullName?: string; studentCode?: string; className?: string | null }) =>
  r ? [r.fullName, r.studentCode && `(${r.studentCode}${r.className ? ` · ${r.className}` : ''})`].filter(Boolean).join(' ') : '';

export const StudentInput = ({ source = 'studentId', label, validate, filter, disabled, helperText }: RefInputProps) => (
  <ReferenceInput source={source} reference="students" sort={{ field: 'fullName', order: 'ASC' }} filter={filter}>
    <AutocompleteInput optionText={studentText} label={label} validate={validate} disabled={disabled} helperText={helperText} />
  </ReferenceInput>
);

export const UserInput = ({ source = 'userId', label, validate, filter, disabled, helperText }: RefInputProps) => (
  <ReferenceInput source={source} reference="users" sort={{ field: 'username', order: 'ASC' }} filter={filter}>
    <AutocompleteInput
      optionText={(r: { username?: string; fullName?: string }) => (r ? `${r.fullName ?? ''} (${r.username})` : '')}
      label={label}
      validate={validate}
      disabled={disabled}
      helperText={helperText}
    />
  </ReferenceInput>
);

/** May the signed-in user list `resource` (needed to fill a reference input or field from it)? */
export function useCanList(resource: string): boolean {
  const { canAccess } = useCanAccess({ resource, action: 'list' });
  return canAccess === true;
}

/**
 * A reference shown with the referenced resource's record representation; a link only where the user may go.
 * Fetching it needs the right to list that resource (GET /api/<reference>?filter={"id":[…]}), so without it the
 * field stays empty instead of showing an error.
 */
export const Ref = ({ source, reference, link = 'show', ...rest }: FieldProps & { source: string; reference: string; link?: 'show' | 'edit' | false }) => {
  const { canAccess } = useCanAccess({ resource: reference, action: 'list' });
  if (!canAccess) return null;
  return <ReferenceField source={source} reference={reference} link={link} emptyText="—" {...rest} />;
};
