import UploadIcon from '@mui/icons-material/Upload';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { useEffect, useRef, useState } from 'react';
import { useLocale, useNotify, useTranslate } from 'react-admin';
import { errorText } from '../api/client';
import { formatDate } from '../format';
import { listCertificates, registerPkcs12, type CertificateRow } from './api';

/**
 * Registering a PKCS#12 with its PIN (the PIN read from the field and not kept): the admin registers the school
 * seal, a signer their own certificate (POST /certificates {kind, pkcs12, pin}).
 */
function RegisterPkcs12({ kind, onDone }: { kind: 'seal' | 'person'; onDone: () => void }) {
  const translate = useTranslate();
  const notify = useNotify();
  const fileRef = useRef<HTMLInputElement>(null);
  const pinRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const pin = pinRef.current?.value ?? '';
    if (pinRef.current) pinRef.current.value = '';
    if (!file || !pin) return;
    setBusy(true);
    setError(null);
    try {
      await registerPkcs12(kind, file, pin);
      notify(kind === 'seal' ? 'app.hocba.certificates.registered' : 'app.hocba.certificates.registered_own', { type: 'success' });
      setFile(null);
      onDone();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card variant="outlined" sx={{ mt: 2 }}>
      <CardContent>
        <Typography variant="h6">{translate(kind === 'seal' ? 'app.hocba.certificates.register_seal' : 'app.hocba.certificates.register_own')}</Typography>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          {translate(kind === 'seal' ? 'app.hocba.certificates.register_help' : 'app.hocba.certificates.register_own_help')}
        </Typography>
        {error && (
          <Alert severity="error" sx={{ mb: 2 }}>
            {error}
          </Alert>
        )}
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ alignItems: { sm: 'center' } }}>
          <Button variant="outlined" onClick={() => fileRef.current?.click()}>
            {file ? file.name : translate('app.hocba.certificates.choose_p12')}
          </Button>
          <input ref={fileRef} type="file" hidden accept=".p12,.pfx,application/x-pkcs12" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          <TextField inputRef={pinRef} size="small" type="password" label={translate('app.hocba.signing.pin')} slotProps={{ htmlInput: { autoComplete: 'off' } }} />
          <Button variant="contained" startIcon={<UploadIcon />} disabled={busy || !file} onClick={() => void submit()}>
            {translate('app.hocba.certificates.register')}
          </Button>
        </Stack>
      </CardContent>
    </Card>
  );
}

/** Chứng thư số: owner, kind, validity, fingerprint, trusted; and, for the admin, registering the seal. */
export function CertificatesTab({ canRegister, canRegisterOwn }: { canRegister: boolean; canRegisterOwn: boolean }) {
  const translate = useTranslate();
  const locale = useLocale();
  const [rows, setRows] = useState<CertificateRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    listCertificates()
      .then(setRows)
      .catch((e) => setError(errorText(e)));
  useEffect(() => {
    void load();
  }, []);
  const expired = (c: CertificateRow) => !!c.notAfter && new Date(c.notAfter).getTime() < Date.now();
  return (
    <Box>
      {error && <Alert severity="error">{error}</Alert>}
      {rows && rows.length === 0 && <Alert severity="info">{translate('app.hocba.certificates.empty')}</Alert>}
      {rows && rows.length > 0 && (
        <Box sx={{ overflowX: 'auto' }}>
          <Table size="small" data-testid="certificates-table">
            <TableHead>
              <TableRow>
                <TableCell>{translate('app.hocba.certificates.owner')}</TableCell>
                <TableCell>{translate('app.hocba.certificates.kind')}</TableCell>
                <TableCell>{translate('app.hocba.certificates.validity')}</TableCell>
                <TableCell sx={{ display: { xs: 'none', md: 'table-cell' } }}>{translate('app.hocba.certificates.fingerprint')}</TableCell>
                <TableCell>{translate('app.hocba.certificates.trusted')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map((c) => (
                <TableRow key={c.id}>
                  <TableCell>
                    {c.staffName ?? c.commonName ?? '—'}
                    {c.staffName && c.commonName && c.commonName !== c.staffName && (
                      <Typography variant="caption" color="text.secondary" component="div">
                        CN={c.commonName}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell>{translate(`app.hocba.certificates.kind_${c.kind}`, { _: c.kind })}</TableCell>
                  <TableCell sx={{ whiteSpace: 'nowrap', color: expired(c) ? 'error.main' : undefined }}>
                    {formatDate(c.notBefore, locale)} – {formatDate(c.notAfter, locale)}
                  </TableCell>
                  <TableCell sx={{ display: { xs: 'none', md: 'table-cell' }, fontFamily: 'monospace', fontSize: 12, wordBreak: 'break-all', maxWidth: 320 }}>{c.sha256 ?? ''}</TableCell>
                  <TableCell>
                    {c.revokedAt ? (
                      <Chip size="small" color="error" label={translate('app.hocba.certificates.revoked')} />
                    ) : c.trusted ? (
                      <Chip size="small" color="success" label={translate('app.hocba.certificates.anchor')} />
                    ) : (
                      ''
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      )}
      {canRegister && <RegisterPkcs12 kind="seal" onDone={() => void load()} />}
      {canRegisterOwn && <RegisterPkcs12 kind="person" onDone={() => void load()} />}
    </Box>
  );
}
