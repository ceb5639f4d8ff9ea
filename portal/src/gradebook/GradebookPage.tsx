import EditNoteIcon from '@mui/icons-material/EditNote';
import KeyboardIcon from '@mui/icons-material/Keyboard';
import LockOpenIcon from '@mui/icons-material/LockOpen';
import RefreshIcon from '@mui/icons-material/Refresh';
import SaveIcon from '@mui/icons-material/Save';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import { Alert, Box, Button, Card, CardContent, Chip, CircularProgress, IconButton, MenuItem, Stack, TextField, ToggleButton, ToggleButtonGroup, Typography } from '@mui/material';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Confirm, Title, useLocale, useNotify, useTranslate } from 'react-admin';
import { useSearchParams } from 'react-router-dom';
import { errorBody, errorText } from '../api/client';
import { ExportButton } from '../common/ExportButton';
import { columnLabel, displayValue } from '../common/scores';
import { SemesterSelect } from '../common/SemesterSelect';
import { delegationLastDay, useGradebookChoices } from '../common/useGradebookChoices';
import { useUnsavedWarning } from '../common/useUnsavedWarning';
import { gradebookApi, type GradebookRef } from './api';
import { parseCell } from './cellValue';
import { ConflictDialog, CorrectionDialog, RefusedDialog, TestDateFixDialog, UnlockRequestDialog, type CellLine, type CorrectionLine } from './dialogs';
import { GradeGrid, moveDelta, type GridMeta, type Move } from './GradeGrid';
import { GridHeader } from './GridHeader';
import { ColumnEntry } from './ColumnEntry';
import { ScoreImportDialog } from './ScoreImportDialog';
import {
  buildPayload,
  currentText,
  focusCell,
  selectColumn,
  selectedCells,
  selectionOf,
  selectRow,
  initialState,
  isClosed,
  moveFocus,
  pasteBlock,
  problemsFromClosed,
  problemsFromErrors,
  reload,
  setCellText,
  splitKey,
  summarize,
  type GridState,
} from './gridState';
import { COMMENT_COL, type ClosedCell, type Kind, type StaleCell, type StaleComment } from './types';

const num = (v: string | null) => (v && /^\d+$/.test(v) ? Number(v) : null);

/**
 * Sổ điểm: pick a class × subject × semester, then enter scores in a spreadsheet-like grid (issue 3, "Score
 * entry"). The selection lives in the URL, so a reload or a shared link opens the same grade book.
 */
