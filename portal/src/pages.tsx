import AssignmentTurnedInIcon from '@mui/icons-material/AssignmentTurnedIn';
import DriveFileMoveIcon from '@mui/icons-material/DriveFileMove';
import InsightsIcon from '@mui/icons-material/Insights';
import EventNoteIcon from '@mui/icons-material/EventNote';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import EmojiPeopleIcon from '@mui/icons-material/EmojiPeople';
import MenuBookIcon from '@mui/icons-material/MenuBook';
import TableChartIcon from '@mui/icons-material/TableChart';
import SchoolIcon from '@mui/icons-material/School';
import PrintIcon from '@mui/icons-material/Print';
import ApartmentIcon from '@mui/icons-material/Apartment';
import type { ComponentType, ReactElement } from 'react';
import {
  canCarryOver,
  canImportAny,
  canOpenConduct,
  canOpenGradebook,
  canOpenPrintRuns,
  canOpenResultLists,
  canOpenResults,
  canOpenTimeline,
  canSeeOffice,
  canSeeProgress,
  canViewOwnRecord,
  type Principal,
} from '../../domain/permissions';
import { CarryOverPage } from './imports/CarryOverPage';
import { ImportPage } from './imports/ImportPage';
import { OfficePage } from './office/OfficePage';
import { PrintRunsPage } from './printRuns/PrintRunsPage';
import { ProgressPage } from './progress/ProgressPage';
import { ConductPage } from './conduct/ConductPage';
import { GradebookPage } from './gradebook/GradebookPage';
import { ClassSummaryPage } from './results/ClassSummaryPage';
import { ResultListsPage } from './results/ResultListsPage';
import { StudentRecordPage } from './studentRecord/StudentRecordPage';
import { TimelinePage } from './timeline/TimelinePage';
import { HOCBA_PAGES } from './transcripts/pages';

/**
 * The portal's pages that are not REST resources (react-admin CustomRoutes), with who sees them in the menu. Each
 * predicate is a rule of domain/permissions.ts, the module the server enforces, so a menu
 * entry never leads to a page that answers 403.
 */
export interface PortalPage {
  path: string;
  label: string;
  icon: ComponentType;
  /** The page; absent for a menu entry that opens a resource (e.g. /transcripts, registered as a Resource). */
  element?: ReactElement;
  visible: (p: Principal) => boolean;
  /**
   * 'setup' pages sit in the menu's data-management group, 'hocba' ones in the Học bạ số group; the others in the
   * grade-book group.
   */
  group?: 'setup' | 'hocba';
}

export const PAGES: PortalPage[] = [
  // The education office: its schools' progress (also its home page, dashboard/Dashboard.tsx).
  { path: '/office', label: 'app.menu.office', icon: ApartmentIcon, element: <OfficePage />, visible: canSeeOffice },
  // Students and parents: their own child's scores (the page they open most).
  { path: '/my-record', label: 'app.menu.my_record', icon: SchoolIcon, element: <StudentRecordPage />, visible: canViewOwnRecord },
  { path: '/gradebook', label: 'app.menu.gradebook', icon: MenuBookIcon, element: <GradebookPage />, visible: canOpenGradebook },
  { path: '/conduct', label: 'app.menu.conduct', icon: EmojiPeopleIcon, element: <ConductPage />, visible: canOpenConduct },
  { path: '/results/summary', label: 'app.menu.results_summary', icon: TableChartIcon, element: <ClassSummaryPage />, visible: canOpenResults },
  {
    path: '/results/lists',
    label: 'app.menu.results_lists',
    icon: AssignmentTurnedInIcon,
    element: <ResultListsPage />,
    // Per class for a homeroom teacher or a VP of some grades; the whole school for those who read every class.
    visible: canOpenResultLists,
  },
  { path: '/print-runs', label: 'app.menu.print_runs', icon: PrintIcon, element: <PrintRunsPage />, visible: canOpenPrintRuns },
  { path: '/progress', label: 'app.menu.progress', icon: InsightsIcon, element: <ProgressPage />, visible: canSeeProgress },
  { path: '/timeline', label: 'app.menu.timeline', icon: EventNoteIcon, element: <TimelinePage />, visible: canOpenTimeline },
  { path: '/imports', label: 'app.menu.imports', icon: UploadFileIcon, element: <ImportPage />, visible: canImportAny, group: 'setup' },
  { path: '/carry-over', label: 'app.menu.carry_over', icon: DriveFileMoveIcon, element: <CarryOverPage />, visible: (p) => canCarryOver(p), group: 'setup' },
  ...HOCBA_PAGES,
];

/** The menu groups of the pages: the grade book's above the resources, data management below them. */
export const PAGE_GROUP_LABEL = 'app.menu.grades';
export const SETUP_GROUP_LABEL = 'app.menu.data';
export const HOCBA_GROUP_LABEL = 'app.hocba.menu.group';
