import crypto from 'node:crypto';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { checkPassword } from '../../domain/password-policy';
import { requiresTotp } from '../../domain/permissions';
import type { Config } from '../config';
import { nowIso, onOneConnection, toBool, type Db } from '../db/knex';
import { actorOf } from '../http/context';
import { hashPassword } from './passwords';
import { loadGrants, loadPrincipal } from './principal';
import type { SecretBox } from './secret-box';
import {
  authenticate,
  confirmPassword,
  confirmPasswordAndCode,
  findUser,
  publicUser,
  recordLogin,
  stageAfterPassword,
  stageAfterSecondFactor,
  verifyTotp,
  type UserRow,
} from './service';
import { endSessionsOf, SESSION_COOKIE, type SessionStore, type Stage } from './sessions';
import { DEVICE_COOKIE, DEVICE_MAX_AGE_MS, forgetDevicesOf, rememberDevice } from './devices';
import { newTotpSecret, totpQrDataUrl, totpUri } from './totp';
import { appendAudit, recordAudit } from '../core/audit';
import { AppError } from '../core/errors';
import { parse } from '../core/validate';

const LoginBody = z.strictObject({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(256) });
const CodeBody = z.strictObject({ code: z.string().trim().min(1).max(12) });
const PasswordBody = z.strictObject({ password: z.string().min(1).max(256) });
/** Replacing an enabled second factor: the password and a current code of the factor in use. */
const ReenrolBody = z.strictObject({ password: z.string().min(1).max(256), code: z.string().trim().min(1).max(12) });
/** How long a proven re-enrolment may take to be confirmed with a code of the new factor. */
const REENROL_MINUTES = 10;
const ChangePasswordBody = z.strictObject({ currentPassword: z.string().min(1).max(256), newPassword: z.string().min(1).max(256) });

