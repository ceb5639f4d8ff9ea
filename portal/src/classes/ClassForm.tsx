import { maxLength, required, SelectInput, SimpleForm, TextInput } from 'react-admin';
import { gradeChoices } from '../common/choices';
import { SchoolYearInput, StaffInput } from '../common/references';
import { useSchoolGrades } from '../common/useSchool';

export const ClassForm = () => {
  const grades = useSchoolGrades();
  return (
    <SimpleForm>
      <SchoolYearInput validate={required()} />
      <SelectInput source="grade" choices={gradeChoices(grades)} translateChoice={false} validate={required()} />
      <TextInput source="name" validate={[required(), maxLength(32)]} helperText="6A1" />
      <StaffInput source="homeroomStaffId" filter={{ status: 'active' }} />
    </SimpleForm>
  );
};
