import { Box, MenuItem, Stack, Tab, Tabs, TextField } from '@mui/material';
import { useState } from 'react';
import { Title, useGetList, usePermissions, useTranslate } from 'react-admin';
import type { Principal } from '../access';
import { canApprovePrinting, canDelegateSigning, canOpenSigning, canRegisterSeal, readsWholeSchool } from '../transcripts/access';
import { CertificatesTab } from './CertificatesTab';
import { DelegationsTab } from './DelegationsTab';
import { PrintApprovalsTab } from './PrintApprovalsTab';

interface SchoolYear {
  id: number;
  name: string;
  isCurrent?: boolean;
}

/**
 * Chứng thư và ủy quyền: the certificates (the admin registers the seal; everyone sees their own), and for the
 * leadership the grade → vice principal delegations and the print approvals of a chosen school year.
 */
export function CertificatesPage() {
  const translate = useTranslate();
  const { permissions } = usePermissions<Principal | null>();
  const p = permissions ?? null;
  const leadership = !!p && readsWholeSchool(p);
  const [tab, setTab] = useState(0);
  const [yearId, setYearId] = useState<number | ''>('');
  const { data: years } = useGetList<SchoolYear>('school-years', { pagination: { page: 1, perPage: 50 }, sort: { field: 'startDate', order: 'DESC' } });
  const year = yearId || years?.find((y) => y.isCurrent)?.id || years?.[0]?.id || null;
  return (
    <Box sx={{ p: { xs: 1, sm: 2 } }}>
      <Title title={translate('app.hocba.certificates.title')} />
      <Stack direction={{ xs: 'column', sm: 'row' }} sx={{ alignItems: { sm: 'center' }, mb: 2, gap: 1 }}>
        <Tabs value={tab} onChange={(_e, v: number) => setTab(v)} variant="scrollable" allowScrollButtonsMobile sx={{ flex: 1 }}>
          <Tab label={translate('app.hocba.certificates.tab_certs')} />
          {leadership && <Tab label={translate('app.hocba.certificates.tab_delegations')} />}
          {leadership && <Tab label={translate('app.hocba.certificates.tab_print')} />}
        </Tabs>
        {tab > 0 && (
          <TextField select size="small" sx={{ minWidth: 160 }} label={translate('app.hocba.list.pick_year')} value={year ?? ''} onChange={(e) => setYearId(Number(e.target.value))}>
            {(years ?? []).map((y) => (
              <MenuItem key={y.id} value={y.id}>
                {y.name}
              </MenuItem>
            ))}
          </TextField>
        )}
      </Stack>
      {tab === 0 && <CertificatesTab canRegister={!!p && canRegisterSeal(p)} canRegisterOwn={!!p && !!p.staffId && canOpenSigning(p)} />}
      {tab === 1 && <DelegationsTab schoolYearId={year} canEdit={!!p && canDelegateSigning(p)} />}
      {tab === 2 && <PrintApprovalsTab schoolYearId={year} canApprove={!!p && canApprovePrinting(p)} />}
    </Box>
  );
}
