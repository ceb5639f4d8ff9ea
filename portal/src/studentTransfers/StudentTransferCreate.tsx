import { Alert } from '@mui/material';
import {
  Create,
  FormDataConsumer,
  maxLength,
  RadioButtonGroupInput,
  required,
  SimpleForm,
  TextInput,
  useTranslate,
} from 'react-admin';
import { DIRECTION_CHOICES } from '../common/choices';
import { ClassInput, StudentInput } from '../common/references';
import { VnDateInput } from '../common/VnDateInput';
import { vnToday } from '../format';

const validateTransfer = (values: Record<string, unknown>) =>
  values.direction === 'in' && !values.classId ? { classId: 'app.validation.class_required_for_in' } : {};

/** Sends `classId` only for a transfer in (the receiving class). */
const transform = (data: Record<string, unknown>) => {
  const { classId, ...rest } = data;
  return data.direction === 'in' ? { ...rest, classId } : rest;
};

export const StudentTransferCreate = () => {
  const translate = useTranslate();
  return (
    <Create redirect="list" transform={transform}>
      <SimpleForm defaultValues={{ direction: 'out', transferDate: vnToday() }} validate={validateTransfer}>
        <RadioButtonGroupInput source="direction" choices={DIRECTION_CHOICES} validate={required()} />
        <FormDataConsumer>
          {({ formData }) => (
            <Alert severity="info" sx={{ mb: 2 }}>
              {translate(formData.direction === 'in' ? 'app.transfers.in_note' : 'app.transfers.out_note')}
            </Alert>
          )}
        </FormDataConsumer>
        <StudentInput validate={required()} />
        <VnDateInput source="transferDate" validate={required()} />
        <TextInput source="otherSchool" validate={maxLength(200)} fullWidth />
        <TextInput source="reason" validate={maxLength(500)} multiline fullWidth />
        <FormDataConsumer>{({ formData }) => (formData.direction === 'in' ? <ClassInput validate={required()} /> : null)}</FormDataConsumer>
      </SimpleForm>
    </Create>
  );
};
