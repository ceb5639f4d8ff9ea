import { useState } from 'react';
import { errorBody, errorText } from '../api/client';

/**
 * One import's dry run or commit (the school-setup import and the score import): busy while it runs, the server's
 * message on failure, and the report — also when a commit is refused for bad rows or closed cells, which answers
 * with the same report.
 */
export function useImportRun<R>() {
  const [report, setReport] = useState<R | null>(null);
  const [busy, setBusy] = useState<'dry-run' | 'commit' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (mode: 'dry-run' | 'commit', request: () => Promise<R>, done: (r: R) => void) => {
    setBusy(mode);
    setError(null);
    try {
      done(await request());
    } catch (e) {
      const b = errorBody(e);
      if (Array.isArray(b.rows)) setReport(b as unknown as R);
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  };
  return { report, setReport, busy, error, setError, run };
}
