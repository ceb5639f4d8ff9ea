import MenuBookIcon from '@mui/icons-material/MenuBook';
import type { ComponentType, ReactElement } from 'react';
import type { Principal, Role } from '../../domain/permissions';
import { GradebookPage } from './gradebook/GradebookPage';

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

export const PAGES: PortalPage[] = [{ path: '/gradebook', label: 'app.menu.gradebook', icon: MenuBookIcon, element: <GradebookPage />, visible: mayOpenGradebook }];

/** The menu group of the pages, shown above the resources. */
export const PAGE_GROUP_LABEL = 'app.menu.grades';
