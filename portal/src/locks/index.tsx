import LockIcon from '@mui/icons-material/Lock';
import { LockCreate, LockList, LockShow } from './LockViews';

/** Khóa sổ: an admin sets a lock on the principal's order; lifting keeps the record (who, when, why). */
export default {
  name: 'locks',
  list: LockList,
  show: LockShow,
  create: LockCreate,
  icon: LockIcon,
  recordRepresentation: (r: { id?: number }) => `#${r?.id ?? ''}`,
};
