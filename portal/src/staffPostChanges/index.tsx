import SwapHorizIcon from '@mui/icons-material/SwapHoriz';
import { StaffPostChangeCreate } from './StaffPostChangeCreate';
import { StaffPostChangeList } from './StaffPostChangeList';
import { StaffPostChangeShow } from './StaffPostChangeShow';

export default {
  name: 'staff-post-changes',
  list: StaffPostChangeList,
  show: StaffPostChangeShow,
  create: StaffPostChangeCreate,
  icon: SwapHorizIcon,
  recordRepresentation: (r: { id?: number }) => `#${r?.id ?? ''}`,
};
