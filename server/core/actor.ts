import type { Principal, Role } from '../../domain/permissions';
import { AppError } from './errors';

/** Who is acting, as the audit trail and the permission checks need it: a signed-in user, or the timeline. */
export interface Actor {
  userId: number | null;
  username: string | null;
  /** The person's name, where a document names them (correction minutes). */
  fullName?: string | null;
  roles: Role[];
  ip: string | null;
  schoolId: number | null;
  /** What the permission rules check; null before sign-in (a failed login is still audited). */
  principal?: Principal | null;
}

export const SYSTEM_USERNAME = 'Hệ thống';

/**
 * The timeline's actor ("Hệ thống"): no user, no IP, an administrator's reach in one school — it locks a
 * semester, reminds and escalates on the school's own schedule. The audit trail names it, with no role.
 */
export function systemActor(schoolId: number): Actor {
  return {
    userId: null,
    username: SYSTEM_USERNAME,
    roles: [],
    ip: null,
    schoolId,
    principal: { userId: 0, grants: [{ schoolId, role: 'admin' }], homeroomClasses: [], assignments: [] },
  };
}

/**
 * The system acting on the whole database rather than on one school — a backup, a restore: no user, no school, so
 * its audit rows go to the system's chain. It has no permissions; only operator commands and the timeline use it.
 */
export function systemWideActor(): Actor {
  return { userId: null, username: SYSTEM_USERNAME, roles: [], ip: null, schoolId: null, principal: null };
}

/** The actor's permission subject; an operation reached without one is refused as unauthenticated. */
export function principalOf(actor: Actor): Principal {
  if (!actor.principal) throw new AppError('unauthenticated', 'unauthenticated');
  return actor.principal;
}
