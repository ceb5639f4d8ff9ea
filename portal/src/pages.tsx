import AssignmentTurnedInIcon from '@mui/icons-material/AssignmentTurnedIn';
import DriveFileMoveIcon from '@mui/icons-material/DriveFileMove';
import InsightsIcon from '@mui/icons-material/Insights';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import EmojiPeopleIcon from '@mui/icons-material/EmojiPeople';
import MenuBookIcon from '@mui/icons-material/MenuBook';
import TableChartIcon from '@mui/icons-material/TableChart';
import type { ComponentType, ReactElement } from 'react';
import type { Principal, Role } from '../../domain/permissions';
import { canCarryOver } from '../../domain/imports-access';
import { canSeeProgress } from '../../domain/progress-access';
import { canReadSchoolResults } from '../../domain/results-access';
import { CarryOverPage } from './imports/CarryOverPage';
import { ImportPage, mayImport } from './imports/ImportPage';
import { ProgressPage } from './progress/ProgressPage';
import { ConductPage, mayOpenConduct } from './conduct/ConductPage';
import { GradebookPage } from './gradebook/GradebookPage';
import { ClassSummaryPage, mayOpenResults } from './results/ClassSummaryPage';
import { ResultListsPage } from './results/ResultListsPage';

/**
 * The portal's pages that are not REST resources (react-admin CustomRoutes), with who sees them in the menu. Each
 * predicate asks the same domain rules the server enforces (domain/permissions.ts, domain/*-access.ts), so a menu
 * entry never leads to a page that answers 403.
 */
export interface PortalPage {
  path: string;
  label: string;
  icon: ComponentType;
  element: ReactElement;
  visible: (p: Principal) => boolean;
  /** 'setup' pages sit in the menu's data-management group; the others in the grade-book group. */
  group?: 'setup';
}

const holds = (p: Principal, roles: Role[]) => p.grants.some((g) => roles.includes(g.role));

/** Someone canReadGradebook may answer yes for, on some class × subject of their school. */
export function mayOpenGradebook(p: Principal): boolean {
  return (
    holds(p, ['admin', 'principal', 'vice_principal', 'department_head', 'academic_staff']) ||
    (holds(p, ['subject_teacher']) && p.assignments.length > 0) ||
    (holds(p, ['homeroom_teacher']) && p.homeroomClasses.length > 0)
  );
}

export const PAGES: PortalPage[] = [
  { path: '/gradebook', label: 'app.menu.gradebook', icon: MenuBookIcon, element: <GradebookPage />, visible: mayOpenGradebook },
  { path: '/conduct', label: 'app.menu.conduct', icon: EmojiPeopleIcon, element: <ConductPage />, visible: mayOpenConduct },
  { path: '/results/summary', label: 'app.menu.results_summary', icon: TableChartIcon, element: <ClassSummaryPage />, visible: mayOpenResults },
  {
    path: '/results/lists',
    label: 'app.menu.results_lists',
    icon: AssignmentTurnedInIcon,
    element: <ResultListsPage />,
    // Per class for a homeroom teacher or a VP of some grades; the whole school for those who read every class.
    visible: (p) => mayOpenResults(p) || p.grants.some((g) => canReadSchoolResults(p, g.schoolId)),
  },
  { path: '/progress', label: 'app.menu.progress', icon: InsightsIcon, element: <ProgressPage />, visible: canSeeProgress },
  { path: '/imports', label: 'app.menu.imports', icon: UploadFileIcon, element: <ImportPage />, visible: mayImport, group: 'setup' },
  { path: '/carry-over', label: 'app.menu.carry_over', icon: DriveFileMoveIcon, element: <CarryOverPage />, visible: (p) => canCarryOver(p), group: 'setup' },
];

/** The menu groups of the pages: the grade book's above the resources, data management below them. */
export const PAGE_GROUP_LABEL = 'app.menu.grades';
export const SETUP_GROUP_LABEL = 'app.menu.data';
