import EventIcon from '@mui/icons-material/Event';
import { SchoolYearCreate } from './SchoolYearCreate';
import { SchoolYearEdit } from './SchoolYearEdit';
import { SchoolYearList } from './SchoolYearList';
import { SchoolYearShow } from './SchoolYearShow';

export default {
  name: 'school-years',
  list: SchoolYearList,
  show: SchoolYearShow,
  edit: SchoolYearEdit,
  create: SchoolYearCreate,
  icon: EventIcon,
  recordRepresentation: 'name',
};
