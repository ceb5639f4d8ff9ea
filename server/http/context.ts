import type { Request } from 'express';
import type { Principal, Role } from '../../domain/permissions';
import { HttpError } from './errors';
import { langOf, type Lang } from './i18n';

/** Who is acting, as the audit trail and the permission checks need it. */
export interface Actor {
  userId: number | null;
  username: string | null;
  roles: Role[];
  ip: string | null;
  schoolId: number | null;
}

export interface SessionInfo {
  id: string;
  userId: number;
  stage: string;
  csrfToken: string;
}

export interface AuthedUser {
  id: number;
  username: string;
  fullName: string;
  schoolId: number | null;
  principal: Principal;
}

declare module 'express-serve-static-core' {
  interface Request {
    session?: SessionInfo;
    user?: AuthedUser;
  }
}

export function lang(req: Request): Lang {
  return langOf(req);
}

export function actorOf(req: Request): Actor {
  const user = req.user;
  return {
    userId: user?.id ?? null,
    username: user?.username ?? null,
    roles: [...new Set(user?.principal.grants.map((g) => g.role) ?? [])],
    ip: req.ip ?? null,
    schoolId: user?.schoolId ?? null,
  };
}

/** The signed-in user of a route behind `requireAuth`. */
export function userOf(req: Request): AuthedUser {
  if (!req.user) throw new HttpError(401, 'unauthenticated');
  return req.user;
}
