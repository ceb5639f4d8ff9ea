import { Alert } from '@mui/material';
import { Create, maxLength, required, SelectInput, SimpleForm, TextInput, useTranslate } from 'react-admin';
import { TO_POST_CHOICES } from '../common/choices';
import { DepartmentInput, StaffInput } from '../common/references';
import { VnDateInput } from '../common/VnDateInput';
import { vnToday } from '../format';

/** A change of post: saving it also updates the staff member's post/department (and so their access). */
export const StaffPostChangeCreate = () => {
  const translate = useTranslate();
  return (
    <Create redirect="list">
      <SimpleForm defaultValues={{ effectiveDate: vnToday() }}>
        <Alert severity="info" sx={{ mb: 2 }}>
          {translate('app.post_changes.note')}
        </Alert>
        <StaffInput validate={required()} />
        <SelectInput source="toPost" choices={TO_POST_CHOICES} validate={required()} />
        <DepartmentInput source="toDepartmentId" />
        <VnDateInput source="effectiveDate" validate={required()} />
        <TextInput source="note" validate={maxLength(500)} multiline fullWidth />
      </SimpleForm>
    </Create>
  );
};
