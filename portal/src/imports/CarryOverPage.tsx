import { Alert, Box, Button, Card, CardContent, Chip, LinearProgress, MenuItem, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { Confirm, Title, useGetList, useNotify, useTranslate } from 'react-admin';
import { apiCall, errorBody } from '../api/client';
import { formatDate, parseVnDate } from '../format';

interface Year {
  id: number;
  name: string;
  startDate: string;
  endDate: string;
  isCurrent: boolean;
}
/** POST /api/carry-over (server/carryover/routes.ts). */
interface CarryOverReport {
  dryRun: boolean;
  from: { id: number; name: string };
  schoolYear: { id: number | null; name: string; startDate: string; endDate: string };
  counts: Record<string, number>;
  byGrade: Array<{ grade: number; classes: number; students: number; promoted: number; heldBack: number }>;
  classes: Array<{ name: string; grade: number; from: string | null; students: number; promoted: number; heldBack: number }>;
  heldBack: Array<{ studentId: number; fullName: string; studentCode: string; className: string; toClass: string }>;
  graduates: Array<{ studentId: number; fullName: string; studentCode: string; className: string }>;
  warnings: string[];
}

/** The usual calendar of the next year, to start from: 05/09 – 31/05, semester II from the third week of January. */
function proposal(from: Year | undefined) {
  if (!from) return null;
  const second = Number(from.name.split('-')[1]);
  return {
    toName: `${second}-${second + 1}`,
    startDate: formatDate(`${second}-09-05`),
    endDate: formatDate(`${second + 1}-05-31`),
    s1Start: formatDate(`${second}-09-05`),
    s1End: formatDate(`${second + 1}-01-16`),
    s2Start: formatDate(`${second + 1}-01-19`),
    s2End: formatDate(`${second + 1}-05-31`),
  };
}

/**
 * Kết chuyển năm học: classes move up a grade, promoted students follow, held-back students stay, graduates leave
 * (issue 3). A dry run shows exactly what would happen; "Kết chuyển" does it in one transaction.
 */
export function CarryOverPage() {
  const translate = useTranslate();
  const notify = useNotify();
  const { data: years } = useGetList<Year>('school-years', { pagination: { page: 1, perPage: 100 }, sort: { field: 'startDate', order: 'DESC' } });
  const [fromId, setFromId] = useState<number | null>(null);
  const from = years?.find((y) => y.id === fromId) ?? years?.find((y) => y.isCurrent);
  const [form, setForm] = useState<ReturnType<typeof proposal>>(null);
  const [report, setReport] = useState<CarryOverReport | null>(null);
  const [errors, setErrors] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState(false);
  useEffect(() => setForm(proposal(from)), [from]);

  const body = (dryRun: boolean) => {
    const d = (v: string) => parseVnDate(v) ?? v;
    return {
      fromSchoolYearId: from!.id,
      toName: form!.toName.trim(),
      startDate: d(form!.startDate),
      endDate: d(form!.endDate),
      semesters: [
        { number: 1, startDate: d(form!.s1Start), endDate: d(form!.s1End) },
        { number: 2, startDate: d(form!.s2Start), endDate: d(form!.s2End) },
      ],
      dryRun,
    };
  };
  const run = async (dryRun: boolean) => {
    setBusy(true);
    setErrors(null);
    try {
      const r = await apiCall<CarryOverReport>('/carry-over', { method: 'POST', body: body(dryRun) });
      setReport(r);
      if (!dryRun) notify('app.carry_over.done', { type: 'success', messageArgs: { name: r.schoolYear.name } });
    } catch (e) {
      const b = errorBody(e);
      setErrors({ message: b.message, fields: b.errors });
    } finally {
      setBusy(false);
    }
  };

  if (!years || !form || !from) return <LinearProgress />;
  const field = (key: keyof NonNullable<typeof form>, label: string, apiField: string) => (
    <TextField size="small" label={label} value={form[key]} onChange={(e) => (setForm({ ...form, [key]: e.target.value }), setReport(null))} error={!!errors?.fields[apiField]} helperText={errors?.fields[apiField]} sx={{ width: 170 }} />
  );
  return (
    <Box sx={{ mt: 1 }}>
      <Title title={translate('app.carry_over.title')} />
      <Card sx={{ mb: 1 }}>
        <CardContent>
          <Typography variant="body2" sx={{ mb: 2 }}>
            {translate('app.carry_over.help')}
          </Typography>
          <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap', mb: 2 }}>
            <TextField select size="small" label={translate('app.carry_over.from')} value={from.id} onChange={(e) => (setFromId(Number(e.target.value)), setReport(null))} sx={{ width: 170 }}>
              {years.map((y) => (
                <MenuItem key={y.id} value={y.id}>
                  {y.name}
                </MenuItem>
              ))}
            </TextField>
            {field('toName', translate('app.carry_over.to'), 'toName')}
            {field('startDate', translate('app.carry_over.start'), 'startDate')}
            {field('endDate', translate('app.carry_over.end'), 'endDate')}
          </Stack>
          <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap', mb: 2 }}>
            {field('s1Start', translate('app.carry_over.s1_start'), 'semesters.0.startDate')}
            {field('s1End', translate('app.carry_over.s1_end'), 'semesters.0.endDate')}
            {field('s2Start', translate('app.carry_over.s2_start'), 'semesters.1.startDate')}
            {field('s2End', translate('app.carry_over.s2_end'), 'semesters.1.endDate')}
          </Stack>
          <Stack direction="row" spacing={2}>
            <Button variant="outlined" disabled={busy} onClick={() => void run(true)}>
              {translate('app.carry_over.preview')}
            </Button>
            <Button variant="contained" disabled={busy || !report?.dryRun} onClick={() => setConfirm(true)}>
              {translate('app.carry_over.commit')}
            </Button>
          </Stack>
          {busy && <LinearProgress sx={{ mt: 2 }} />}
        </CardContent>
      </Card>
      {errors && <Alert severity="error">{[errors.message, ...Object.values(errors.fields)].join(' ')}</Alert>}
      {report && (
        <Box data-testid="carry-over-report">
          <Alert severity={report.dryRun ? 'info' : 'success'} sx={{ mb: 1 }}>
            {translate(report.dryRun ? 'app.carry_over.preview_title' : 'app.carry_over.done', { name: report.schoolYear.name })}
          </Alert>
          <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', mb: 1 }}>
            {Object.entries(report.counts).map(([k, n]) => (
              <Chip key={k} label={`${translate(`app.carry_over.count.${k}`, { _: k })}: ${n}`} />
            ))}
          </Stack>
          {report.warnings.map((w, i) => (
            <Alert key={i} severity="warning" sx={{ mb: 1 }}>
              {w}
            </Alert>
          ))}
          <Table size="small" sx={{ bgcolor: 'background.paper', mb: 2 }}>
            <TableHead>
              <TableRow>
                <TableCell>{translate('app.carry_over.new_class')}</TableCell>
                <TableCell>{translate('app.carry_over.old_class')}</TableCell>
                <TableCell>{translate('app.carry_over.count.students')}</TableCell>
                <TableCell>{translate('app.carry_over.count.promoted')}</TableCell>
                <TableCell>{translate('app.carry_over.count.heldBack')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {report.classes.map((c) => (
                <TableRow key={c.name}>
                  <TableCell>{c.name}</TableCell>
                  <TableCell>{c.from ?? '—'}</TableCell>
                  <TableCell>{c.students}</TableCell>
                  <TableCell>{c.promoted}</TableCell>
                  <TableCell>{c.heldBack}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {report.heldBack.length > 0 && (
            <>
              <Typography variant="subtitle2">{translate('app.carry_over.held_back_list')}</Typography>
              <ul>
                {report.heldBack.map((h) => (
                  <li key={h.studentId}>
                    {h.fullName} ({h.studentCode}) — {h.className} → {h.toClass}
                  </li>
                ))}
              </ul>
            </>
          )}
          {report.graduates.length > 0 && (
            <Typography variant="body2">{translate('app.carry_over.graduates', { count: report.graduates.length })}</Typography>
          )}
        </Box>
      )}
      <Confirm
        isOpen={confirm}
        title={translate('app.carry_over.confirm_title', { name: form.toName })}
        content={translate('app.carry_over.confirm_content')}
        onConfirm={() => {
          setConfirm(false);
          void run(false);
        }}
        onClose={() => setConfirm(false)}
      />
    </Box>
  );
}
