import FileDownloadIcon from '@mui/icons-material/FileDownload';
import { Button, CircularProgress } from '@mui/material';
import { useState } from 'react';
import { useNotify, useTranslate } from 'react-admin';
import { apiDownload, errorText } from '../api/client';
import { saveBlob } from './files';

/**
 * "Xuất Excel": downloads `path` (an /api/exports/… file) through the API client, so the session cookie and the
 * language header go with it, with a spinner while the server builds the file and the server's message on failure.
 * Disabled while `path` is null (nothing chosen yet).
 */
export function ExportButton({ path }: { path: string | null }) {
  const translate = useTranslate();
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    if (!path || busy) return;
    setBusy(true);
    try {
      const { blob, fileName } = await apiDownload(path);
      saveBlob(blob, fileName);
    } catch (e) {
      notify(translate('app.exports.failed', { reason: errorText(e) }), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button
      size="small"
      variant="outlined"
      startIcon={busy ? <CircularProgress size={16} color="inherit" /> : <FileDownloadIcon />}
      disabled={!path || busy}
      onClick={() => void run()}
      data-testid="export-xlsx"
      sx={{ whiteSpace: 'nowrap', flexShrink: 0 }}
    >
      {translate(busy ? 'app.exports.busy' : 'app.exports.button')}
    </Button>
  );
}
