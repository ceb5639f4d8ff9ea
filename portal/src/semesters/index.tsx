import DateRangeIcon from '@mui/icons-material/DateRange';
import { SemesterCreate } from './SemesterCreate';
import { SemesterEdit } from './SemesterEdit';
import { SemesterList } from './SemesterList';
import { SemesterShow } from './SemesterShow';

export default {
  name: 'semesters',
  list: SemesterList,
  show: SemesterShow,
  edit: SemesterEdit,
  create: SemesterCreate,
  icon: DateRangeIcon,
  recordRepresentation: (r: { number?: number }) => (r?.number === 2 ? 'HK II' : 'HK I'),
};
