import { Grid } from '@mui/material';
import { email, maxLength, required, SelectInput, SimpleForm, TextInput } from 'react-admin';
import { POST_CHOICES, SEX_CHOICES, STAFF_STATUS_CHOICES } from '../common/choices';
import { DepartmentInput } from '../common/references';
import { VnDateInput } from '../common/VnDateInput';
import { nationalId, phone } from '../common/validators';

export const StaffForm = () => (
  <SimpleForm>
    <Grid container columnSpacing={2} sx={{ width: '100%', maxWidth: 900 }}>
      <Grid size={{ xs: 12, md: 6 }}>
        <TextInput source="fullName" validate={[required(), maxLength(200)]} fullWidth />
      </Grid>
      <Grid size={{ xs: 12, md: 6 }}>
        <TextInput source="nationalId" validate={[required(), nationalId]} fullWidth slotProps={{ htmlInput: { inputMode: 'numeric', maxLength: 12 } }} />
      </Grid>
      <Grid size={{ xs: 12, md: 4 }}>
        <VnDateInput source="birthDate" fullWidth />
      </Grid>
      <Grid size={{ xs: 12, md: 4 }}>
        <SelectInput source="sex" choices={SEX_CHOICES} fullWidth />
      </Grid>
      <Grid size={{ xs: 12, md: 4 }}>
        <SelectInput source="status" choices={STAFF_STATUS_CHOICES} validate={required()} defaultValue="active" fullWidth />
      </Grid>
      <Grid size={{ xs: 12, md: 6 }}>
        <SelectInput source="post" choices={POST_CHOICES} validate={required()} defaultValue="teacher" fullWidth />
      </Grid>
      <Grid size={{ xs: 12, md: 6 }}>
        <DepartmentInput />
      </Grid>
      <Grid size={{ xs: 12, md: 6 }}>
        <TextInput source="phone" validate={[maxLength(32), phone]} fullWidth />
      </Grid>
      <Grid size={{ xs: 12, md: 6 }}>
        <TextInput source="email" type="email" validate={[email(), maxLength(200)]} fullWidth />
      </Grid>
    </Grid>
  </SimpleForm>
);
