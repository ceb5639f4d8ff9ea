import HistoryEduIcon from '@mui/icons-material/HistoryEdu';
import { TranscriptList } from './TranscriptList';
import { TranscriptShow } from './TranscriptShow';

/** Học bạ số: the versions of the students' transcripts (docs/transcripts.md). Read only: signing is /signing. */
export default {
  name: 'transcripts',
  list: TranscriptList,
  show: TranscriptShow,
  icon: HistoryEduIcon,
  recordRepresentation: (r: { studentName?: string; version?: number }) => `${r?.studentName ?? ''} (v${r?.version ?? ''})`,
};
