import SchoolIcon from '@mui/icons-material/School';
import { SchoolEdit } from './SchoolEdit';
import { SchoolList } from './SchoolList';
import { SchoolShow } from './SchoolShow';

export default {
  name: 'schools',
  list: SchoolList,
  show: SchoolShow,
  edit: SchoolEdit,
  icon: SchoolIcon,
  recordRepresentation: 'name',
};
