import { Box, LinearProgress, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import { useLocale, useTranslate } from 'react-admin';
import { formatDate, formatInteger } from '../format';
import { CompletionBar, formatPercent } from '../timeline/shared';
import { milestoneColumns, type UnitFigures } from './types';

export interface FiguresRow {
  id: number;
  /** The row's heading cell: a school's or a class's name. */
  head: ReactNode;
  figures: UnitFigures | null;
  /** Shown instead of the figures when there are none (no school year, no timeline). */
  note?: string;
}

/** A share of students (sealed, accepted) as a bar with its counts; a dash when there is nobody to count. */
function ShareBar({ n, total, percent, testId }: { n: number; total: number; percent: number | null; testId: string }) {
  const locale = useLocale();
  if (percent === null || total === 0) return <Typography variant="body2" color="text.secondary">—</Typography>;
  return (
    <Box sx={{ minWidth: 120 }} data-testid={testId}>
      <Box sx={{ display: 'flex', justifyContent: 'space-between', gap: 1 }}>
        <Typography variant="body2" sx={{ fontWeight: 600 }}>{formatPercent(percent, locale)}</Typography>
        <Typography variant="caption" color="text.secondary">{formatInteger(n, locale)}/{formatInteger(total, locale)}</Typography>
      </Box>
      <LinearProgress variant="determinate" value={Math.min(percent, 100)} color={percent >= 100 ? 'success' : 'primary'} sx={{ height: 6, borderRadius: 3 }} />
    </Box>
  );
}

/**
 * Schools or classes as rows, one column per timeline milestone (its completion bar, as the school's own timeline
 * page draws it), then the sealed share, the sync share with its counts per status, and the transcripts accepted.
 * Scrolls sideways inside its box on a phone; the heading column stays in view.
 */
export function FiguresTable({ rows, headLabel, onOpen, testId }: { rows: FiguresRow[]; headLabel: string; onOpen?: (id: number) => void; testId: string }) {
  const translate = useTranslate();
  const locale = useLocale();
  const columns = milestoneColumns(rows.map((r) => r.figures));
  const sticky = { position: 'sticky', left: 0, bgcolor: 'background.paper', zIndex: 1, minWidth: 140, maxWidth: 220 } as const;
  return (
    <Box sx={{ overflowX: 'auto', maxWidth: '100%' }}>
      <Table size="small" data-testid={testId}>
        <TableHead>
          <TableRow>
            <TableCell sx={sticky}>{headLabel}</TableCell>
            {columns.map((c) => (
              <TableCell key={c.key} sx={{ minWidth: 150, verticalAlign: 'bottom' }}>
                <Typography variant="caption" sx={{ fontWeight: 600, display: 'block', lineHeight: 1.3 }}>{c.title}</Typography>
                {c.due && <Typography variant="caption" color="text.secondary">{translate('app.office.due', { date: formatDate(c.due, locale) })}</Typography>}
              </TableCell>
            ))}
            <TableCell sx={{ minWidth: 130, verticalAlign: 'bottom' }}>{translate('app.office.col_signing')}</TableCell>
            <TableCell sx={{ minWidth: 170, verticalAlign: 'bottom' }}>{translate('app.office.col_sync')}</TableCell>
            <TableCell sx={{ verticalAlign: 'bottom' }} align="right">{translate('app.office.col_accepted')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((r) => (
            <TableRow key={r.id} hover={!!onOpen} onClick={onOpen ? () => onOpen(r.id) : undefined} sx={onOpen ? { cursor: 'pointer' } : undefined} data-testid={`${testId}-row`}>
              <TableCell sx={sticky}>
                {r.head}
                {r.figures && <Typography variant="caption" color="text.secondary" display="block">{translate('app.office.students', { n: formatInteger(r.figures.students, locale) })}</Typography>}
              </TableCell>
              {!r.figures ? (
                <TableCell colSpan={columns.length + 3}>
                  <Typography variant="body2" color="text.secondary" sx={{ fontStyle: 'italic' }}>{r.note}</Typography>
                </TableCell>
              ) : (
                <>
                  {columns.map((c) => {
                    const m = r.figures!.milestones.find((x) => x.key === c.key);
                    // A milestone that cannot count (a report filed outside the system) says why on hover, not in every row.
                    if (!m || !m.completion.available) return <TableCell key={c.key} title={m?.completion.reason}>—</TableCell>;
                    return <TableCell key={c.key}><CompletionBar completion={m.completion} /></TableCell>;
                  })}
                  <TableCell><ShareBar n={r.figures.signing.sealed} total={r.figures.signing.students} percent={r.figures.signing.percent} testId="office-signing" /></TableCell>
                  <TableCell>
                    <ShareBar n={r.figures.sync.accepted} total={r.figures.sync.students} percent={r.figures.sync.percent} testId="office-sync" />
                    <Typography variant="caption" color="text.secondary" display="block">{translate('app.office.sync_counts', r.figures.sync.counts)}</Typography>
                  </TableCell>
                  <TableCell align="right" data-testid="office-accepted">{formatInteger(r.figures.transcriptsAccepted, locale)}</TableCell>
                </>
              )}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}
