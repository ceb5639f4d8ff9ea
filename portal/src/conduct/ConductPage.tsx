import SaveIcon from '@mui/icons-material/Save';
import { Alert, Box, Button, Card, CardContent, Chip, CircularProgress, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { memo, useCallback, useEffect, useMemo, useState } from 'react';
import { Title, useGetIdentity, useNotify, useTranslate } from 'react-admin';
import { useSearchParams } from 'react-router-dom';
import { canReadGradebook, canWriteConduct, type Principal } from '../../../domain/permissions';
import { apiCall, errorBody, errorText } from '../api/client';
import type { PortalIdentity } from '../auth/authProvider';
import { useUnsavedWarning } from '../common/useUnsavedWarning';
import { useGradebookChoices, type ClassChoice } from '../common/useGradebookChoices';

/** GET/PUT /api/gradebook/conduct (server/gradebook/routes.ts). */
interface ConductRow {
  student: { id: number; code: string; fullName: string };
  conduct: Level | null;
  absencesExcused: number;
  absencesUnexcused: number;
  homeroomComment: string | null;
  version: number;
}
interface ConductSheet {
  classId: number;
  semesterId: number;
  semesterNumber: number;
  canWrite: boolean;
  rows: ConductRow[];
}
type Level = 'T' | 'K' | 'D' | 'CD';
/** Kết quả rèn luyện (TT22 Điều 8): Tốt, Khá, Đạt, Chưa đạt. */
const LEVELS: Level[] = ['T', 'K', 'D', 'CD'];

/** Who reads a class's conduct sheet: the same rule the server applies (its homeroom teacher, or a class-wide reader). */
export function mayReadConduct(p: Principal, c: Pick<ClassChoice, 'schoolId' | 'id' | 'grade'>): boolean {
  const target = { schoolId: c.schoolId, classId: c.id, grade: c.grade, subjectId: 0, departmentId: null };
  return canWriteConduct(p, target) || canReadGradebook(p, target);
}

const num = (v: string | null) => (v && /^\d+$/.test(v) ? Number(v) : null);

/**
 * Rèn luyện & chuyên cần: the homeroom teacher enters each student's conduct level for the semester, the excused
 * and unexcused absences and the homeroom comment; everyone else who may read the class sees it read-only.
 */
export function ConductPage() {
  const translate = useTranslate();
  const { identity } = useGetIdentity();
  const principal = (identity as PortalIdentity | undefined)?.user.principal;
  const choices = useGradebookChoices();
  const [params, setParams] = useSearchParams();
  const classes = useMemo(() => (principal ? choices.allClasses.filter((c) => mayReadConduct(principal, c)) : []), [principal, choices.allClasses]);
  const classId = num(params.get('classId'));
  const semesterId = num(params.get('semesterId'));

  useEffect(() => {
    if (choices.loading || (classId && semesterId)) return;
    const own = classes.find((c) => choices.homeroomClassIds.includes(c.id)) ?? classes[0];
    const sem = semesterId ?? choices.current?.id;
    if (own && sem) setParams({ classId: String(classId ?? own.id), semesterId: String(sem) }, { replace: true });
  }, [choices, classes, classId, semesterId, setParams]);

  return (
    // minmax(0, 1fr): the table scrolls sideways inside the page instead of widening it (a 390 px phone).
    <Box sx={{ mt: 1, display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)' }}>
      <Title title={translate('app.conduct.title')} />
      <Card sx={{ mb: 1 }}>
        <CardContent sx={{ pb: '12px !important' }}>
          <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap' }}>
            <TextField select size="small" label={translate('app.gradebook.class')} value={classId && classes.some((c) => c.id === classId) ? classId : ''} onChange={(e) => setParams({ classId: String(e.target.value), semesterId: String(semesterId ?? '') })} sx={{ minWidth: 140 }}>
              {classes.map((c) => (
                <MenuItem key={c.id} value={c.id}>
                  {c.name}
                </MenuItem>
              ))}
            </TextField>
            <TextField select size="small" label={translate('app.gradebook.semester')} value={semesterId && choices.semesters.some((s) => s.id === semesterId) ? semesterId : ''} onChange={(e) => setParams({ classId: String(classId ?? ''), semesterId: String(e.target.value) })} sx={{ minWidth: 140 }}>
              {choices.semesters.map((s) => (
                <MenuItem key={s.id} value={s.id}>
                  {translate(`app.choices.semester.${s.number}`)}
                </MenuItem>
              ))}
            </TextField>
          </Stack>
        </CardContent>
      </Card>
      {!choices.loading && classes.length === 0 && <Alert severity="info">{translate('app.conduct.nothing')}</Alert>}
      {classId && semesterId && <ConductSheetView key={`${classId}:${semesterId}`} classId={classId} semesterId={semesterId} className={classes.find((c) => c.id === classId)?.name ?? ''} />}
    </Box>
  );
}

type Draft = Partial<Pick<ConductRow, 'conduct' | 'absencesExcused' | 'absencesUnexcused' | 'homeroomComment'>>;

function ConductSheetView({ classId, semesterId, className }: { classId: number; semesterId: number; className: string }) {
  const translate = useTranslate();
  const notify = useNotify();
  const [sheet, setSheet] = useState<ConductSheet | null>(null);
  const [drafts, setDrafts] = useState<Record<number, Draft>>({});
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const load = useCallback(async () => {
    try {
      setSheet(await apiCall<ConductSheet>(`/gradebook/conduct?classId=${classId}&semesterId=${semesterId}`));
      setDrafts({});
    } catch (e) {
      setError(errorBody(e).message);
    }
  }, [classId, semesterId]);
  useEffect(() => void load(), [load]);
  const dirty = Object.keys(drafts).length > 0;
  useUnsavedWarning(dirty);

  const onChange = useCallback((studentId: number, patch: Draft) => setDrafts((d) => ({ ...d, [studentId]: { ...d[studentId], ...patch } })), []);

  const save = async () => {
    if (!sheet) return;
    setSaving(true);
    try {
      const rows = sheet.rows
        .filter((r) => drafts[r.student.id])
        .map((r) => {
          const d = { ...r, ...drafts[r.student.id] };
          return { studentId: r.student.id, conduct: d.conduct, absencesExcused: d.absencesExcused, absencesUnexcused: d.absencesUnexcused, homeroomComment: d.homeroomComment?.trim() || null, version: r.version };
        });
      setSheet(await apiCall<ConductSheet>('/gradebook/conduct', { method: 'PUT', body: { classId, semesterId, rows } }));
      setDrafts({});
      notify('app.gradebook.saved', { type: 'success', messageArgs: { count: rows.length } });
    } catch (e) {
      notify(errorText(e), { type: 'error' });
      if (errorBody(e).status === 409) void load();
    } finally {
      setSaving(false);
    }
  };

  if (error) return <Alert severity="error">{error}</Alert>;
  if (!sheet) return <CircularProgress sx={{ m: 4 }} />;
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', minWidth: 0 }}>
      {/* On a phone the bar sticks to the bottom of the screen, so Lưu is always at hand. */}
      <Stack
        direction="row"
        spacing={1}
        sx={{
          alignItems: 'center',
          mb: 1,
          position: { xs: 'sticky', sm: 'static' },
          bottom: { xs: 0 },
          order: { xs: 2, sm: 0 },
          zIndex: 3,
          bgcolor: { xs: 'background.default', sm: 'transparent' },
          py: { xs: 1, sm: 0 },
        }}
      >
        <Typography variant="h6" component="h2" data-testid="conduct-title">
          {className} · {translate(`app.choices.semester.${sheet.semesterNumber}`)}
        </Typography>
        {!sheet.canWrite && <Chip size="small" label={translate('app.gradebook.read_only')} />}
        <Box sx={{ flex: 1 }} />
        {sheet.canWrite && (
          <Button variant="contained" size="small" startIcon={saving ? <CircularProgress size={16} color="inherit" /> : <SaveIcon />} disabled={!dirty || saving} onClick={() => void save()} data-testid="conduct-save">
            {translate('ra.action.save')}
          </Button>
        )}
      </Stack>
      <Box sx={{ overflowX: 'auto', order: 1 }}>
      <Box component="table" sx={tableSx}>
        <thead>
          <tr>
            <th>{translate('app.gradebook.no')}</th>
            <th style={{ textAlign: 'left' }}>{translate('app.gradebook.student')}</th>
            <th>{translate('app.conduct.conduct')}</th>
            <th>{translate('app.conduct.excused')}</th>
            <th>{translate('app.conduct.unexcused')}</th>
            <th>{translate('app.conduct.comment')}</th>
          </tr>
        </thead>
        <tbody>
          {sheet.rows.map((r, i) => (
            <ConductRowView key={r.student.id} index={i} row={r} draft={drafts[r.student.id]} canWrite={sheet.canWrite} onChange={onChange} />
          ))}
        </tbody>
      </Box>
      </Box>
      <Typography variant="caption" color="text.secondary" sx={{ display: 'block', mt: 1, order: 3 }}>
        {translate('app.conduct.help')}
      </Typography>
    </Box>
  );
}

const ConductRowView = memo(function ConductRowView({ index, row, draft, canWrite, onChange }: { index: number; row: ConductRow; draft: Draft | undefined; canWrite: boolean; onChange: (id: number, patch: Draft) => void }) {
  const translate = useTranslate();
  const v = { ...row, ...draft };
  const id = row.student.id;
  const count = (value: string) => Math.max(0, Math.min(300, Number.parseInt(value || '0', 10) || 0));
  return (
    <tr className={draft ? 'is-dirty' : undefined}>
      <td className="num">{index + 1}</td>
      <td className="name">{row.student.fullName}</td>
      <td>
        {canWrite ? (
          <select aria-label={translate('app.conduct.conduct')} value={v.conduct ?? ''} onChange={(e) => onChange(id, { conduct: (e.target.value || null) as Level | null })}>
            <option value="">—</option>
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {translate(`app.choices.result.${l}`)}
              </option>
            ))}
          </select>
        ) : v.conduct ? (
          translate(`app.choices.result.${v.conduct}`)
        ) : (
          '—'
        )}
      </td>
      <td>{canWrite ? <input type="number" min={0} max={300} value={v.absencesExcused} onChange={(e) => onChange(id, { absencesExcused: count(e.target.value) })} aria-label={translate('app.conduct.excused')} /> : v.absencesExcused}</td>
      <td>{canWrite ? <input type="number" min={0} max={300} value={v.absencesUnexcused} onChange={(e) => onChange(id, { absencesUnexcused: count(e.target.value) })} aria-label={translate('app.conduct.unexcused')} /> : v.absencesUnexcused}</td>
      <td style={{ width: '45%' }}>
        {canWrite ? <input className="wide" value={v.homeroomComment ?? ''} maxLength={2000} onChange={(e) => onChange(id, { homeroomComment: e.target.value })} aria-label={translate('app.conduct.comment')} /> : (v.homeroomComment ?? '')}
      </td>
    </tr>
  );
});

const tableSx = {
  width: '100%',
  borderCollapse: 'collapse',
  bgcolor: 'background.paper',
  fontSize: 14,
  '& th': { bgcolor: 'grey.100', fontWeight: 600, fontSize: 13, position: 'sticky', top: 0, zIndex: 1 },
  // The name column keeps names on one or two lines on a phone.
  '& td.name': { minWidth: { xs: 120, sm: 180 }, textAlign: 'left' },
  '& th, & td': { border: '1px solid', borderColor: 'divider', px: 1, py: 0.5, textAlign: 'center' },
  '& td.num': { color: 'text.secondary', width: 40 },
  '& tr.is-dirty td': { bgcolor: '#fff8e1' },
  '& select, & input': { font: 'inherit', border: '1px solid #ccc', borderRadius: '4px', padding: '2px 4px', bgcolor: 'transparent' },
  '& input[type=number]': { width: 64, textAlign: 'right' },
  '& input.wide': { width: '100%', boxSizing: 'border-box' },
} as const;
