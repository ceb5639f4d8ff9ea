import VerifiedIcon from '@mui/icons-material/Verified';
import { Alert, Box, Button, Card, CardContent, Chip, CircularProgress, MenuItem, Stack, Tab, Table, TableBody, TableCell, TableHead, TableRow, Tabs, TextField, Typography } from '@mui/material';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Confirm, Title, useGetIdentity, useLocale, useNotify, useTranslate } from 'react-admin';
import { useSearchParams } from 'react-router-dom';
import { canApproveResultLists, canEnterSummerResults, canReadClassResults, canReadSchoolResults } from '../../../domain/permissions';
import { apiCall, errorBody, errorText } from '../api/client';
import { ReasonDialog } from '../common/ReasonDialog';
import type { PortalIdentity } from '../auth/authProvider';
import { formatDateTime } from '../format';
import { ExportButton } from '../common/ExportButton';
import { displayValue } from '../common/scores';
import { useGradebookChoices } from '../common/useGradebookChoices';
import { YearSelect } from '../common/YearSelect';

const LISTS = ['promotion', 'retest', 'summer_training', 'awards'] as const;
type ListName = (typeof LISTS)[number];
interface Item {
  studentId: number;
  studentCode: string;
  fullName: string;
  classId: number;
  className: string;
  decision?: string;
  heldBackReasons?: string[];
  subjects?: string[];
  conductYear?: string;
  afterSummerTraining?: string | null;
  award?: string;
}
interface Approval {
  id: number;
  version: number;
  approvedAt: string;
  approvedBy: { id: number; fullName: string };
  differs: boolean;
}
/** GET /api/results/lists (server/results/lists.ts). */
interface Lists {
  schoolYearId: number;
  classId: number | null;
  lists: Record<ListName, { items: Item[]; approval: Approval | null }>;
  readiness: Readiness;
}
/** Whether the lists may be approved yet, and what is missing (server/results/lists.ts, readinessOf). */
interface Readiness {
  ready: boolean;
  students: number;
  incompleteStudents: number;
  missing: Array<{ className: string; what: 'subject' | 'conduct' | 'other'; subjectName: string | null; semester: string | null; students: number }>;
}
interface RetestRecord {
  id: number;
  studentId: number;
  subjectId: number;
  subjectCode: string;
  value: string;
  original: string | null;
}
interface SummerRecord {
  id: number;
  studentId: number;
  conduct: string;
  original: string | null;
}

const num = (v: string | null) => (v && /^\d+$/.test(v) ? Number(v) : null);

/**
 * The lists the principal approves (TT22 Điều 12–15): promotion, retest, summer training and awards, per class or
 * for the whole school, with each list's approval status. Giáo vụ / admin enter the retest and summer-training
 * results here; they replace only what Điều 13–14 say, and the original stays shown beside them.
 */
