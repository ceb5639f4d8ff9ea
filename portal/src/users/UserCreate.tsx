import AutorenewIcon from '@mui/icons-material/Autorenew';
import { IconButton, InputAdornment, Tooltip, Typography } from '@mui/material';
import { useFormContext } from 'react-hook-form';
import { Create, email, maxLength, required, SimpleForm, TextInput, useTranslate } from 'react-admin';
import { StaffInput, StudentInput } from '../common/references';
import { newPassword, username } from '../common/validators';
import { cleanRoles, RolesInput } from './RolesInput';

/** A random temporary password that satisfies the policy (letters and digits, 12 characters, no look-alikes). */
export function generatePassword(): string {
  const letters = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
  const digits = '23456789';
  const all = letters + digits;
  const bytes = crypto.getRandomValues(new Uint32Array(12));
  const chars = Array.from(bytes, (b) => all[b % all.length]);
  chars[bytes[0] % 12] = digits[bytes[1] % digits.length];
  chars[(bytes[0] + 5) % 12] = letters[bytes[2] % letters.length];
  return chars.join('');
}

function TemporaryPasswordInput() {
  const translate = useTranslate();
  const { setValue } = useFormContext();
  return (
    <TextInput
      source="password"
      validate={[required(), newPassword('username')]}
      helperText="app.users.password_help"
      autoComplete="new-password"
      slotProps={{
        input: {
          endAdornment: (
            <InputAdornment position="end">
              <Tooltip title={translate('app.users.generate')}>
                <IconButton
                  size="small"
                  aria-label={translate('app.users.generate')}
                  onClick={() => setValue('password', generatePassword(), { shouldDirty: true, shouldValidate: true })}
                >
                  <AutorenewIcon fontSize="small" />
                </IconButton>
              </Tooltip>
            </InputAdornment>
          ),
        },
      }}
      sx={{ minWidth: 300 }}
    />
  );
}

const transform = (data: Record<string, unknown>) => ({
  username: String(data.username ?? '').trim().toLowerCase(),
  fullName: data.fullName,
  email: data.email || null,
  password: data.password,
  staffId: data.staffId ?? null,
  studentId: data.studentId ?? null,
  roles: cleanRoles(data.roles ?? []),
});

export const UserCreate = () => {
  const translate = useTranslate();
  return (
    <Create redirect="show" transform={transform}>
      <SimpleForm defaultValues={{ roles: [] }}>
        <TextInput source="username" validate={[required(), username]} autoComplete="off" />
        <TextInput source="fullName" validate={[required(), maxLength(200)]} sx={{ minWidth: 300 }} />
        <TextInput source="email" type="email" validate={[email(), maxLength(200)]} />
        <TemporaryPasswordInput />
        <Typography variant="body2" color="text.secondary" sx={{ mt: 2 }}>
          {translate('app.users.link_help')}
        </Typography>
        <StaffInput source="staffId" />
        <StudentInput source="studentId" />
        <RolesInput />
      </SimpleForm>
    </Create>
  );
};
