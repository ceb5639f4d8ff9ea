import crypto from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { Config } from '../config';
import type { Db } from '../db/knex';
import { toBool } from '../db/knex';
import { loadPrincipal } from './principal';
import { SESSION_COOKIE, type SessionStore, type Stage } from './sessions';
import { AppError } from '../core/errors';

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** Attaches the session and its user (at whatever stage) to the request. */
export function loadSession(db: Db, store: SessionStore): RequestHandler {
  return async (req, _res, next) => {
    const session = await store.find(readCookie(req, SESSION_COOKIE));
    if (!session) return next();
    const user = (await db('users').where({ id: session.user_id }).first()) as
      | { id: number; username: string; full_name: string; school_id: number | null; staff_id: number | null; disabled: unknown }
      | undefined;
    if (!user || toBool(user.disabled)) {
      await store.destroy(session.id);
      return next();
    }
    req.session = { id: session.id, userId: user.id, stage: session.stage, csrfToken: session.csrf_token };
    req.user = {
      id: Number(user.id),
      username: user.username,
      fullName: user.full_name,
      schoolId: user.school_id === null ? null : Number(user.school_id),
      principal: await loadPrincipal(db, Number(user.id), user.staff_id === null ? null : Number(user.staff_id)),
    };
    next();
  };
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const STAGE_MESSAGE = {
  totp_required: 'stageTotp',
  totp_setup_required: 'stageTotpSetup',
  password_change_required: 'stagePasswordChange',
} as const;

/**
 * CSRF: with a session, every state-changing request must echo the session's token in X-CSRF-Token (a page on
 * another site cannot read it). Without one (the login itself), the request must be JSON and, when the browser
 * says where it comes from, come from the configured origin (CORS_ORIGIN) and nowhere else.
 */
export function csrfGuard(config: Pick<Config, 'corsOrigin'>): RequestHandler {
  return (req, _res, next) => {
    if (SAFE.has(req.method)) return next();
    const origin = req.headers.origin;
    // Only the configured origin: an Origin equal to the Host header proves nothing (a DNS-rebinding page sends one).
    if (origin !== undefined && origin !== config.corsOrigin) {
      throw new AppError('forbidden', 'originRefused');
    }
    if (!req.session) return next();
    const sent = String(req.headers['x-csrf-token'] ?? '');
    const expected = req.session.csrfToken;
    const ok = sent.length === expected.length && crypto.timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
    if (!ok) throw new AppError('forbidden', 'csrf');
    next();
  };
}

/** Routes past this point need a fully signed-in session; a half-finished login is told what step remains. */
export const requireAuth: RequestHandler = (req, _res, next) => {
  const stage = req.session?.stage as Stage | undefined;
  if (!req.session || !req.user) throw new AppError('unauthenticated', 'unauthenticated');
  if (stage !== 'ok') {
    throw new AppError('unauthenticated', STAGE_MESSAGE[stage as keyof typeof STAGE_MESSAGE] ?? 'unauthenticated', {}, {}, { stage });
  }
  next();
};
