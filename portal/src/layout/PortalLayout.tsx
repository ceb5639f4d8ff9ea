import KeyIcon from '@mui/icons-material/Key';
import SecurityIcon from '@mui/icons-material/Security';
import { Box, ListItemIcon, ListItemText, ListSubheader, MenuItem, Typography } from '@mui/material';
import { Fragment, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import {
  AppBar,
  Layout,
  Logout,
  Menu,
  TitlePortal,
  UserMenu,
  useGetIdentity,
  usePermissions,
  useSidebarState,
  useTranslate,
  useUserMenu,
} from 'react-admin';
import { can, type Principal } from '../access';
import type { PortalIdentity } from '../auth/authProvider';
import { NotificationBell } from '../notifications/NotificationBell';
import { HOCBA_GROUP_LABEL, PAGE_GROUP_LABEL, PAGES, SETUP_GROUP_LABEL, type PortalPage } from '../pages';
import { menuGroups } from '../resources';
import { usePendingCounts } from '../dashboard/usePending';

function AccountMenuItem({ to, icon, label }: { to: string; icon: ReactNode; label: string }) {
  const translate = useTranslate();
  const userMenu = useUserMenu();
  return (
    <MenuItem component={Link} to={to} onClick={() => userMenu?.onClose()}>
      <ListItemIcon>{icon}</ListItemIcon>
      <ListItemText>{translate(label)}</ListItemText>
    </MenuItem>
  );
}

const PortalUserMenu = () => (
  <UserMenu>
    <AccountMenuItem to="/account/password" icon={<KeyIcon fontSize="small" />} label="app.menu.change_password" />
    <AccountMenuItem to="/account/totp" icon={<SecurityIcon fontSize="small" />} label="app.menu.totp" />
    <Logout />
  </UserMenu>
);

function SchoolName() {
  const { identity } = useGetIdentity();
  const name = (identity as PortalIdentity | undefined)?.user.schoolName;
  if (!name) return null;
  return (
    <Typography variant="body2" sx={{ mx: 1, opacity: 0.85, display: { xs: 'none', md: 'block' }, whiteSpace: 'nowrap' }}>
      {name}
    </Typography>
  );
}

const PortalAppBar = () => (
  <AppBar userMenu={<PortalUserMenu />}>
    <TitlePortal />
    <SchoolName />
    <NotificationBell />
  </AppBar>
);

/** A menu label with the number of requests waiting for a decision. */
function PendingLabel({ label, count }: { label: string; count: number }) {
  const translate = useTranslate();
  return (
    <Box component="span" sx={{ display: 'inline-flex', alignItems: 'center', gap: 1 }}>
      {label}
      <Box
        component="span"
        data-testid="menu-pending"
        title={translate('app.dashboard.pending_badge', { count })}
        sx={{ bgcolor: 'error.main', color: 'error.contrastText', borderRadius: 8, px: 0.75, fontSize: 12, lineHeight: '18px', minWidth: 18, textAlign: 'center' }}
      >
        {count > 99 ? '99+' : count}
      </Box>
    </Box>
  );
}

/** The menu lists only the resources the signed-in user may list (domain/permissions `can(…, 'list', …)`). */
export function PortalMenu() {
  const translate = useTranslate();
  const [open] = useSidebarState();
  const { permissions } = usePermissions<Principal | null>();
  const principal = permissions ?? null;
  const groups = menuGroups(principal);
  const pending = usePendingCounts(!!principal && (can(principal, 'approve', 'unlock-requests') || can(principal, 'approve', 'correction-requests')));
  const badge: Partial<Record<string, number>> = { 'unlock-requests': pending?.unlockRequests, 'correction-requests': pending?.correctionRequests };
  const visible = principal ? PAGES.filter((p) => p.visible(principal)) : [];
  const pages = visible.filter((p) => !p.group);
  const setup = visible.filter((p) => p.group === 'setup');
  const hocba = visible.filter((p) => p.group === 'hocba');
  const pageItem = (p: PortalPage) => {
    const Icon = p.icon;
    return <Menu.Item key={p.path} to={p.path} primaryText={translate(p.label)} leftIcon={<Icon />} />;
  };
  const subheader = (label: string) =>
    open ? (
      <ListSubheader
        disableSticky
        sx={{ lineHeight: '32px', mt: 1, bgcolor: 'transparent', fontSize: 12, textTransform: 'uppercase', letterSpacing: 0.5 }}
      >
        {translate(label)}
      </ListSubheader>
    ) : (
      <Box sx={{ borderTop: 1, borderColor: 'divider', my: 0.5 }} />
    );
  return (
    <Menu>
      <Menu.DashboardItem />
      {pages.length > 0 && subheader(PAGE_GROUP_LABEL)}
      {pages.map(pageItem)}
      {hocba.length > 0 && subheader(HOCBA_GROUP_LABEL)}
      {hocba.map(pageItem)}
      {groups.map((g) => (
        <Fragment key={g.label}>
          {subheader(g.label)}
          {g.resources.map((r) =>
            badge[r] ? (
              <Menu.ResourceItem key={r} name={r} primaryText={<PendingLabel label={translate(`resources.${r}.name`, { smart_count: 2 })} count={badge[r]!} />} />
            ) : (
              <Menu.ResourceItem key={r} name={r} />
            ),
          )}
        </Fragment>
      ))}
      {setup.length > 0 && subheader(SETUP_GROUP_LABEL)}
      {setup.map(pageItem)}
    </Menu>
  );
}

export const PortalLayout = ({ children }: { children: ReactNode }) => (
  <Layout appBar={PortalAppBar} menu={PortalMenu}>
    {children}
  </Layout>
);
