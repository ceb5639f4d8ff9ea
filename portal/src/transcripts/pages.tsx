import DrawIcon from '@mui/icons-material/Draw';
import FactCheckIcon from '@mui/icons-material/FactCheck';
import HistoryEduIcon from '@mui/icons-material/HistoryEdu';
import SchoolIcon from '@mui/icons-material/School';
import WorkspacePremiumIcon from '@mui/icons-material/WorkspacePremium';
import CloudSyncIcon from '@mui/icons-material/CloudSync';
import DocumentScannerIcon from '@mui/icons-material/DocumentScanner';
import MoveUpIcon from '@mui/icons-material/MoveUp';
import type { ComponentType, ReactElement } from 'react';
import { canOpenDigitisation, canOpenSync, canOpenTransfers, type Principal } from '../../../domain/permissions';
import { DigitisationPage } from '../digitisation/DigitisationPage';
import { TransfersPage } from '../transfers/TransfersPage';
import { SyncPage } from '../sync/SyncPage';
import { CertificatesPage } from '../certificates/CertificatesPage';
import { SigningPage } from '../signing/SigningPage';
import { VerifyPage } from '../verify/VerifyPage';
import { canListTranscripts, canManageCertificates, canOpenMyTranscripts, canOpenSigning, canVerifyFiles } from './access';
import { MyTranscriptsPage } from './MyTranscriptsPage';

/**
 * The Học bạ số menu group: the transcripts list (a Resource), signing, verification, certificates (a signer sees
 * their own; the admin all and registers the seal; the leadership the delegations and print approvals), the
 * student's own, and the sync batches to the province/ministry database (issue 13).
 */
export const HOCBA_PAGES: Array<{
  path: string;
  label: string;
  icon: ComponentType;
  element?: ReactElement;
  visible: (p: Principal) => boolean;
  group: 'hocba';
}> = [
  { path: '/signing', label: 'app.hocba.menu.signing', icon: DrawIcon, element: <SigningPage />, visible: canOpenSigning, group: 'hocba' },
  { path: '/transcripts', label: 'app.hocba.menu.transcripts', icon: HistoryEduIcon, visible: canListTranscripts, group: 'hocba' },
  { path: '/verify', label: 'app.hocba.menu.verify', icon: FactCheckIcon, element: <VerifyPage />, visible: canVerifyFiles, group: 'hocba' },
  { path: '/certificates', label: 'app.hocba.menu.certificates', icon: WorkspacePremiumIcon, element: <CertificatesPage />, visible: (p) => canManageCertificates(p) || canOpenSigning(p), group: 'hocba' },
  { path: '/digitisation', label: 'app.digitisation.menu', icon: DocumentScannerIcon, element: <DigitisationPage />, visible: canOpenDigitisation, group: 'hocba' },
  { path: '/sync', label: 'app.sync.menu', icon: CloudSyncIcon, element: <SyncPage />, visible: canOpenSync, group: 'hocba' },
  { path: '/transfers', label: 'app.transferPackages.menu', icon: MoveUpIcon, element: <TransfersPage />, visible: canOpenTransfers, group: 'hocba' },
  { path: '/my-transcripts', label: 'app.hocba.menu.mine', icon: SchoolIcon, element: <MyTranscriptsPage />, visible: canOpenMyTranscripts, group: 'hocba' },
];
