import { memo, useEffect, useState, type KeyboardEvent } from 'react';
import { useTranslate } from 'react-admin';
import { formatDate, parseVnDate } from '../format';
import { columnLabel } from '../common/scores';
import type { GridData } from './types';

interface Props {
  data: GridData;
  locale: string;
  onTestDate: (kind: 'midterm' | 'final', isoDate: string) => Promise<boolean>;
}

/**
 * Column headers (TT22's names: ĐĐGtx 1..n, ĐĐGgk, ĐĐGck, ĐTBmhk, ĐTBmcn) and, under the periodic columns, their
 * test dates: the periodic entry window runs from the test date (seed 000), so a writer sets it here first.
 */
export const GridHeader = memo(function GridHeader({ data, locale, onTestDate }: Props) {
  const translate = useTranslate();
  const scored = data.subject.assessmentType === 'scored';
  const s2 = data.semester.number === 2;
  const resultLabels = scored
    ? s2
      ? ['ĐTBmhk I', 'ĐTBmhk II', 'ĐTBmcn']
      : ['ĐTBmhk']
    : s2
      ? [translate('app.gradebook.result_s1'), translate('app.gradebook.result_s2'), translate('app.gradebook.result_year')]
      : [translate('app.gradebook.result_semester')];
  const resultTitles = scored
    ? s2
      ? [translate('app.gradebook.avg_s1_title'), translate('app.gradebook.avg_semester_title'), translate('app.gradebook.avg_year_title')]
      : [translate('app.gradebook.avg_semester_title')]
    : resultLabels;
  return (
    <thead>
      <tr>
        <th className="gb-num" rowSpan={2}>
          {translate('app.gradebook.no')}
        </th>
        <th className="gb-name" rowSpan={2}>
          {translate('app.gradebook.student')}
        </th>
        {data.columns.map((c, i) => (
          // A click selects the whole column (for an unlock request covering it): GradeGrid reads data-select-col.
          <th key={`${c.kind}:${c.seq}`} data-select-col={i} className="gb-col-head" title={translate(`app.gradebook.column_title.${c.kind}`, { seq: c.seq })}>
            {columnLabel(c.kind, c.seq)}
          </th>
        ))}
        {resultLabels.map((l, i) => (
          <th key={l} rowSpan={2} title={resultTitles[i]}>
            {l}
          </th>
        ))}
        <th rowSpan={2}>{translate('app.gradebook.comment')}</th>
      </tr>
      <tr className="gb-dates">
        {data.columns.map((c) =>
          c.kind === 'regular' ? (
            <th key={`${c.kind}:${c.seq}`} />
          ) : (
            <th key={c.kind}>
              <TestDateInput kind={c.kind} value={data.testDates[c.kind]} canWrite={data.canWrite} locale={locale} onSave={onTestDate} />
            </th>
          ),
        )}
      </tr>
    </thead>
  );
});

function TestDateInput({
  kind,
  value,
  canWrite,
  locale,
  onSave,
}: {
  kind: 'midterm' | 'final';
  value: string | null;
  canWrite: boolean;
  locale: string;
  onSave: (kind: 'midterm' | 'final', isoDate: string) => Promise<boolean>;
}) {
  const translate = useTranslate();
  const [text, setText] = useState(formatDate(value, locale));
  const [busy, setBusy] = useState(false);
  useEffect(() => setText(formatDate(value, locale)), [value, locale]);
  const label = translate('app.gradebook.test_date');
  if (!canWrite) {
    return (
      <span title={label} data-testid={`test-date-${kind}`}>
        {value ? formatDate(value, locale) : '—'}
      </span>
    );
  }
  const iso = text.trim() === '' ? null : parseVnDate(text);
  const invalid = text.trim() !== '' && !iso;
  const submit = async () => {
    if (!iso || iso === value || busy) return;
    setBusy(true);
    const ok = await onSave(kind, iso);
    setBusy(false);
    if (!ok) setText(formatDate(value, locale));
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      void submit();
    } else if (e.key === 'Escape') setText(formatDate(value, locale));
  };
  return (
    <input
      data-testid={`test-date-${kind}`}
      aria-label={`${label} ${columnLabel(kind, 1)}`}
      title={invalid ? translate('app.validation.date') : `${label} (dd/mm/yyyy)`}
      placeholder={translate('app.gradebook.test_date_placeholder')}
      value={text}
      disabled={busy}
      onChange={(e) => setText(e.target.value)}
      onBlur={() => void submit()}
      onKeyDown={onKeyDown}
      style={{
        width: 86,
        font: 'inherit',
        fontSize: 12,
        textAlign: 'center',
        border: `1px solid ${invalid ? '#e57373' : '#ccc'}`,
        borderRadius: 4,
        padding: '2px 4px',
        background: value ? '#fff' : '#fffde7',
      }}
    />
  );
}