export function ResultListsPage() {
  const translate = useTranslate();
  const locale = useLocale();
  const notify = useNotify();
  const { identity } = useGetIdentity();
  const user = (identity as PortalIdentity | undefined)?.user;
  const principal = user?.principal;
  const [params, setParams] = useSearchParams();
  const choices = useGradebookChoices(num(params.get('yearId')));
  /** The same page for another scope, list or year (another year starts at its default scope). */
  const go = (next: { scope?: string; list?: string; yearId?: number }) => {
    const y = next.yearId ?? choices.year?.id;
    const sameYear = !next.yearId || next.yearId === choices.year?.id;
    setParams({ ...(y ? { yearId: String(y) } : {}), ...(sameYear ? { scope: next.scope ?? scope } : {}), list: next.list ?? tab });
  };
  const schoolWide = !!principal && !!user && canReadSchoolResults(principal, user.schoolId);
  const classes = useMemo(() => (principal ? choices.allClasses.filter((c) => canReadClassResults(principal, { schoolId: c.schoolId, classId: c.id, grade: c.grade })) : []), [principal, choices.allClasses]);
  const scope = params.get('scope') ?? (schoolWide ? 'school' : classes[0] ? String(classes[0].id) : '');
  const classId = scope === 'school' ? null : num(scope);
  const tab = (LISTS as readonly string[]).includes(params.get('list') ?? '') ? (params.get('list') as ListName) : 'promotion';
  const [data, setData] = useState<Lists | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState(false);
  const [records, setRecords] = useState<{ retest: RetestRecord[]; summer: SummerRecord[] }>({ retest: [], summer: [] });
  const canApprove = !!principal && !!user && canApproveResultLists(principal, user.schoolId);
  const canEnter = !!principal && !!user && canEnterSummerResults(principal, user.schoolId);
  const yearId = choices.year?.id;

  const load = useCallback(async () => {
    if (!yearId || (!classId && scope !== 'school')) return;
    setError(null);
    try {
      setData(await apiCall<Lists>(`/results/lists?schoolYearId=${yearId}${classId ? `&classId=${classId}` : ''}`));
      const filter = encodeURIComponent(JSON.stringify({ schoolYearId: yearId, ...(classId ? { classId } : {}) }));
      const [retest, summer] = await Promise.all([
        apiCall<RetestRecord[]>(`/retest-results?filter=${filter}&range=[0,999]`),
        apiCall<SummerRecord[]>(`/summer-training-results?filter=${filter}&range=[0,999]`),
      ]);
      setRecords({ retest, summer });
    } catch (e) {
      setError(errorBody(e).message);
    }
  }, [yearId, classId, scope]);
  useEffect(() => void load(), [load]);

  const approve = async () => {
    setConfirm(false);
    try {
      await apiCall('/results/lists/approve', { method: 'POST', body: { schoolYearId: yearId, list: tab, ...(classId ? { classId } : {}) } });
      notify('app.results.approved_done', { type: 'success' });
      await load();
    } catch (e) {
      notify(errorBody(e).message, { type: 'error' });
    }
  };

  const list = data?.lists[tab];
  const subjectIdOf = (code: string) => choices.subjectByCode(code)?.id;
  const subjectName = (code: string) => choices.subjectByCode(code)?.name ?? code;
  return (
    <Box sx={{ mt: 1 }}>
      <Title title={translate('app.results.lists_title')} />
      <Card sx={{ mb: 1 }}>
        <CardContent sx={{ pb: '12px !important' }}>
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
          <YearSelect years={choices.years} value={choices.year?.id} onChange={(id) => go({ yearId: id })} />
          <TextField select size="small" label={translate('app.results.scope')} value={scope} onChange={(e) => go({ scope: e.target.value })} sx={{ minWidth: 200 }}>
            {schoolWide && <MenuItem value="school">{translate('app.results.whole_school')}</MenuItem>}
            {classes.map((c) => (
              <MenuItem key={c.id} value={String(c.id)}>
                {translate('app.results.class_n', { name: c.name })}
              </MenuItem>
            ))}
          </TextField>
          <Box sx={{ flex: 1 }} />
          <Box sx={{ alignSelf: 'center' }}>
            {/* The four lists of this scope, one sheet each. */}
            <ExportButton path={data && yearId ? `/exports/result-lists.xlsx?schoolYearId=${yearId}${classId ? `&classId=${classId}` : ''}` : null} />
          </Box>
          </Stack>
        </CardContent>
      </Card>
      {error && <Alert severity="error">{error}</Alert>}
      <Tabs value={tab} onChange={(_, v) => go({ list: v })} sx={{ mb: 1 }}>
        {LISTS.map((l) => (
          <Tab key={l} value={l} label={`${translate(`app.results.list.${l}`)}${data ? ` (${data.lists[l].items.length})` : ''}`} />
        ))}
      </Tabs>
      {!data && !error && <CircularProgress sx={{ m: 4 }} />}
      {list && (
        <>
          <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mb: 1 }} data-testid="approval-status">
            {list.approval ? (
              <Chip
                icon={<VerifiedIcon />}
                color={list.approval.differs ? 'warning' : 'success'}
                label={translate(list.approval.differs ? 'app.results.approval_outdated' : 'app.results.approval_ok', {
                  version: list.approval.version,
                  name: list.approval.approvedBy.fullName,
                  time: formatDateTime(list.approval.approvedAt, locale),
                })}
              />
            ) : (
              <Chip label={translate('app.results.not_approved')} variant="outlined" />
            )}
            <Box sx={{ flex: 1 }} />
            {canApprove && (
              <Button variant="contained" startIcon={<VerifiedIcon />} onClick={() => setConfirm(true)} disabled={!data.readiness.ready || (!!list.approval && !list.approval.differs)}>
                {translate('app.results.approve')}
              </Button>
            )}
          </Stack>
          {!data.readiness.ready && <NotReady readiness={data.readiness} />}
          {list.items.length === 0 ? (
            <Alert severity="info">{translate('app.results.empty_list')}</Alert>
          ) : (
            <Table size="small" sx={{ bgcolor: 'background.paper' }}>
              <TableHead>
                <TableRow>
                  <TableCell>{translate('app.gradebook.no')}</TableCell>
                  <TableCell>{translate('app.gradebook.student')}</TableCell>
                  <TableCell>{translate('app.gradebook.class')}</TableCell>
                  <TableCell>{translate(`app.results.list_detail.${tab}`)}</TableCell>
                  {canEnter && (tab === 'retest' || tab === 'summer_training') && <TableCell>{translate('app.results.enter_result')}</TableCell>}
                </TableRow>
              </TableHead>
              <TableBody>
                {list.items.map((it, i) => (
                  <TableRow key={it.studentId}>
                    <TableCell>{i + 1}</TableCell>
                    <TableCell>
                      {it.fullName} <Typography component="span" variant="caption" color="text.secondary">({it.studentCode})</Typography>
                    </TableCell>
                    <TableCell>{it.className}</TableCell>
                    <TableCell>
                      {tab === 'promotion' && (
                        <>
                          {translate(`app.results.decision.${it.decision}`)}
                          {it.heldBackReasons && it.heldBackReasons.length > 0 && ` (${it.heldBackReasons.map((r) => translate(`app.results.held_back.${r}`)).join(', ')})`}
                        </>
                      )}
                      {tab === 'retest' && it.subjects?.map(subjectName).join(', ')}
                      {tab === 'summer_training' && (
                        <>
                          {translate('app.results.conduct_year', { level: translate(`app.choices.result.${it.conductYear}`) })}
                          {it.afterSummerTraining && ` → ${translate(`app.choices.result.${it.afterSummerTraining}`)}`}
                        </>
                      )}
                      {tab === 'awards' && it.award && translate(`app.results.award.${it.award}`)}
                    </TableCell>
                    {canEnter && tab === 'retest' && (
                      <TableCell>
                        {(it.subjects ?? []).map((code) => {
                          const rec = records.retest.find((r) => r.studentId === it.studentId && r.subjectCode === code);
                          return rec ? (
                            <Typography key={code} variant="body2">
                              {subjectName(code)}: {displayValue(rec.original, locale) || '—'} → <strong>{displayValue(rec.value, locale)}</strong>
                              <RemoveRecord path={`/retest-results/${rec.id}`} onDone={load} />
                            </Typography>
                          ) : (
                            <RecordEntry key={code} label={subjectName(code)} placeholder="8,5 / Đ" onSubmit={(value) => apiCall('/retest-results', { method: 'POST', body: { schoolYearId: yearId, studentId: it.studentId, subjectId: subjectIdOf(code), value } }).then(load)} />
                          );
                        })}
                      </TableCell>
                    )}
                    {canEnter && tab === 'summer_training' && (
                      <TableCell>
                        {(() => {
                          const rec = records.summer.find((r) => r.studentId === it.studentId);
                          return rec ? (
                            <Typography variant="body2">
                              {translate(`app.choices.result.${rec.original ?? it.conductYear}`)} → <strong>{translate(`app.choices.result.${rec.conduct}`)}</strong>
                              <RemoveRecord path={`/summer-training-results/${rec.id}`} onDone={load} />
                            </Typography>
                          ) : (
                            <RecordEntry label={translate('app.results.conduct')} options={['T', 'K', 'D', 'CD']} onSubmit={(conduct) => apiCall('/summer-training-results', { method: 'POST', body: { schoolYearId: yearId, studentId: it.studentId, conduct } }).then(load)} />
                          );
                        })()}
                      </TableCell>
                    )}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </>
      )}
      <Confirm
        isOpen={confirm}
        title={translate('app.results.approve_title', { list: translate(`app.results.list.${tab}`) })}
        content={translate('app.results.approve_content', { count: list?.items.length ?? 0 })}
        onConfirm={() => void approve()}
        onClose={() => setConfirm(false)}
      />
    </Box>
  );
}

/** Why the lists cannot be approved yet: how many students are incomplete, and the widest gaps by class and subject. */
function NotReady({ readiness }: { readiness: Readiness }) {
  const translate = useTranslate();
  const shown = readiness.missing.slice(0, 8);
  const what = (g: Readiness['missing'][number]) =>
    g.what === 'conduct' ? translate('app.results.missing_conduct') : g.what === 'subject' ? (g.subjectName ?? '') : translate('app.results.missing_other');
  return (
    <Alert severity="warning" sx={{ mb: 1 }} data-testid="lists-not-ready">
      {readiness.students === 0
        ? translate('app.results.no_students')
        : translate('app.results.not_ready', { count: readiness.incompleteStudents, total: readiness.students })}
      {shown.length > 0 && (
        <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
          {shown.map((g) => (
            <li key={`${g.className}|${g.what}|${g.subjectName}|${g.semester}`}>
              {translate('app.results.missing_line', {
                className: g.className,
                what: what(g),
                semester: g.semester === 'hk1' ? 'I' : g.semester === 'hk2' ? 'II' : '',
                count: g.students,
              })}
            </li>
          ))}
          {readiness.missing.length > shown.length && <li>{translate('app.results.missing_more', { count: readiness.missing.length - shown.length })}</li>}
        </Box>
      )}
    </Alert>
  );
}

/** One small inline entry (a retest value, or a conduct level after summer training) with its own error. */
/** Removes a mistyped retest or summer-training result (the reason goes to the audit trail) so it can be entered again. */
function RemoveRecord({ path, onDone }: { path: string; onDone: () => Promise<unknown> | void }) {
  const translate = useTranslate();
  const notify = useNotify();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="small" color="error" sx={{ ml: 1, minWidth: 0 }} onClick={() => setOpen(true)}>
        {translate('app.results.remove_record')}
      </Button>
      <ReasonDialog
        open={open}
        title={translate('app.results.remove_record_title')}
        label={translate('app.results.remove_record_reason')}
        required
        confirmLabel={translate('app.results.remove_record')}
        onClose={() => setOpen(false)}
        onConfirm={(reason) => {
          setOpen(false);
          apiCall(path, { method: 'DELETE', body: { reason } })
            .then(onDone)
            .catch((e: unknown) => notify(errorBody(e).message, { type: 'error' }));
        }}
      />
    </>
  );
}

function RecordEntry({ label, placeholder, options, onSubmit }: { label: string; placeholder?: string; options?: string[]; onSubmit: (value: string) => Promise<unknown> }) {
  const translate = useTranslate();
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await onSubmit(value);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center', my: 0.5 }}>
      <TextField size="small" select={!!options} label={label} placeholder={placeholder} value={value} onChange={(e) => setValue(e.target.value)} error={!!error} helperText={error ?? undefined} sx={{ width: 150 }}>
        {options?.map((o) => (
          <MenuItem key={o} value={o}>
            {translate(`app.choices.result.${o}`)}
          </MenuItem>
        ))}
      </TextField>
      <Button size="small" variant="outlined" disabled={busy || value.trim() === ''} onClick={() => void submit()}>
        {translate('ra.action.save')}
      </Button>
    </Stack>
  );
}
