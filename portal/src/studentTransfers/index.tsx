import TransferWithinAStationIcon from '@mui/icons-material/TransferWithinAStation';
import { StudentTransferCreate } from './StudentTransferCreate';
import { StudentTransferList } from './StudentTransferList';
import { StudentTransferShow } from './StudentTransferShow';

export default {
  name: 'student-transfers',
  list: StudentTransferList,
  show: StudentTransferShow,
  create: StudentTransferCreate,
  icon: TransferWithinAStationIcon,
  recordRepresentation: (r: { id?: number }) => `#${r?.id ?? ''}`,
};
