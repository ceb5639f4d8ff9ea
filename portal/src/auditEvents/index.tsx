import HistoryIcon from '@mui/icons-material/History';
import { AuditEventList } from './AuditEventList';
import { AuditEventShow } from './AuditEventShow';

/** Read only: list and show. */
export default {
  name: 'audit-events',
  list: AuditEventList,
  show: AuditEventShow,
  icon: HistoryIcon,
  recordRepresentation: (r: { id?: number }) => `#${r?.id ?? ''}`,
};
