import { Button, Card, CardContent, MenuItem, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { useGetList, useNotify, useTranslate } from 'react-admin';
import { apiCall, errorText } from '../api/client';
import type { Digitisation, Entry, EntrySubject, LevelCode } from './types';

export type EntryTarget = { kind: 'first' } | { kind: 'edit'; row: Digitisation } | { kind: 'second'; row: Digitisation };

const ALL = { page: 1, perPage: 1000 };
const LEVELS: Exclude<LevelCode, null>[] = ['T', 'K', 'D', 'CD'];
type Named = { id: number; name?: string; fullName?: string; status?: string; assessmentType?: string };

const emptyEntry = (): Entry => ({
  subjects: [],
  summary: { learning: { hk1: null, hk2: null, year: null }, conduct: { hk1: null, hk2: null, year: null }, absences: 0, promoted: true, homeroomComment: null },
  homeroomStaffId: 0,
  principalStaffId: null,
});

/**
 * One reading of the paper book's page for a year: per subject HK I / HK II / cả năm, the comment and the teacher
 * of that year (staff current or departed), then the year's summary and the homeroom teacher. Scores are typed
 * as printed ("7,5"); comment subjects take Đ / CĐ. The second entry starts blank: it must be an independent reading.
 */
export function EntryForm({ target, onDone, onCancel }: { target: EntryTarget; onDone: () => void; onCancel: () => void }) {
  const translate = useTranslate();
  const notify = useNotify();
  const row = target.kind === 'first' ? null : target.row;
  const [yearId, setYearId] = useState<number | ''>(row?.schoolYearId ?? '');
  const [classId, setClassId] = useState<number | ''>(row?.classId ?? '');
  const [studentId, setStudentId] = useState<number | ''>(row?.studentId ?? '');
  const [entry, setEntry] = useState<Entry>(emptyEntry);
  const { data: years } = useGetList<Named>('school-years', { pagination: ALL, sort: { field: 'startDate', order: 'DESC' } });
  const { data: classes } = useGetList<Named>('classes', { pagination: ALL, sort: { field: 'name', order: 'ASC' }, filter: { schoolYearId: yearId } }, { enabled: yearId !== '' });
  const { data: students } = useGetList<Named>('students', { pagination: ALL, sort: { field: 'fullName', order: 'ASC' } });
  const { data: subjects } = useGetList<Named>('subjects', { pagination: ALL, sort: { field: 'id', order: 'ASC' } });
  const { data: staff } = useGetList<Named>('staff', { pagination: ALL, sort: { field: 'fullName', order: 'ASC' } });

  useEffect(() => {
    if (target.kind !== 'edit') return;
    apiCall<{ entry1: Entry }>(`/transcript-digitisations/${target.row.id}`).then((d) => setEntry(d.entry1), (e) => notify(errorText(e), { type: 'error' }));
  }, [target, notify]);

  const staffLabel = (s: Named) => `${s.fullName}${s.status === 'left' ? ` (${translate('app.digitisation.left')})` : ''}`;
  const rowOf = (subjectId: number) => entry.subjects.find((s) => s.subjectId === subjectId);
  const setSubject = (subjectId: number, patch: Partial<EntrySubject>) => {
    const current = rowOf(subjectId) ?? { subjectId, hk1: null, hk2: null, year: null, comment: null, teacherStaffId: 0 };
    const next = { ...current, ...patch };
    const others = entry.subjects.filter((s) => s.subjectId !== subjectId);
    const blank = !next.hk1 && !next.hk2 && !next.year && !next.comment && !next.teacherStaffId;
    setEntry({ ...entry, subjects: blank ? others : [...others, next].sort((a, b) => a.subjectId - b.subjectId) });
  };
  const setSummary = (patch: Partial<Entry['summary']>) => setEntry({ ...entry, summary: { ...entry.summary, ...patch } });
  const levelSelect = (group: 'learning' | 'conduct', key: 'hk1' | 'hk2' | 'year') => (
    <TextField select size="small" sx={{ minWidth: 90 }} label={translate(`app.digitisation.${key}`)} value={entry.summary[group][key] ?? ''} onChange={(e) => setSummary({ [group]: { ...entry.summary[group], [key]: (e.target.value || null) as LevelCode } })}>
      <MenuItem value="">—</MenuItem>
      {LEVELS.map((l) => (
        <MenuItem key={l} value={l}>{translate(`app.digitisation.level_${l}`)}</MenuItem>
      ))}
    </TextField>
  );

  const save = async () => {
    const body = { entry: { ...entry, subjects: entry.subjects.map((s) => ({ ...s, hk1: s.hk1 || null, hk2: s.hk2 || null, year: s.year || null, comment: s.comment || null })) } };
    try {
      if (target.kind === 'first') await apiCall('/transcript-digitisations', { method: 'POST', body: { studentId, schoolYearId: yearId, classId, ...body } });
      else if (target.kind === 'edit') await apiCall(`/transcript-digitisations/${target.row.id}/entry`, { method: 'PUT', body });
      else await apiCall(`/transcript-digitisations/${target.row.id}/second-entry`, { method: 'POST', body });
      notify(translate('app.digitisation.saved'), { type: 'success' });
      onDone();
    } catch (e) {
      notify(errorText(e), { type: 'error' });
    }
  };

  return (
    <Card sx={{ mb: 2 }} data-testid="digitisation-form">
      <CardContent>
        <Typography variant="h6" gutterBottom>{translate(`app.digitisation.form_${target.kind}`)}</Typography>
        <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} mb={2}>
          <TextField select size="small" sx={{ minWidth: 160 }} disabled={!!row} label={translate('app.digitisation.col_year')} value={yearId} onChange={(e) => setYearId(Number(e.target.value))}>
            {(years ?? []).map((y) => <MenuItem key={y.id} value={y.id}>{y.name}</MenuItem>)}
          </TextField>
          <TextField select size="small" sx={{ minWidth: 140 }} disabled={!!row} label={translate('app.digitisation.col_class')} value={classId} onChange={(e) => setClassId(Number(e.target.value))}>
            {(classes ?? []).map((c) => <MenuItem key={c.id} value={c.id}>{c.name}</MenuItem>)}
          </TextField>
          <TextField select size="small" sx={{ minWidth: 260 }} disabled={!!row} label={translate('app.digitisation.col_student')} value={studentId} onChange={(e) => setStudentId(Number(e.target.value))}>
            {(students ?? []).map((s) => <MenuItem key={s.id} value={s.id}>{s.fullName}</MenuItem>)}
          </TextField>
        </Stack>
        <Table size="small">
          <TableHead>
            <TableRow>
              {['subject', 'hk1', 'hk2', 'year', 'comment', 'teacher'].map((h) => <TableCell key={h}>{translate(`app.digitisation.${h}`)}</TableCell>)}
            </TableRow>
          </TableHead>
          <TableBody>
            {(subjects ?? []).map((s) => {
              const r = rowOf(s.id);
              const cell = (key: 'hk1' | 'hk2' | 'year') => (
                <TextField size="small" sx={{ width: 70 }} placeholder={s.assessmentType === 'comment' ? 'Đ/CĐ' : '0–10'} value={r?.[key] ?? ''} onChange={(e) => setSubject(s.id, { [key]: e.target.value })} />
              );
              return (
                <TableRow key={s.id}>
                  <TableCell>{s.name}</TableCell>
                  <TableCell>{cell('hk1')}</TableCell>
                  <TableCell>{cell('hk2')}</TableCell>
                  <TableCell>{cell('year')}</TableCell>
                  <TableCell><TextField size="small" value={r?.comment ?? ''} onChange={(e) => setSubject(s.id, { comment: e.target.value })} /></TableCell>
                  <TableCell>
                    <TextField select size="small" sx={{ minWidth: 200 }} value={r?.teacherStaffId || ''} onChange={(e) => setSubject(s.id, { teacherStaffId: Number(e.target.value) })}>
                      {(staff ?? []).map((t) => <MenuItem key={t.id} value={t.id}>{staffLabel(t)}</MenuItem>)}
                    </TextField>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
        <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} mt={2} alignItems="center" flexWrap="wrap">
          <Typography variant="body2">{translate('app.digitisation.learning')}</Typography>
          {levelSelect('learning', 'hk1')}
          {levelSelect('learning', 'hk2')}
          {levelSelect('learning', 'year')}
          <Typography variant="body2">{translate('app.digitisation.conduct')}</Typography>
          {levelSelect('conduct', 'hk1')}
          {levelSelect('conduct', 'hk2')}
          {levelSelect('conduct', 'year')}
        </Stack>
        <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} mt={2}>
          <TextField size="small" type="number" label={translate('app.digitisation.absences')} value={entry.summary.absences} onChange={(e) => setSummary({ absences: Number(e.target.value) || 0 })} />
          <TextField select size="small" sx={{ minWidth: 160 }} label={translate('app.digitisation.promoted')} value={entry.summary.promoted === null ? '' : String(entry.summary.promoted)} onChange={(e) => setSummary({ promoted: e.target.value === '' ? null : e.target.value === 'true' })}>
            <MenuItem value="true">{translate('app.digitisation.yes')}</MenuItem>
            <MenuItem value="false">{translate('app.digitisation.no')}</MenuItem>
          </TextField>
          <TextField select size="small" sx={{ minWidth: 240 }} label={translate('app.digitisation.homeroom')} value={entry.homeroomStaffId || ''} onChange={(e) => setEntry({ ...entry, homeroomStaffId: Number(e.target.value) })}>
            {(staff ?? []).map((t) => <MenuItem key={t.id} value={t.id}>{staffLabel(t)}</MenuItem>)}
          </TextField>
          <TextField select size="small" sx={{ minWidth: 240 }} label={translate('app.digitisation.principal')} value={entry.principalStaffId ?? ''} onChange={(e) => setEntry({ ...entry, principalStaffId: e.target.value === '' ? null : Number(e.target.value) })}>
            <MenuItem value="">—</MenuItem>
            {(staff ?? []).map((t) => <MenuItem key={t.id} value={t.id}>{staffLabel(t)}</MenuItem>)}
          </TextField>
        </Stack>
        <TextField fullWidth multiline size="small" sx={{ mt: 2 }} label={translate('app.digitisation.homeroom_comment')} value={entry.summary.homeroomComment ?? ''} onChange={(e) => setSummary({ homeroomComment: e.target.value || null })} />
        <Stack direction="row" spacing={1} mt={2}>
          <Button variant="contained" onClick={() => void save()} disabled={target.kind === 'first' && (!yearId || !classId || !studentId)}>{translate('app.digitisation.save')}</Button>
          <Button onClick={onCancel}>{translate('app.digitisation.cancel')}</Button>
        </Stack>
      </CardContent>
    </Card>
  );
}
