import NotificationsIcon from '@mui/icons-material/Notifications';
import { Badge, IconButton, Tooltip } from '@mui/material';
import { useEffect, useState } from 'react';
import { useTranslate } from 'react-admin';
import { Link, useLocation } from 'react-router-dom';
import { apiCall } from '../api/client';
import { INBOX_CHANGED } from './types';

const POLL_MS = 60_000;

/** The app bar's bell: the unread count, polled every minute, on every navigation and when the inbox changes. */
export function NotificationBell() {
  const translate = useTranslate();
  const location = useLocation();
  const [count, setCount] = useState(0);

  useEffect(() => {
    let alive = true;
    const load = () =>
      apiCall<{ count: number }>('/notifications/unread-count')
        .then((r) => alive && setCount(r.count))
        .catch(() => undefined);
    load();
    const timer = window.setInterval(load, POLL_MS);
    window.addEventListener(INBOX_CHANGED, load);
    return () => {
      alive = false;
      window.clearInterval(timer);
      window.removeEventListener(INBOX_CHANGED, load);
    };
  }, [location.pathname, location.search]);

  const label = count > 0 ? translate('app.notifications.bell_unread', { smart_count: count }) : translate('app.notifications.bell');
  return (
    <Tooltip title={label}>
      <IconButton color="inherit" component={Link} to="/notifications" aria-label={label} data-testid="notification-bell" data-count={count}>
        <Badge badgeContent={count} color="error" max={99} data-testid="notification-count">
          <NotificationsIcon />
        </Badge>
      </IconButton>
    </Tooltip>
  );
}
