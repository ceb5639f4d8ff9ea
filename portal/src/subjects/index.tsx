import MenuBookIcon from '@mui/icons-material/MenuBook';
import { SubjectCreate } from './SubjectCreate';
import { SubjectEdit } from './SubjectEdit';
import { SubjectList } from './SubjectList';
import { SubjectShow } from './SubjectShow';

export default {
  name: 'subjects',
  list: SubjectList,
  show: SubjectShow,
  edit: SubjectEdit,
  create: SubjectCreate,
  icon: MenuBookIcon,
  recordRepresentation: 'name',
};
