import type { Request } from 'express';
import type { Principal } from '../../domain/permissions';
import type { Actor } from '../core/actor';
import { AppError } from '../core/errors';
import type { Lang } from '../core/i18n';
import { langOf } from './lang';

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

/** The request's actor: the signed-in user (if any) and the client's address. */
export function actorOf(req: Request): Actor {
  const user = req.user;
  return {
    userId: user?.id ?? null,
    username: user?.username ?? null,
    fullName: user?.fullName ?? null,
    roles: [...new Set(user?.principal.grants.map((g) => g.role) ?? [])],
    ip: req.ip ?? null,
    schoolId: user?.schoolId ?? null,
    principal: user?.principal ?? null,
  };
}

/** The signed-in user of a route behind `requireAuth`. */
export function userOf(req: Request): AuthedUser {
  if (!req.user) throw new AppError('unauthenticated', 'unauthenticated');
  return req.user;
}
