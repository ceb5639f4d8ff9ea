import LockOpenIcon from '@mui/icons-material/LockOpen';
import { UnlockRequestList, UnlockRequestShow } from './UnlockRequestViews';

/** Đề nghị mở khóa: filed from the grade book by the teacher; the principal approves or rejects. */
export default {
  name: 'unlock-requests',
  list: UnlockRequestList,
  show: UnlockRequestShow,
  icon: LockOpenIcon,
  recordRepresentation: (r: { id?: number }) => `#${r?.id ?? ''}`,
};
