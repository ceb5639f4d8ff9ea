import { useState } from 'react';
import { useDataProvider, useNotify, useRefresh, type Identifier } from 'react-admin';
import { errorText } from '../api/client';
import type { PortalDataProvider } from '../api/dataProvider';

/**
 * Runs one state change of a record (a request's approve/reject/confirm…, a lift or revoke), then refreshes the
 * views and says what happened — or shows the server's message (e.g. 409 "already decided") as it is.
 */
export function useRecordAction() {
  const dataProvider = useDataProvider<PortalDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [busy, setBusy] = useState(false);
  const run = async (action: (dp: PortalDataProvider) => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await action(dataProvider);
      notify(done, { type: 'success' });
      refresh();
    } catch (e) {
      notify(errorText(e), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return { run, busy };
}

export type { Identifier };
