import FaceIcon from '@mui/icons-material/Face';
import { StudentCreate } from './StudentCreate';
import { StudentEdit } from './StudentEdit';
import { StudentList } from './StudentList';
import { StudentShow } from './StudentShow';

export default {
  name: 'students',
  list: StudentList,
  show: StudentShow,
  edit: StudentEdit,
  create: StudentCreate,
  icon: FaceIcon,
  recordRepresentation: (r: { fullName?: string; studentCode?: string }) =>
    r ? `${r.fullName ?? ''}${r.studentCode ? ` (${r.studentCode})` : ''}` : '',
};
