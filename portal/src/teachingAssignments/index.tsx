import AssignmentIndIcon from '@mui/icons-material/AssignmentInd';
import { TeachingAssignmentCreate } from './TeachingAssignmentCreate';
import { TeachingAssignmentEdit } from './TeachingAssignmentEdit';
import { TeachingAssignmentList } from './TeachingAssignmentList';
import { TeachingAssignmentShow } from './TeachingAssignmentShow';

export default {
  name: 'teaching-assignments',
  list: TeachingAssignmentList,
  show: TeachingAssignmentShow,
  edit: TeachingAssignmentEdit,
  create: TeachingAssignmentCreate,
  icon: AssignmentIndIcon,
  recordRepresentation: (r: { id?: number }) => `#${r?.id ?? ''}`,
};