export function authRouter(db: Db, store: SessionStore, box: SecretBox, config: Config): Router {
  const router = Router();

  const cookieSecure = (req: Request) => (config.cookieSecure === 'auto' ? req.secure : config.cookieSecure);

  async function reply(res: Response, user: UserRow, stage: Stage, csrfToken: string) {
    res.json({ stage, csrfToken, user: await publicUser(db, user) });
  }

  /** The session and user behind a request at any stage, or 401. */
  async function current(req: Request, allowed: Stage[]): Promise<{ user: UserRow; stage: Stage }> {
    if (!req.session) throw new AppError('unauthenticated', 'unauthenticated');
    const stage = req.session.stage as Stage;
    if (!allowed.includes(stage)) throw new AppError('conflict', 'forbidden', {}, {}, { stage });
    const user = (await findUser(db, { id: req.session.userId }))!;
    return { user, stage };
  }

  /** After a full sign-in: this browser becomes (or stays) a known device of the account (devices.ts). */
  async function rememberThisDevice(req: Request, res: Response, userId: number) {
    const value = await rememberDevice(db, box, readCookie(req, DEVICE_COOKIE), userId);
    res.cookie(DEVICE_COOKIE, value, { httpOnly: true, sameSite: 'strict', secure: cookieSecure(req), path: '/api/auth', maxAge: DEVICE_MAX_AGE_MS });
  }

  async function advance(req: Request, res: Response, user: UserRow, stage: Stage) {
    await store.setStage(req.session!.id, stage);
    await reply(res, user, stage, req.session!.csrfToken);
  }

  router.post('/login', async (req, res) => {
    if (!req.is('application/json')) throw new AppError('unsupported', 'unsupportedMediaType');
    const { username, password } = parse(LoginBody, req.body);
    const { user, viaDevice } = await authenticate(db, username, password, req.ip ?? null, {
      ipMaxFailures: config.loginIpMaxFailures,
      deviceCookie: readCookie(req, DEVICE_COOKIE),
      box,
    });
    const stage = viaDevice ? 'totp_required' : await stageAfterPassword(db, user);
    if (req.session) await store.destroy(req.session.id);
    const { token, row } = await store.create(Number(user.id), stage, { ip: req.ip, userAgent: req.headers['user-agent'] });
    // Through a lock on a known device: the TOTP step is checked against the device's budget, not the account's.
    if (viaDevice) await db('sessions').where({ id: row.id }).update({ via_device: viaDevice });
    if (stage !== 'totp_required') {
      await recordLogin(db, user, req.ip ?? null);
      await rememberThisDevice(req, res, Number(user.id));
    }
    res.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: cookieSecure(req),
      path: '/',
      maxAge: config.sessionAbsoluteMs,
    });
    await reply(res, user, stage, row.csrf_token);
  });

  router.post('/totp/verify', async (req, res) => {
    const { user } = await current(req, ['totp_required']);
    const { code } = parse(CodeBody, req.body);
    const viaDevice = ((await db('sessions').where({ id: req.session!.id }).first('via_device')) as { via_device: string | null } | undefined)?.via_device ?? null;
    await verifyTotp(db, box, user, code, req.ip ?? null, false, viaDevice);
    await recordLogin(db, user, req.ip ?? null, viaDevice);
    await rememberThisDevice(req, res, Number(user.id));
    await advance(req, res, user, stageAfterSecondFactor(user));
  });

  // First enrolment needs nothing more than the session; replacing an enabled factor needs the password and a
  // current code of that factor (a stolen session alone cannot swap the second factor), or an admin's reset.
  router.post('/totp/setup', async (req, res) => {
    const { user, stage } = await current(req, ['totp_setup_required', 'ok']);
    const reenrol = stage === 'ok' && toBool(user.totp_enabled);
    if (reenrol) {
      const body = req.body && typeof req.body === 'object' && Object.keys(req.body as object).length > 0 ? req.body : null;
      if (!body) throw new AppError('forbidden', 'totpReenrolNeedsProof');
      const { password, code } = parse(ReenrolBody, body);
      await confirmPasswordAndCode(db, box, user, password, code, req.ip ?? null);
    }
    const secret = newTotpSecret();
    await db('users')
      .where({ id: user.id })
      .update({
        totp_pending_secret: box.seal(secret),
        totp_reenrol_until: reenrol ? new Date(Date.now() + REENROL_MINUTES * 60_000).toISOString() : null,
        updated_at: nowIso(),
      });
    const otpauthUrl = totpUri(secret, user.username);
    res.json({ secret, otpauthUrl, qrDataUrl: await totpQrDataUrl(otpauthUrl) });
  });

  router.post('/totp/enable', async (req, res) => {
    const { user, stage } = await current(req, ['totp_setup_required', 'ok']);
    const { code } = parse(CodeBody, req.body);
    const reenrol = stage === 'ok' && toBool(user.totp_enabled);
    if (reenrol && !(user.totp_reenrol_until && Date.parse(user.totp_reenrol_until) > Date.now())) {
      throw new AppError('forbidden', 'totpReenrolNeedsProof');
    }
    try {
      await verifyTotp(db, box, user, code, req.ip ?? null, true);
    } catch (err) {
      // A wrong code while enrolling is a form error, not a lost session (401 would sign the portal out).
      if (err instanceof AppError && err.kind === 'unauthenticated') throw new AppError('invalid', 'validation', {}, { code: { key: err.key } });
      throw err;
    }
    await db.transaction(async (trx) => {
      await trx('users')
        .where({ id: user.id })
        .update({ totp_secret: user.totp_pending_secret, totp_pending_secret: null, totp_enabled: true, totp_reenrol_until: null, updated_at: nowIso() });
      // A replaced factor: browsers remembered under the old one are known no more.
      if (reenrol) await forgetDevicesOf(trx, Number(user.id));
      await appendAudit(trx, { ...actorOf(req), userId: Number(user.id), username: user.username }, {
        action: 'totp_enable',
        entity: 'users',
        entityId: user.id,
        after: reenrol ? { replaced: true } : undefined,
      });
    });
    const fresh = (await findUser(db, { id: user.id }))!;
    await advance(req, res, fresh, stage === 'ok' ? 'ok' : stageAfterSecondFactor(fresh));
  });

  router.post('/totp/disable', async (req, res) => {
    const { user } = await current(req, ['ok']);
    const { password } = parse(PasswordBody, req.body);
    if (requiresTotp(await loadGrants(db, Number(user.id)))) throw new AppError('forbidden', 'totpRequiredRole');
    await confirmPassword(db, user, password, req.ip ?? null, 'password');
    await db.transaction(async (trx) => {
      await trx('users').where({ id: user.id }).update({ totp_secret: null, totp_pending_secret: null, totp_enabled: false, updated_at: nowIso() });
      await appendAudit(trx, actorOf(req), { action: 'totp_disable', entity: 'users', entityId: user.id });
    });
    res.json({ user: await publicUser(db, (await findUser(db, { id: user.id }))!) });
  });

  router.post('/change-password', async (req, res) => {
    const { user, stage } = await current(req, ['password_change_required', 'ok']);
    const { currentPassword, newPassword } = parse(ChangePasswordBody, req.body);
    await confirmPassword(db, user, currentPassword, req.ip ?? null, 'currentPassword');
    const problem = checkPassword(newPassword, user.username);
    if (problem) throw new AppError('invalid', 'validation', {}, { newPassword: problem });
    if (newPassword === currentPassword) throw new AppError('invalid', 'validation', {}, { newPassword: { key: 'passwordUnchanged' } });
    const hash = await hashPassword(newPassword);
    await db.transaction(async (trx) => {
      const now = nowIso();
      await trx('users').where({ id: user.id }).update({ password_hash: hash, must_change_password: false, password_changed_at: now, updated_at: now });
      // A changed password ends every other session of the account.
      await endSessionsOf(trx, Number(user.id), req.session!.id);
      await appendAudit(trx, { ...actorOf(req), userId: Number(user.id), username: user.username }, {
        action: 'password_change',
        entity: 'users',
        entityId: user.id,
      });
    });
    const fresh = (await findUser(db, { id: user.id }))!;
    await advance(req, res, fresh, stage === 'password_change_required' ? 'ok' : stage);
  });

  router.post('/logout', async (req, res) => {
    if (req.session) {
      await store.destroy(req.session.id);
      await recordAudit(db, actorOf(req), { action: 'logout', entity: 'users', entityId: req.session.userId });
    }
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.json({ ok: true });
  });

  router.get('/me', async (req, res) => {
    if (!req.session) throw new AppError('unauthenticated', 'unauthenticated');
    const user = (await findUser(db, { id: req.session.userId }))!;
    await reply(res, user, req.session.stage as Stage, req.session.csrfToken);
  });

  return router;
}

// Session plumbing for every API route: who is signed in, CSRF, and the gate to the capabilities.

function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/**
 * Attaches the session and its user (at whatever stage) to the request: the session with its user and roles in one
 * query, then the user's teaching scopes in another, on one connection (onOneConnection).
 */
export function loadSession(db: Db, store: SessionStore): RequestHandler {
  return async (req, _res, next) => {
    const found = await onOneConnection(db, async (conn) => {
      const live = await store.find(readCookie(req, SESSION_COOKIE), conn);
      if (!live) return null;
      const { session, user, roles } = live;
      if (toBool(user.disabled)) {
        await store.destroy(session.id, conn);
        return null;
      }
      const principal = await loadPrincipal(conn, Number(user.id), user.staff_id === null ? null : Number(user.staff_id), roles);
      return { session, user, principal };
    });
    if (!found) return next();
    const { session, user, principal } = found;
    req.session = { id: session.id, userId: Number(user.id), stage: session.stage, csrfToken: session.csrf_token };
    req.user = {
      id: Number(user.id),
      username: user.username,
      fullName: user.full_name,
      schoolId: user.school_id === null ? null : Number(user.school_id),
      principal,
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
 * says where it comes from, come from our own origin.
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