export function GradebookPage() {
  const translate = useTranslate();
  const [params, setParams] = useSearchParams();
  const choices = useGradebookChoices();
  const dirtyRef = useRef(false);
  const classId = num(params.get('classId'));
  const subjectId = num(params.get('subjectId'));
  const semesterId = num(params.get('semesterId'));

  // Default: the teacher's first assignment (else the first readable class × subject) in the current semester.
  useEffect(() => {
    if (choices.loading || (classId && subjectId && semesterId)) return;
    const first = choices.assignments[0] ?? choices.delegated[0] ?? (choices.classes[0] && { klass: choices.classes[0], subject: choices.subjectsOf(choices.classes[0].id)[0] });
    const sem = semesterId ?? choices.current?.id;
    if (!first || !first.subject || !sem) return;
    setParams({ classId: String(classId ?? first.klass.id), subjectId: String(subjectId ?? first.subject.id), semesterId: String(sem) }, { replace: true });
  }, [choices, classId, subjectId, semesterId, setParams]);

  const select = (next: Partial<GradebookRef>) => {
    if (dirtyRef.current && !window.confirm(translate('ra.message.unsaved_changes'))) return;
    const c = next.classId ?? classId;
    let s = next.subjectId ?? subjectId;
    // A new class may not have the previous subject (or the user may not read it there).
    if (c && next.classId && !choices.subjectsOf(c).some((x) => x.id === s)) s = choices.subjectsOf(c)[0]?.id ?? null;
    const sem = next.semesterId ?? semesterId;
    const out: Record<string, string> = {};
    if (c) out.classId = String(c);
    if (s) out.subjectId = String(s);
    if (sem) out.semesterId = String(sem);
    setParams(out);
  };

  // One object per selection: the sheet reloads when the grade book changes, never on an unrelated re-render.
  const ref = useMemo(() => (classId && subjectId && semesterId ? { classId, subjectId, semesterId } : null), [classId, subjectId, semesterId]);
  const onDirty = useCallback((d: boolean) => {
    dirtyRef.current = d;
  }, []);

  return (
    // On a desktop the page is exactly the window's height below the app bar and the grid takes what is left, so a
    // 1366×768 screen shows as many rows as fit (the header rows stay put); a phone scrolls the page instead.
    <Box sx={{ mt: 1, display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)', gridTemplateRows: { md: 'auto minmax(0, 1fr)' }, alignItems: 'start', height: { md: 'calc(100dvh - 56px)' } }}>
      <Title title={translate('app.gradebook.title')} />
      <Card sx={{ mb: 1, flexShrink: 0 }}>
        <CardContent sx={{ py: '8px !important' }}>
          {choices.assignments.length + choices.delegated.length > 0 && (
            // One line that scrolls sideways: a teacher with many classes does not push the grid down.
            <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'nowrap', overflowX: 'auto', mb: 1, pb: 0.25, alignItems: 'center' }} data-testid="my-assignments">
              <Typography variant="body2" color="text.secondary" sx={{ mr: 1, whiteSpace: 'nowrap' }}>
                {translate('app.gradebook.my_assignments')}:
              </Typography>
              {[...choices.assignments, ...choices.delegated].map((a) => (
                <Chip
                  key={`${a.klass.id}:${a.subject.id}`}
                  label={`${a.klass.name} · ${a.subject.name}${a.delegatedUntil ? ` ${translate('app.gradebook.delegated_until', { date: delegationLastDay(a.delegatedUntil) })}` : ''}`}
                  data-testid={a.delegatedUntil ? 'delegated-chip' : undefined}
                  color={a.klass.id === classId && a.subject.id === subjectId ? 'primary' : 'default'}
                  variant={a.klass.id === classId && a.subject.id === subjectId ? 'filled' : 'outlined'}
                  onClick={() => select({ classId: a.klass.id, subjectId: a.subject.id })}
                  size="small"
                />
              ))}
            </Stack>
          )}
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
            <TextField
              select
              size="small"
              label={translate('app.gradebook.class')}
              value={classId && choices.classes.some((c) => c.id === classId) ? classId : ''}
              onChange={(e) => select({ classId: Number(e.target.value) })}
              sx={{ minWidth: 140 }}
              slotProps={{ select: { MenuProps: { slotProps: { paper: { sx: { maxHeight: 400 } } } } } }}
            >
              {choices.classes.map((c) => (
                <MenuItem key={c.id} value={c.id}>
                  {c.name}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              select
              size="small"
              label={translate('app.gradebook.subject')}
              value={subjectId && classId && choices.subjectsOf(classId).some((s) => s.id === subjectId) ? subjectId : ''}
              onChange={(e) => select({ subjectId: Number(e.target.value) })}
              sx={{ minWidth: 260 }}
              disabled={!classId}
            >
              {(classId ? choices.subjectsOf(classId) : []).map((s) => (
                <MenuItem key={s.id} value={s.id}>
                  {s.name}
                </MenuItem>
              ))}
            </TextField>
            <SemesterSelect
              semesters={choices.semesters}
              value={semesterId && choices.semesters.some((s) => s.id === semesterId) ? semesterId : ''}
              onChange={(id) => select({ semesterId: id })}
              sx={{ minWidth: 140 }}
            />
          </Stack>
        </CardContent>
      </Card>
      {!choices.loading && choices.classes.length === 0 && <Alert severity="info">{translate('app.gradebook.nothing_to_read')}</Alert>}
      {ref && <GradebookSheet key={`${ref.classId}:${ref.subjectId}:${ref.semesterId}`} gradebook={ref} onDirtyChange={onDirty} />}
    </Box>
  );
}

type Conflict = Array<CellLine & { mine: string; theirs: string | null }>;

function GradebookSheet({ gradebook, onDirtyChange }: { gradebook: GradebookRef; onDirtyChange: (dirty: boolean) => void }) {
  const translate = useTranslate();
  const locale = useLocale();
  const notify = useNotify();
  const [state, setState] = useState<GridState | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [focusNonce, setFocusNonce] = useState(0);
  const [conflict, setConflict] = useState<{ lines: Conflict; drop: Array<{ studentId: number; key: string }> } | null>(null);
  const [refused, setRefused] = useState<{ message: string; lines: Array<CellLine & { reason: string }> } | null>(null);
  const [unlockLines, setUnlockLines] = useState<CellLine[] | null>(null);
  const [correction, setCorrection] = useState<CorrectionLine[] | null>(null);
  const [importing, setImporting] = useState(false);
  const stateRef = useRef(state);
  stateRef.current = state;

  const load = useCallback(
    async (drop?: Array<{ studentId: number; key: string }>, discard = false) => {
      try {
        const data = await gradebookApi.load(gradebook);
        setState((prev) => (prev ? reload(prev, data, drop, !discard) : initialState(data)));
        setLoadError(null);
      } catch (e) {
        setLoadError(errorBody(e).message || translate('ra.notification.http_error'));
      }
    },
    [gradebook, translate],
  );
  useEffect(() => void load(), [load]);

  const summary = useMemo(() => (state ? summarize(state) : { changed: 0, invalid: [] }), [state]);
  const dirty = summary.changed > 0;
  useUnsavedWarning(dirty);
  useEffect(() => {
    onDirtyChange(dirty);
  }, [dirty, onDirtyChange]);

  const display = useCallback((v: string | null) => displayValue(v, locale), [locale]);
  const studentName = (studentId: number) => stateRef.current?.data.rows.find((r) => r.student.id === studentId)?.student.fullName ?? String(studentId);

  // ── grid callbacks (stable: they read the latest state through stateRef / functional updates) ──
  const onFocusCell = useCallback((row: number, col: number, extend?: boolean) => setState((s) => s && focusCell(s, row, col, extend)), []);
  const onMove = useCallback((dRow: number, dCol: number, wrap?: boolean, extend?: boolean) => setState((s) => s && moveFocus(s, dRow, dCol, wrap, extend)), []);
  const onSelectColumn = useCallback((col: number) => setState((s) => s && selectColumn(s, col)), []);
  const onSelectRow = useCallback((row: number) => setState((s) => s && selectRow(s, row)), []);
  const refuseEdit = useCallback((): boolean => {
    const s = stateRef.current;
    if (!s) return true;
    if (!s.data.canWrite) {
      notify('app.gradebook.read_only_notice', { type: 'info' });
      return true;
    }
    const row = s.data.rows[s.focus.row];
    const key = s.cols[s.focus.col];
    if (row && isClosed(row, key)) {
      notify(row.cells[key].closed!.message, { type: 'warning' });
      return true;
    }
    return false;
  }, [notify]);
  const onStartEdit = useCallback(
    (initial: string | null, mode: 'enter' | 'edit') => {
      if (refuseEdit()) return;
      setState((s) => s && { ...s, editing: { row: s.focus.row, col: s.focus.col, mode, initial: initial ?? currentText(s, s.focus.row, s.cols[s.focus.col], display) } });
    },
    [refuseEdit, display],
  );
  const onCommit = useCallback((text: string, move: Move) => {
    setState((s) => {
      if (!s?.editing) return s;
      const next = { ...setCellText(s, s.editing.row, s.cols[s.editing.col], text), editing: null };
      const [dr, dc] = moveDelta(move);
      return dr || dc ? moveFocus(next, dr, dc, dc !== 0) : next;
    });
  }, []);
  const onCancel = useCallback(() => setState((s) => s && { ...s, editing: null }), []);
  const onClear = useCallback(() => {
    if (refuseEdit()) return;
    setState((s) => s && setCellText(s, s.focus.row, s.cols[s.focus.col], ''));
  }, [refuseEdit]);
  const onPaste = useCallback(
    (block: string[][]) => {
      const s = stateRef.current;
      if (!s) return;
      if (!s.data.canWrite) return void notify('app.gradebook.read_only_notice', { type: 'info' });
      const r = pasteBlock(s, block);
      setState(r.state);
      const extra = [
        r.skippedClosed > 0 ? translate('app.gradebook.paste_skipped_closed', { count: r.skippedClosed }) : '',
        r.outside > 0 ? translate('app.gradebook.paste_outside', { count: r.outside }) : '',
      ].filter(Boolean);
      notify(translate('app.gradebook.pasted', { count: r.written }) + (extra.length ? ` ${extra.join(' ')}` : ''), { type: extra.length ? 'warning' : 'info' });
    },
    [notify, translate],
  );

  const onTestDate = useCallback(
    async (kind: 'midterm' | 'final', iso: string, confirm = false) => {
      try {
        await gradebookApi.setTestDate(gradebook, kind, iso, confirm);
        notify('app.gradebook.test_date_saved', { type: 'success' });
        await load();
        return true;
      } catch (e) {
        const body = errorBody(e) as { message: string; wouldClose?: unknown };
        const status = (e as { status?: number }).status;
        // A date that closes the column now: say what it closes and ask (trap 1). A closed column's date: only
        // the principal's approval changes it, so offer the request.
        if (body.wouldClose) setDateAsk({ kind, iso, message: body.message });
        else if (status === 423 || status === 409) setDateFix({ kind, iso, message: body.message });
        else notify(errorText(e), { type: 'error' });
        return false;
      }
    },
    [gradebook, load, notify],
  );
  // Nhập theo cột: one assessment down the class list, the phone's way (the default on a narrow screen).
  const [mode, setMode] = useState<'grid' | 'column'>(() => (typeof window !== 'undefined' && window.innerWidth < 600 ? 'column' : 'grid'));
  const [entryColumn, setEntryColumn] = useState<string | null>(null);
  const onColumnText = useCallback(
    (row: number, key: string, text: string) => {
      if (!stateRef.current?.data.canWrite) return;
      setState((s) => s && setCellText(s, row, key, text));
    },
    [],
  );
  const [dateAsk, setDateAsk] = useState<{ kind: 'midterm' | 'final'; iso: string; message: string } | null>(null);
  const [dateFix, setDateFix] = useState<{ kind: 'midterm' | 'final'; iso: string; message: string } | null>(null);

  const save = useCallback(async () => {
    const s = stateRef.current;
    if (!s || saving) return;
    const sum = summarize(s);
    if (sum.invalid.length > 0) {
      const first = sum.invalid[0];
      setState((prev) => prev && focusCell(prev, first.row, first.col));
      setFocusNonce((n) => n + 1);
      notify('app.gradebook.fix_invalid', { type: 'warning', messageArgs: { count: sum.invalid.length } });
      return;
    }
    if (sum.changed === 0) return;
    const payload = buildPayload(s);
    setSaving(true);
    try {
      const data = await gradebookApi.save(gradebook, payload.cells, payload.comments);
      const saved = [...payload.cellIndex, ...payload.commentIndex.map((studentId) => ({ studentId, key: COMMENT_COL }))];
      setState((prev) => (prev ? { ...reload(prev, data, [], true, saved), problems: {} } : initialState(data)));
      notify('app.gradebook.saved', { type: 'success', messageArgs: { count: data.saved ?? sum.changed } });
    } catch (e) {
      const b = errorBody(e);
      if (b.status === 400) {
        setState((prev) => prev && { ...prev, problems: problemsFromErrors(payload, b.errors) });
        setFocusNonce((n) => n + 1);
        notify(b.message, { type: 'error' });
      } else if (b.status === 409) {
        const cells = (Array.isArray(b.current) ? b.current : []) as StaleCell[];
        const comments = (Array.isArray(b.currentComments) ? b.currentComments : []) as StaleComment[];
        const mine = (studentId: number, key: string) => {
          const d = s.drafts[studentId];
          return key === COMMENT_COL ? (d?.comment ?? '') : (d?.cells[key] ?? '');
        };
        const lines: Conflict = [
          ...cells.map((c) => ({ studentId: c.studentId, studentName: studentName(c.studentId), kind: c.kind, seq: c.seq, mine: mine(c.studentId, `${c.kind}:${c.seq}`), theirs: c.value })),
          ...comments.map((c) => ({ studentId: c.studentId, studentName: studentName(c.studentId), kind: 'comment' as const, seq: 0, mine: mine(c.studentId, COMMENT_COL), theirs: c.text })),
        ];
        const drop = [...cells.map((c) => ({ studentId: c.studentId, key: `${c.kind}:${c.seq}` })), ...comments.map((c) => ({ studentId: c.studentId, key: COMMENT_COL }))];
        setConflict({ lines, drop });
      } else if (b.status === 423 && Array.isArray(b.closed)) {
        const closed = b.closed as ClosedCell[];
        setState((prev) => prev && { ...prev, problems: problemsFromClosed(closed) });
        setRefused({ message: b.message, lines: closed.map((c) => ({ studentId: c.studentId, studentName: studentName(c.studentId), kind: c.kind, seq: c.seq, reason: c.message })) });
      } else {
        notify(b.message || 'ra.notification.http_error', { type: 'error' });
      }
    } finally {
      setSaving(false);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- studentName reads stateRef
  }, [gradebook, notify, saving]);

  // Ctrl+S saves (after committing an open editor), as in a spreadsheet.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
        e.preventDefault();
        (document.activeElement as HTMLElement | null)?.blur?.();
        setTimeout(() => void save(), 0);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [save]);

  const meta: GridMeta | null = useMemo(
    () =>
      state && {
        type: state.data.subject.assessmentType,
        regularCount: state.data.subject.regularCount,
        semesterNumber: state.data.semester.number,
        canWrite: state.data.canWrite,
        locale,
        cols: state.cols,
        errorText: (code: string) => translate(`app.gradebook.error.${code}`),
        closedTitle: translate('app.gradebook.closed'),
      },
    // Only what the rows render from; a keystroke does not change any of these.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [state?.data, state?.cols, locale, translate],
  );
  const header = useMemo(() => state && <GridHeader data={state.data} locale={locale} onTestDate={onTestDate} />, [state?.data, locale, onTestDate]); // eslint-disable-line react-hooks/exhaustive-deps

  if (loadError) return <Alert severity="error">{loadError}</Alert>;
  if (!state || !meta) return <CircularProgress sx={{ m: 4 }} />;

  const { data, focus } = state;
  const focusedRow = data.rows[focus.row];
  const focusedKey = state.cols[focus.col];
  const focusedCell = focusedKey && focusedKey !== COMMENT_COL ? focusedRow?.cells[focusedKey] : undefined;
  // The requests cover the selection (a range, a column, a student's row) or the focused cell: its cells closed by a
  // deadline or a lock (a periodic test not held yet, or without its date, has nothing to unlock or correct: its
  // date is what to record).
  const closedSel = selectedCells(state).filter(
    (c) => isClosed(data.rows[c.row], c.key) && !['periodic_before_test', 'periodic_no_test_date'].includes(data.rows[c.row].cells[c.key]?.closed?.rule ?? ''),
  );
  const correctableSel = closedSel;
  const lineOf = (c: { row: number; key: string }): CellLine & { kind: Kind } => ({ studentId: data.rows[c.row].student.id, studentName: data.rows[c.row].student.fullName, ...splitKey(c.key) });
  const correctionLines = (): CorrectionLine[] =>
    correctableSel.map((c) => ({ ...lineOf(c), oldValue: data.rows[c.row].cells[c.key]?.value ?? null, proposed: state.drafts[data.rows[c.row].student.id]?.cells[c.key] ?? '' }));
  const withCount = (label: string, n: number) => (n > 1 ? translate('app.gradebook.request_selection', { label: translate(label), count: n }) : translate(label));
  const problemCount = Object.values(state.problems).reduce((n, p) => n + Object.keys(p).length, 0);

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', height: { md: '100%' }, minHeight: 0 }}>
      <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap', mb: 0.5 }}>
        <Typography variant="h6" component="h2" sx={{ mr: 1 }} data-testid="gradebook-title">
          {data.class.name} · {data.subject.name} · {translate(`app.choices.semester.${data.semester.number}`)}
        </Typography>
        {!data.canWrite && <Chip size="small" label={translate('app.gradebook.read_only')} />}
        {/* In the title row, so the grid keeps the height (a 1366×768 screen). */}
        <ToggleButtonGroup size="small" exclusive value={mode} onChange={(_, v) => v && setMode(v)} data-testid="entry-mode">
          <ToggleButton value="grid" sx={{ py: 0.25 }}>{translate('app.gradebook.mode_grid')}</ToggleButton>
          <ToggleButton value="column" sx={{ py: 0.25 }}>{translate('app.gradebook.mode_column')}</ToggleButton>
        </ToggleButtonGroup>
        <Box sx={{ flex: 1 }} />
        {data.canWrite && correctableSel.length > 0 && (
          <Button size="small" startIcon={<EditNoteIcon />} onClick={() => setCorrection(correctionLines())} data-testid="request-correction">
            {withCount('app.gradebook.request_correction', correctableSel.length)}
          </Button>
        )}
        {data.canWrite && closedSel.length > 0 && (
          <Button size="small" startIcon={<LockOpenIcon />} onClick={() => setUnlockLines(closedSel.map(lineOf))} data-testid="request-unlock">
            {withCount('app.gradebook.request_unlock', closedSel.length)}
          </Button>
        )}
        <IconButton size="small" title={translate('ra.action.refresh')} aria-label={translate('ra.action.refresh')} onClick={() => (!dirty || window.confirm(translate('ra.message.unsaved_changes'))) && void load(undefined, true)}>
          <RefreshIcon fontSize="small" />
        </IconButton>
        <ExportButton path={`/exports/gradebook.xlsx?classId=${gradebook.classId}&subjectId=${gradebook.subjectId}&semesterId=${gradebook.semesterId}`} />
        {data.canWrite && (
          // The import writes on the server and the grid reloads after it: unsaved typing would be dropped.
          <Button size="small" variant="outlined" startIcon={<UploadFileIcon />} onClick={() => (!dirty || window.confirm(translate('app.gradebook.import.unsaved'))) && setImporting(true)} data-testid="score-import">
            {translate('app.gradebook.import.button')}
          </Button>
        )}
        {data.canWrite && (
          <Button variant="contained" size="small" startIcon={saving ? <CircularProgress size={16} color="inherit" /> : <SaveIcon />} disabled={!dirty || saving} onClick={() => void save()} data-testid="gradebook-save">
            {translate('ra.action.save')}
            {dirty ? ` (${summary.changed})` : ''}
          </Button>
        )}
      </Stack>
      {mode === 'column' ? (
        <>
          <ColumnEntry state={state} column={entryColumn ?? firstOpenColumn(state)} onColumn={setEntryColumn} onText={onColumnText} display={display} />
          {data.canWrite && (
            // Down a class list of 40, Lưu stays at hand at the bottom of the screen.
            <Box sx={{ position: 'sticky', bottom: 0, py: 1, bgcolor: 'background.default', zIndex: 2 }}>
              <Button fullWidth variant="contained" startIcon={saving ? <CircularProgress size={16} color="inherit" /> : <SaveIcon />} disabled={!dirty || saving} onClick={() => void save()} data-testid="column-save">
                {translate('ra.action.save')}
                {dirty ? ` (${summary.changed})` : ''}
              </Button>
            </Box>
          )}
        </>
      ) : (
        <>
      <CellStatus state={state} display={display} />
      <GradeGrid
        rows={data.rows}
        drafts={state.drafts}
        problems={state.problems}
        focus={focus}
        editing={state.editing}
        meta={meta}
        header={header}
        focusNonce={focusNonce}
        selection={state.anchor ? selectionOf(state) : null}
        onFocusCell={onFocusCell}
        onMove={onMove}
        onSelectColumn={onSelectColumn}
        onSelectRow={onSelectRow}
        onStartEdit={onStartEdit}
        onCommit={onCommit}
        onCancel={onCancel}
        onClear={onClear}
        onPaste={onPaste}
      />
        </>
      )}
      <Legend invalid={summary.invalid.length} problems={problemCount} canWrite={data.canWrite} />
      {conflict && (
        <ConflictDialog
          lines={conflict.lines}
          locale={locale}
          onClose={() => {
            const drop = conflict.drop;
            setConflict(null);
            void load(drop);
          }}
        />
      )}
      {refused && (
        <RefusedDialog
          message={refused.message}
          lines={refused.lines}
          canRequest={data.canWrite}
          onClose={() => setRefused(null)}
          onUnlock={() => {
            setUnlockLines(refused.lines);
            setRefused(null);
          }}
          onCorrection={(l) => {
            setRefused(null);
            if (l.kind !== 'comment') {
              const key = `${l.kind}:${l.seq}`;
              const row = data.rows.find((r) => r.student.id === l.studentId);
              setCorrection([{ ...l, kind: l.kind, oldValue: row?.cells[key]?.value ?? null, proposed: state.drafts[l.studentId]?.cells[key] ?? '' }]);
            }
          }}
        />
      )}
      {importing && (
        <ScoreImportDialog
          gradebook={gradebook}
          title={`${data.class.name} · ${data.subject.name} · ${translate(`app.choices.semester.${data.semester.number}`)}`}
          locale={locale}
          onClose={() => setImporting(false)}
          onImported={(saved) => {
            setImporting(false);
            notify('app.gradebook.import.done', { type: 'success', messageArgs: { count: saved } });
            void load(undefined, true);
          }}
        />
      )}
      {dateAsk && (
        <Confirm
          isOpen
          title={translate('app.gradebook.test_date_confirm_title')}
          content={dateAsk.message}
          confirm={translate('app.gradebook.test_date_confirm')}
          confirmColor="warning"
          onConfirm={() => {
            const ask = dateAsk;
            setDateAsk(null);
            void onTestDate(ask.kind, ask.iso, true);
          }}
          onClose={() => setDateAsk(null)}
        />
      )}
      {dateFix && <TestDateFixDialog gradebook={gradebook} kind={dateFix.kind} date={dateFix.iso} message={dateFix.message} onClose={() => setDateFix(null)} />}
      {unlockLines && <UnlockRequestDialog gradebook={gradebook} lines={unlockLines} onClose={() => setUnlockLines(null)} />}
      {correction && <CorrectionDialog gradebook={gradebook} lines={correction} type={data.subject.assessmentType} locale={locale} onClose={() => setCorrection(null)} />}
    </Box>
  );
}

/** The focused cell spelled out, with why it is red or grey (the same text as its tooltip), like a formula bar. */
function CellStatus({ state, display }: { state: GridState; display: (v: string | null) => string }) {
  const translate = useTranslate();
  const row = state.data.rows[state.focus.row];
  const key = state.cols[state.focus.col];
  if (!row || !key) return null;
  const isComment = key === COMMENT_COL;
  const label = isComment ? translate('app.gradebook.comment') : columnLabel(splitKey(key).kind, splitKey(key).seq);
  const typed = isComment ? state.drafts[row.student.id]?.comment : state.drafts[row.student.id]?.cells[key];
  const stored = isComment ? row.comment.text : display(row.cells[key]?.value ?? null);
  const parsed = typed !== undefined && !isComment ? parseCell(state.data.subject.assessmentType, typed) : null;
  const invalid = parsed && !parsed.ok ? translate(`app.gradebook.error.${parsed.error}`) : null;
  const problem = state.problems[row.student.id]?.[key];
  const closed = !isComment && typed === undefined ? row.cells[key]?.closed : null;
  const message = invalid ?? problem ?? (closed ? `${translate('app.gradebook.closed')}: ${closed.message}` : null);
  return (
    <Box
      data-testid="cell-status"
      sx={{ display: 'flex', flexWrap: { xs: 'wrap', sm: 'nowrap' }, columnGap: 1, alignItems: 'baseline', px: 1, py: 0.5, mb: 0.5, minHeight: 30, bgcolor: 'grey.50', border: 1, borderColor: 'divider', borderRadius: 1, fontSize: 14 }}
    >
      <strong>{row.student.fullName}</strong>
      <span>· {label}:</span>
      <span>{typed !== undefined ? typed || translate('app.gradebook.empty') : stored || '—'}</span>
      {typed !== undefined && (
        <Typography variant="caption" color="warning.dark">
          ({translate('app.gradebook.unsaved')})
        </Typography>
      )}
      {message && (
        <Typography variant="body2" color={closed && !invalid && !problem ? 'text.secondary' : 'error'} sx={{ ml: 1 }} data-testid="cell-message">
          {message}
        </Typography>
      )}
    </Box>
  );
}

function Legend({ invalid, problems, canWrite }: { invalid: number; problems: number; canWrite: boolean }) {
  const translate = useTranslate();
  const swatch = (bg: string, border?: string) => (
    <Box component="span" sx={{ display: 'inline-block', width: 14, height: 14, bgcolor: bg, border: border ? `2px solid ${border}` : 1, borderColor: border ?? 'divider', mr: 0.5, verticalAlign: 'middle' }} />
  );
  return (
    <Stack direction="row" spacing={2} useFlexGap sx={{ mt: 0.5, flexWrap: 'wrap', color: 'text.secondary', fontSize: 13, alignItems: 'center' }}>
      {canWrite && (
        <span>
          {swatch('#fff8e1')}
          {translate('app.gradebook.legend_dirty')}
        </span>
      )}
      {canWrite && (
        <span>
          {swatch('#ffebee', '#e57373')}
          {translate('app.gradebook.legend_invalid')}
          {invalid + problems > 0 ? ` (${invalid + problems})` : ''}
        </span>
      )}
      <span>
        {swatch('#eeeeee')}
        {translate('app.gradebook.legend_closed')}
      </span>
      {/* The keyboard's keys behind a hover, so the legend stays one line and the grid keeps its rows. */}
      {canWrite && (
        <Box component="span" title={translate('app.gradebook.keyboard_help')} sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5, cursor: 'help' }} data-testid="keyboard-help">
          <KeyboardIcon fontSize="small" />
          {translate('app.gradebook.keyboard_short')}
        </Box>
      )}
    </Stack>
  );
}

/** The column a phone opens on: the first score column with a cell still open and empty, else the first one. */
function firstOpenColumn(s: GridState): string {
  const keys = s.cols.filter((k) => k !== COMMENT_COL);
  return keys.find((k) => s.data.rows.some((r) => !isClosed(r, k) && (r.cells[k]?.value ?? null) === null)) ?? keys[0];
}
