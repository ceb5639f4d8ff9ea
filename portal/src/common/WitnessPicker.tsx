import { Autocomplete, TextField } from '@mui/material';
import { useEffect, useState } from 'react';
import { useTranslate } from 'react-admin';
import { apiCall } from '../api/client';

/** GET /api/correction-requests/witness-candidates (server/corrections/rules.ts witnessCandidates). */
export interface WitnessCandidate {
  id: number;
  fullName: string;
  /** staff.post; null for an account without a staff record. */
  post: string | null;
}

/** For a new request, the grade book; for a filed one, its id. */
export type WitnessFor = { classId: number; subjectId: number; semesterId: number } | { requestId: number };

const queryOf = (f: WitnessFor) =>
  'requestId' in f ? `requestId=${f.requestId}` : `classId=${f.classId}&subjectId=${f.subjectId}&semesterId=${f.semesterId}`;

/**
 * Người chứng kiến (seed 000): the second named witness beside the supervising VP. The server lists only the
 * accounts its rule accepts (not the requester, not a supervising VP, not someone who left), so the choice here
 * cannot be refused for who it is. Optional: the principal or the VP may name one later. Renders nothing when the
 * list is empty (the lighter 'admin' procedure has no witness).
 */
export function WitnessPicker({
  target,
  value,
  onChange,
  disabled,
  help = 'app.corrections.witness_help',
}: {
  target: WitnessFor;
  value: number | null;
  onChange: (id: number | null) => void;
  disabled?: boolean;
  /** The hint under the field (a translation key). */
  help?: string;
}) {
  const translate = useTranslate();
  const [options, setOptions] = useState<WitnessCandidate[] | null>(null);
  const [error, setError] = useState(false);
  const key = queryOf(target);
  useEffect(() => {
    let live = true;
    setOptions(null);
    setError(false);
    apiCall<WitnessCandidate[]>(`/correction-requests/witness-candidates?${key}`)
      .then((list) => live && setOptions(list))
      .catch(() => live && setError(true));
    return () => {
      live = false;
    };
  }, [key]);
  const postLabel = (p: string | null) => (p ? translate(`app.choices.post.${p}`, { _: p }) : '');
  const selected = options?.find((o) => o.id === value) ?? null;
  // Nobody to pick: the school's lighter procedure has no witness (the server lists none then).
  if (options && options.length === 0) return null;
  return (
    <Autocomplete
      options={options ?? []}
      loading={options === null && !error}
      value={selected}
      onChange={(_, o) => onChange(o?.id ?? null)}
      getOptionLabel={(o) => (o.post ? `${o.fullName} — ${postLabel(o.post)}` : o.fullName)}
      isOptionEqualToValue={(a, b) => a.id === b.id}
      noOptionsText={translate('app.corrections.witness_none')}
      loadingText={translate('ra.page.loading')}
      disabled={disabled || error}
      fullWidth
      data-testid="witness-picker"
      renderInput={(params) => (
        <TextField
          {...params}
          label={translate('app.corrections.witness')}
          helperText={error ? translate('app.corrections.witness_load_error') : translate(help)}
          error={error}
          sx={{ mt: 1 }}
        />
      )}
    />
  );
}
