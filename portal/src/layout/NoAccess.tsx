import BlockIcon from '@mui/icons-material/Block';
import { Box, Button, Card, CardContent, Typography } from '@mui/material';
import type { ReactElement } from 'react';
import { Title, useGetIdentity, useTranslate } from 'react-admin';
import { Link } from 'react-router-dom';
import type { Principal } from '../../../domain/permissions';
import type { PortalIdentity } from '../auth/authProvider';

/**
 * One clear page instead of a page that fails with repeated 403s: which roles the user has and where to go next.
 * Shown for a resource the role may not list (react-admin's accessDenied) and for a custom page the role may not
 * open (PageGuard). The server refuses the same requests; this only spares the user the failed calls.
 */
export function NoAccess() {
  const translate = useTranslate();
  const { identity } = useGetIdentity();
  const roles = [...new Set((identity as PortalIdentity | undefined)?.user.principal.grants.map((g) => g.role) ?? [])];
  return (
    <Box sx={{ mt: 2, maxWidth: 640 }}>
      <Title title={translate('app.no_access.title')} />
      <Card data-testid="no-access">
        <CardContent>
          <Typography variant="h6" component="h2" sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1 }}>
            <BlockIcon color="warning" />
            {translate('app.no_access.title')}
          </Typography>
          <Typography sx={{ mb: 1 }}>
            {roles.length > 0
              ? translate('app.no_access.roles', { roles: roles.map((r) => translate(`app.roles.${r}`)).join(', ') })
              : translate('app.no_access.no_roles')}
          </Typography>
          <Typography color="text.secondary" sx={{ mb: 2 }}>
            {translate('app.no_access.next')}
          </Typography>
          <Button component={Link} to="/" variant="contained">
            {translate('app.no_access.home')}
          </Button>
        </CardContent>
      </Card>
    </Box>
  );
}

/** A custom page, or NoAccess when the signed-in principal may not open it (the same rule as its menu entry). */
export function PageGuard({ visible, children }: { visible: (p: Principal) => boolean; children: ReactElement }) {
  const { identity, isPending } = useGetIdentity();
  const principal = (identity as PortalIdentity | undefined)?.user.principal;
  if (isPending || !principal) return null;
  return visible(principal) ? children : <NoAccess />;
}
