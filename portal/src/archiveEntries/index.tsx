import Inventory2Icon from '@mui/icons-material/Inventory2';
import { ArchiveCreate, ArchiveEdit, ArchiveList, ArchiveShow } from './ArchiveViews';

/** Sổ đăng ký lưu trữ: văn thư records what is handed over for archiving; the leadership and giáo vụ read it. */
export default {
  name: 'archive-entries',
  list: ArchiveList,
  show: ArchiveShow,
  create: ArchiveCreate,
  edit: ArchiveEdit,
  icon: Inventory2Icon,
  recordRepresentation: (r: { id?: number }) => `#${r?.id ?? ''}`,
};
