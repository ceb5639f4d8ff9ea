import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import RadioButtonUncheckedIcon from '@mui/icons-material/RadioButtonUnchecked';
import { List, ListItem, ListItemIcon, ListItemText, Typography } from '@mui/material';
import { useTranslate } from 'ra-core';
import { PASSWORD_MIN } from '../../../domain/password-policy';

/** The password rules (domain/password-policy.ts), each ticked as the new password meets it. */
export function PasswordPolicy({ password, username, current }: { password: string; username: string; current?: string }) {
  const translate = useTranslate();
  const rules: Array<[string, boolean]> = [
    ['app.password.rule_length', password.length >= PASSWORD_MIN],
    ['app.password.rule_letters_digits', /\p{L}/u.test(password) && /\p{N}/u.test(password)],
    ['app.password.rule_not_username', password.length > 0 && (!username || !password.toLowerCase().includes(username.toLowerCase()))],
  ];
  if (current !== undefined) rules.push(['app.password.rule_not_current', password.length > 0 && password !== current]);
  return (
    <>
      <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
        {translate('app.password.policy_title')}
      </Typography>
      <List dense disablePadding aria-live="polite">
        {rules.map(([key, ok]) => (
          <ListItem key={key} disableGutters sx={{ py: 0 }}>
            <ListItemIcon sx={{ minWidth: 28 }}>
              {ok ? (
                <CheckCircleIcon fontSize="small" color="success" />
              ) : (
                <RadioButtonUncheckedIcon fontSize="small" color="disabled" />
              )}
            </ListItemIcon>
            <ListItemText
              primary={translate(key, { min: PASSWORD_MIN })}
              slotProps={{ primary: { variant: 'body2', color: ok ? 'success.main' : 'text.secondary' } }}
            />
          </ListItem>
        ))}
      </List>
    </>
  );
}
