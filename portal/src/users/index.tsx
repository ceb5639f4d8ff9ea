import ManageAccountsIcon from '@mui/icons-material/ManageAccounts';
import { UserCreate } from './UserCreate';
import { UserEdit } from './UserEdit';
import { UserList } from './UserList';
import { UserShow } from './UserShow';

export default {
  name: 'users',
  list: UserList,
  show: UserShow,
  edit: UserEdit,
  create: UserCreate,
  icon: ManageAccountsIcon,
  // People by full name everywhere (issue 12, trap 2); the username only where accounts are managed.
  recordRepresentation: (r: { fullName?: string; username?: string }) => r.fullName || r.username || '',
};
