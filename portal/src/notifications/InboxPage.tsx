import DoneAllIcon from '@mui/icons-material/DoneAll';
import MarkEmailReadIcon from '@mui/icons-material/MarkEmailRead';
import NotificationsNoneIcon from '@mui/icons-material/NotificationsNone';
import {
  Alert,
  Box,
  Button,
  Card,
  Chip,
  CircularProgress,
  FormControlLabel,
  IconButton,
  List,
  ListItem,
  ListItemButton,
  Stack,
  Switch,
  Tooltip,
  Typography,
} from '@mui/material';
import { useCallback, useEffect, useState } from 'react';
import { Title, useLocale, useNotify, useTranslate } from 'react-admin';
import { Link, useNavigate } from 'react-router-dom';
import { apiCall, errorText, httpClient, API_URL } from '../api/client';
import { formatDateTime } from '../format';
import { gridLinks, inboxChanged, targetOf, type InboxItem } from './types';

const PAGE = 30;
const SHOWN_LINES = 4;

/**
 * Thông báo: the signed-in user's reminders, escalations and reports, newest first, unread in bold. Clicking one
 * marks it read and opens the grid it is about; every grid it names is a chip below its lines.
 */
export function InboxPage() {
  const translate = useTranslate();
  const locale = useLocale();
  const notify = useNotify();
  const navigate = useNavigate();
  const [items, setItems] = useState<InboxItem[] | null>(null);
  const [total, setTotal] = useState(0);
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<Set<number>>(new Set());

  const load = useCallback(
    async (from: number, replace: boolean) => {
      try {
        const filter = unreadOnly ? `&filter=${encodeURIComponent(JSON.stringify({ read: false }))}` : '';
        const { json, headers } = await httpClient(`${API_URL}/notifications?range=${encodeURIComponent(JSON.stringify([from, from + PAGE - 1]))}${filter}`);
        const range = headers.get('Content-Range') ?? '';
        setTotal(Number(range.split('/')[1] ?? 0) || 0);
        setItems((cur) => (replace || !cur ? (json as InboxItem[]) : [...cur, ...(json as InboxItem[])]));
        setError(null);
      } catch (e) {
        setError(errorText(e));
      }
    },
    [unreadOnly],
  );

  useEffect(() => {
    setItems(null);
    void load(0, true);
  }, [load]);

  const markRead = async (body: { ids: number[] } | { all: true }) => {
    try {
      await apiCall('/notifications/read', { method: 'POST', body });
      setItems((cur) => cur?.map((n) => ('all' in body || body.ids.includes(n.id) ? { ...n, read: true } : n)) ?? null);
      inboxChanged();
    } catch (e) {
      notify(errorText(e), { type: 'error' });
    }
  };

  const open = async (n: InboxItem) => {
    if (!n.read) await markRead({ ids: [n.id] });
    const to = targetOf(n);
    if (to) navigate(to);
  };

  const unread = items?.filter((n) => !n.read).length ?? 0;
  return (
    <Box sx={{ mt: 1, maxWidth: 960 }}>
      <Title title={translate('app.notifications.title')} />
      <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', mb: 1, flexWrap: 'wrap' }}>
        <FormControlLabel control={<Switch checked={unreadOnly} onChange={(e) => setUnreadOnly(e.target.checked)} />} label={translate('app.notifications.unread_only')} />
        <Box sx={{ flex: 1 }} />
        <Button startIcon={<DoneAllIcon />} onClick={() => void markRead({ all: true })} disabled={!items || items.length === 0} data-testid="mark-all-read">
          {translate('app.notifications.mark_all_read')}
        </Button>
      </Stack>
      {error && <Alert severity="error">{error}</Alert>}
      {!error && !items && <CircularProgress sx={{ m: 4 }} />}
      {items && items.length === 0 && (
        <Card variant="outlined" sx={{ p: 4, textAlign: 'center' }} data-testid="inbox-empty">
          <NotificationsNoneIcon color="disabled" sx={{ fontSize: 48 }} />
          <Typography variant="h6">{translate(unreadOnly ? 'app.notifications.empty_unread' : 'app.notifications.empty')}</Typography>
          <Typography variant="body2" color="text.secondary">
            {translate('app.notifications.empty_help')}
          </Typography>
        </Card>
      )}
      {items && items.length > 0 && (
        <Card>
          <List disablePadding>
            {items.map((n) => {
              const links = gridLinks(n);
              const more = expanded.has(n.id);
              const lines = more ? n.lines : n.lines.slice(0, SHOWN_LINES);
              return (
                <ListItem
                  key={n.id}
                  divider
                  disablePadding
                  data-testid="inbox-item"
                  data-unread={!n.read}
                  sx={{ bgcolor: n.read ? undefined : 'action.hover', alignItems: 'flex-start', display: 'block' }}
                >
                  <Box sx={{ width: '100%', position: 'relative' }}>
                    {!n.read && (
                      <Tooltip title={translate('app.notifications.mark_read')}>
                        <IconButton
                          size="small"
                          onClick={() => void markRead({ ids: [n.id] })}
                          aria-label={translate('app.notifications.mark_read')}
                          sx={{ position: 'absolute', top: 4, right: 4, zIndex: 1 }}
                        >
                          <MarkEmailReadIcon fontSize="small" />
                        </IconButton>
                      </Tooltip>
                    )}
                    <ListItemButton onClick={() => void open(n)} sx={{ display: 'block', py: 1, pr: 6 }} data-testid="inbox-open">
                      <Typography variant="caption" color="text.secondary">
                        {formatDateTime(n.at, locale)}
                      </Typography>
                      <Typography sx={{ fontWeight: n.read ? 400 : 700, overflowWrap: 'anywhere' }} data-testid="inbox-title">
                        {n.title}
                      </Typography>
                      {lines.map((l, i) => (
                        <Typography key={i} variant="body2" color="text.secondary" sx={{ overflowWrap: 'anywhere' }}>
                          {l}
                        </Typography>
                      ))}
                    </ListItemButton>
                    {(n.lines.length > SHOWN_LINES || links.length > 0) && (
                      <Stack direction="row" spacing={0.5} useFlexGap sx={{ flexWrap: 'wrap', px: 2, pb: 1 }}>
                        {n.lines.length > SHOWN_LINES && (
                          <Button size="small" onClick={() => setExpanded((s) => new Set(more ? [...s].filter((x) => x !== n.id) : [...s, n.id]))}>
                            {translate(more ? 'app.notifications.fewer' : 'app.notifications.more_lines', { count: n.lines.length - SHOWN_LINES })}
                          </Button>
                        )}
                        {links.slice(0, more ? links.length : 6).map((l) => (
                          <Chip key={l.to} size="small" variant="outlined" clickable component={Link} to={l.to} label={l.label} onClick={() => !n.read && void markRead({ ids: [n.id] })} />
                        ))}
                      </Stack>
                    )}
                  </Box>
                </ListItem>
              );
            })}
          </List>
          {items.length < total && (
            <Box sx={{ p: 1, textAlign: 'center' }}>
              <Button onClick={() => void load(items.length, false)}>{translate('app.notifications.load_more', { count: total - items.length })}</Button>
            </Box>
          )}
        </Card>
      )}
      {items && items.length > 0 && (
        <Typography variant="caption" color="text.secondary" sx={{ display: 'block', mt: 1 }}>
          {translate('app.notifications.summary', { shown: items.length, total, unread })}
        </Typography>
      )}
    </Box>
  );
}
