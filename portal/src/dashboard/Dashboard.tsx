import { Avatar, Box, Card, CardContent, CardHeader, Chip, Divider, Grid, Stack, Typography } from '@mui/material';
import { Link } from 'react-router-dom';
import { Title, useGetIdentity, useTranslate } from 'react-admin';
import EventNoteIcon from '@mui/icons-material/EventNote';
import NotificationsIcon from '@mui/icons-material/Notifications';
import { Button } from '@mui/material';
import { canOpenTimeline, canSeeOffice } from '../../../domain/permissions';
import { OfficePage } from '../office/OfficePage';
import type { PortalIdentity } from '../auth/authProvider';
import { GrantList } from '../common/RoleScope';
import { menuGroups, RESOURCE_VIEWS } from '../resources';
import { MyWeek } from './MyWeek';

const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(-2)
    .map((w) => w[0])
    .join('')
    .toUpperCase();

/**
 * The home page: who is signed in, where, and with which roles — each role in Vietnamese with its scope spelled out
 * (departments, grades, homeroom classes, class × subject assignments), and their week (MyWeek).
 */
export function Dashboard() {
  const translate = useTranslate();
  const { identity, isPending } = useGetIdentity();
  const user = (identity as PortalIdentity | undefined)?.user;
  if (isPending || !user) return null;
  const principal = user.principal;
  // An education office belongs to no school: its home is its schools' progress.
  if (canSeeOffice(principal)) return <OfficePage />;
  // The same resources as the menu (setup ones only for those who may change them).
  const listed = new Set(menuGroups(principal).flatMap((g) => g.resources));
  const links = RESOURCE_VIEWS.filter((r) => listed.has(r.name));

  return (
    <Box sx={{ mt: 2 }}>
      <Title title={translate('ra.page.dashboard')} />
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, md: 7 }}>
          <Card data-testid="dashboard-identity">
            <CardHeader
              avatar={<Avatar sx={{ bgcolor: 'primary.main' }}>{initials(user.fullName)}</Avatar>}
              title={
                <Typography variant="h6" component="h2">
                  {translate('app.dashboard.welcome', { name: user.fullName })}
                </Typography>
              }
              subheader={
                <>
                  {user.schoolName && (
                    <Typography variant="body2" component="span" sx={{ display: 'block' }}>
                      {translate('app.dashboard.school')}: <strong>{user.schoolName}</strong>
                    </Typography>
                  )}
                  <Typography variant="body2" component="span" sx={{ display: 'block' }}>
                    {translate('app.dashboard.username')}: {user.username}
                  </Typography>
                </>
              }
            />
            <Divider />
            <CardContent>
              <Typography variant="subtitle1" gutterBottom>
                {translate('app.dashboard.roles_title')}
              </Typography>
              {principal.grants.length === 0 ? (
                <Typography color="text.secondary">{translate('app.dashboard.no_roles')}</Typography>
              ) : (
                <GrantList grants={principal.grants} principal={principal} />
              )}
            </CardContent>
          </Card>
        </Grid>
        <Grid size={{ xs: 12, md: 5 }}>
          <Stack spacing={2}>
            <MyWeek />
            <Card data-testid="dashboard-deadlines">
              <CardHeader title={translate('app.dashboard.deadlines_title')} slotProps={{ title: { variant: 'subtitle1' } }} />
              <CardContent sx={{ pt: 0 }}>
                <Stack direction="row" useFlexGap spacing={1} sx={{ flexWrap: 'wrap' }}>
                  {canOpenTimeline(principal) && (
                    <Button variant="contained" size="small" startIcon={<EventNoteIcon />} component={Link} to="/timeline?tab=dashboard">
                      {translate('app.dashboard.deadlines_link')}
                    </Button>
                  )}
                  <Button variant="outlined" size="small" startIcon={<NotificationsIcon />} component={Link} to="/notifications">
                    {translate('app.dashboard.inbox_link')}
                  </Button>
                </Stack>
              </CardContent>
            </Card>
            {links.length > 0 && (
              <Card>
                <CardHeader title={translate('app.dashboard.quick_links')} slotProps={{ title: { variant: 'subtitle1' } }} />
                <CardContent sx={{ pt: 0 }}>
                  <Stack direction="row" useFlexGap spacing={1} sx={{ flexWrap: 'wrap' }}>
                    {links.map((r) => {
                      const Icon = r.icon;
                      return (
                        <Chip
                          key={r.name}
                          icon={<Icon />}
                          label={translate(`resources.${r.name}.name`, { smart_count: 2 })}
                          component={Link}
                          to={`/${r.name}`}
                          clickable
                          variant="outlined"
                        />
                      );
                    })}
                  </Stack>
                </CardContent>
              </Card>
            )}
            <Card>
              <CardHeader title={translate('app.dashboard.security_title')} slotProps={{ title: { variant: 'subtitle1' } }} />
              <CardContent sx={{ pt: 0 }}>
                <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                  <Chip
                    size="small"
                    color={user.totpEnabled ? 'success' : 'default'}
                    label={translate(user.totpEnabled ? 'app.dashboard.totp_on' : 'app.dashboard.totp_off')}
                    component={Link}
                    to="/account/totp"
                    clickable
                  />
                  <Chip size="small" label={translate('app.menu.change_password')} component={Link} to="/account/password" clickable />
                </Stack>
              </CardContent>
            </Card>
          </Stack>
        </Grid>
      </Grid>
    </Box>
  );
}
