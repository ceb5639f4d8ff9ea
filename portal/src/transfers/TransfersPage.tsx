import { Box } from '@mui/material';
import { Title, useTranslate } from 'react-admin';
import { IssuePanel } from './IssuePanel';
import { ReceivePanel } from './ReceivePanel';

/** Chuyển trường (học bạ), issue 13: the packages issued for leaving students, and a package received checked then imported. */
export function TransfersPage() {
  const translate = useTranslate();
  return (
    <Box p={2}>
      <Title title={translate('app.transferPackages.title')} />
      <IssuePanel />
      <ReceivePanel />
    </Box>
  );
}
