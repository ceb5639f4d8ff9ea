import ClassIcon from '@mui/icons-material/Class';
import { ClassCreate } from './ClassCreate';
import { ClassEdit } from './ClassEdit';
import { ClassList } from './ClassList';
import { ClassShow } from './ClassShow';

export default {
  name: 'classes',
  list: ClassList,
  show: ClassShow,
  edit: ClassEdit,
  create: ClassCreate,
  icon: ClassIcon,
  recordRepresentation: 'name',
};
