import { Box, Tab, Tabs } from '@mui/material';
import { useState } from 'react';
import { Title, usePermissions, useTranslate } from 'react-admin';
import type { Principal } from '../access';
import { canApprovePrinting, canDelegateSigning, canRegisterSeal } from '../transcripts/access';
import { CertificatesTab } from './CertificatesTab';
import { DelegationsTab } from './DelegationsTab';
import { PrintApprovalsTab } from './PrintApprovalsTab';

/** Chứng thư và ủy quyền (admin, principal): the certificates, the grade → vice principal delegations, print approvals. */
export function CertificatesPage() {
  const translate = useTranslate();
  const { permissions } = usePermissions<Principal | null>();
  const [tab, setTab] = useState(0);
  const p = permissions ?? null;
  return (
    <Box sx={{ p: { xs: 1, sm: 2 } }}>
      <Title title={translate('app.hocba.certificates.title')} />
      <Tabs value={tab} onChange={(_e, v: number) => setTab(v)} variant="scrollable" allowScrollButtonsMobile sx={{ mb: 2 }}>
        <Tab label={translate('app.hocba.certificates.tab_certs')} />
        <Tab label={translate('app.hocba.certificates.tab_delegations')} />
        <Tab label={translate('app.hocba.certificates.tab_print')} />
      </Tabs>
      {tab === 0 && <CertificatesTab canRegister={!!p && canRegisterSeal(p)} />}
      {tab === 1 && <DelegationsTab canEdit={!!p && canDelegateSigning(p)} />}
      {tab === 2 && <PrintApprovalsTab canApprove={!!p && canApprovePrinting(p)} />}
    </Box>
  );
}
