import HowToRegIcon from '@mui/icons-material/HowToReg';
import { EnrolmentCreate } from './EnrolmentCreate';
import { EnrolmentEdit } from './EnrolmentEdit';
import { EnrolmentList } from './EnrolmentList';
import { EnrolmentShow } from './EnrolmentShow';

export default {
  name: 'enrolments',
  list: EnrolmentList,
  show: EnrolmentShow,
  edit: EnrolmentEdit,
  create: EnrolmentCreate,
  icon: HowToRegIcon,
  recordRepresentation: (r: { id?: number }) => `#${r?.id ?? ''}`,
};
