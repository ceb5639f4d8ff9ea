import { HttpError } from 'ra-core';
import type { Principal } from '../../../domain/permissions';
import { apiCall, setCsrfToken } from '../api/client';

/**
 * The portal's side of the session (docs/api-auth.md). The session itself is the server's httpOnly `sid` cookie;
 * this module keeps what the portal needs alongside it: the stage, the signed-in user, and the CSRF token it hands
 * to the API client (../api/client), which sends it.
 */

export type Stage = 'ok' | 'totp_required' | 'totp_setup_required' | 'password_change_required';

export interface SessionUser {
  id: number;
  username: string;
  fullName: string;
  schoolId: number;
  schoolName?: string;
  mustChangePassword: boolean;
  totpEnabled: boolean;
  totpRequired: boolean;
  principal: Principal;
}

export interface Session {
  stage: Stage;
  csrfToken: string;
  user: SessionUser;
}

export interface TotpSetup {
  secret: string;
  otpauthUrl: string;
  qrDataUrl: string;
}

/** Thrown by the auth provider's login when the session needs another step before it is usable. */
export class StageRequiredError extends Error {
  constructor(public readonly stage: Exclude<Stage, 'ok'>) {
    super(`stage:${stage}`);
    this.name = 'StageRequiredError';
  }
}

let current: Session | null = null;
let checkedAt = 0;
let inFlight: Promise<Session | null> | null = null;
/** How long a confirmed session is trusted before `/api/auth/me` is asked again (the server checks every call). */
const RECHECK_MS = 60_000;

export const getSession = (): Session | null => current;

function remember(session: Session): Session {
  current = session;
  checkedAt = Date.now();
  setCsrfToken(session.csrfToken);
  return session;
}

export function forgetSession(): void {
  current = null;
  checkedAt = 0;
  setCsrfToken(null);
}

export const authApi = {
  async login(username: string, password: string): Promise<Session> {
    forgetSession();
    return remember(await apiCall<Session>('/auth/login', { method: 'POST', body: { username, password } }));
  },
  async verifyTotp(code: string): Promise<Session> {
    return remember(await apiCall<Session>('/auth/totp/verify', { method: 'POST', body: { code } }));
  },
  /** Replacing an enabled factor needs `proof`: the password and a current code of the factor in use. */
  setupTotp(proof?: { password: string; code: string }): Promise<TotpSetup> {
    return apiCall<TotpSetup>('/auth/totp/setup', { method: 'POST', body: proof ?? {} });
  },
  async enableTotp(code: string): Promise<Session> {
    return remember(await apiCall<Session>('/auth/totp/enable', { method: 'POST', body: { code } }));
  },
  async disableTotp(password: string): Promise<SessionUser> {
    const { user } = await apiCall<{ user: SessionUser }>('/auth/totp/disable', { method: 'POST', body: { password } });
    if (current && user) current = { ...current, user };
    return user;
  },
  async changePassword(currentPassword: string, newPassword: string): Promise<Session> {
    return remember(
      await apiCall<Session>('/auth/change-password', { method: 'POST', body: { currentPassword, newPassword } }),
    );
  },
  async logout(): Promise<void> {
    const hadSession = current !== null;
    try {
      if (hadSession) await apiCall('/auth/logout', { method: 'POST', body: {} });
    } catch {
      // The session may already be gone (expired, revoked); there is nothing left to end.
    } finally {
      forgetSession();
    }
  },
  /**
   * The current session from `GET /api/auth/me` (cached for a minute unless `force`), or null without one.
   * Concurrent callers share one request.
   */
  me(force = false): Promise<Session | null> {
    if (!force && current && Date.now() - checkedAt < RECHECK_MS) return Promise.resolve(current);
    if (inFlight) return inFlight;
    inFlight = apiCall<Session>('/auth/me')
      .then((s) => remember(s))
      .catch((e: unknown) => {
        if (e instanceof HttpError && e.status === 401) {
          forgetSession();
          return null;
        }
        throw e;
      })
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  },
};
