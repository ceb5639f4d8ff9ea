import EditNoteIcon from '@mui/icons-material/EditNote';
import { CorrectionRequestList, CorrectionRequestShow } from './CorrectionRequestViews';

/** Đề nghị sửa điểm: filed from the grade book; principal, VP and witness act on it here; the minutes are a PDF. */
export default {
  name: 'correction-requests',
  list: CorrectionRequestList,
  show: CorrectionRequestShow,
  icon: EditNoteIcon,
  recordRepresentation: (r: { id?: number }) => `#${r?.id ?? ''}`,
};
