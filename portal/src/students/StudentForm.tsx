import { Grid, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import { maxLength, regex, required, SelectInput, SimpleForm, TextInput, useTranslate } from 'react-admin';
import { SEX_CHOICES, STUDENT_STATUS_CHOICES } from '../common/choices';
import { VnDateInput } from '../common/VnDateInput';
import { nationalId, phone } from '../common/validators';

function Section({ title, children }: { title: string; children: ReactNode }) {
  const translate = useTranslate();
  return (
    <>
      <Grid size={12}>
        <Typography variant="subtitle2" color="primary" sx={{ mt: 2 }}>
          {translate(title)}
        </Typography>
      </Grid>
      {children}
    </>
  );
}

const half = { xs: 12, md: 6 } as const;
const third = { xs: 12, md: 4 } as const;

/** The student's personal record (what the homeroom teacher keeps up to date). */
export const StudentForm = () => (
  <SimpleForm>
    <Grid container columnSpacing={2} sx={{ width: '100%', maxWidth: 960 }}>
      <Section title="app.common.personal">
        <Grid size={third}>
          <TextInput source="studentCode" validate={[required(), maxLength(32), regex(/^[A-Za-z0-9_.-]+$/, 'app.validation.student_code')]} fullWidth />
        </Grid>
        <Grid size={{ xs: 12, md: 8 }}>
          <TextInput source="fullName" validate={[required(), maxLength(200)]} fullWidth />
        </Grid>
        <Grid size={third}>
          <VnDateInput source="birthDate" validate={required()} fullWidth />
        </Grid>
        <Grid size={third}>
          <SelectInput source="sex" choices={SEX_CHOICES} validate={required()} fullWidth />
        </Grid>
        <Grid size={third}>
          <TextInput source="nationalId" validate={nationalId} fullWidth slotProps={{ htmlInput: { inputMode: 'numeric', maxLength: 12 } }} />
        </Grid>
        <Grid size={third}>
          <TextInput source="ethnicity" validate={maxLength(64)} defaultValue="Kinh" fullWidth />
        </Grid>
        <Grid size={third}>
          <TextInput source="nationality" validate={maxLength(64)} defaultValue="Việt Nam" fullWidth />
        </Grid>
        <Grid size={third}>
          <TextInput source="placeOfBirth" validate={maxLength(200)} fullWidth />
        </Grid>
        <Grid size={third}>
          <TextInput source="homeTown" validate={maxLength(200)} fullWidth />
        </Grid>
        <Grid size={12}>
          <TextInput source="address" validate={maxLength(300)} fullWidth />
        </Grid>
      </Section>
      <Section title="app.common.family">
        <Grid size={half}>
          <TextInput source="fatherName" validate={maxLength(200)} fullWidth />
        </Grid>
        <Grid size={half}>
          <TextInput source="fatherOccupation" validate={maxLength(100)} fullWidth />
        </Grid>
        <Grid size={half}>
          <TextInput source="motherName" validate={maxLength(200)} fullWidth />
        </Grid>
        <Grid size={half}>
          <TextInput source="motherOccupation" validate={maxLength(100)} fullWidth />
        </Grid>
        <Grid size={half}>
          <TextInput source="guardianName" validate={maxLength(200)} fullWidth />
        </Grid>
        <Grid size={half}>
          <TextInput source="guardianOccupation" validate={maxLength(100)} fullWidth />
        </Grid>
        <Grid size={half}>
          <TextInput source="phone" validate={[maxLength(32), phone]} fullWidth />
        </Grid>
      </Section>
      <Section title="app.common.schooling">
        <Grid size={half}>
          <SelectInput source="status" choices={STUDENT_STATUS_CHOICES} validate={required()} defaultValue="studying" fullWidth />
        </Grid>
      </Section>
    </Grid>
  </SimpleForm>
);
