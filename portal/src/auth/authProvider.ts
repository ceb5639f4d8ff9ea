import type { AuthProvider, UserIdentity } from 'ra-core';
import { canAccessResource } from '../access';
import { authApi, getSession, StageRequiredError, type Session, type SessionUser } from './session';

/** What `login()` accepts: the password step, or one of the later steps of the same sign-in. */
export type LoginParams =
  | { username: string; password: string }
  | { step: 'totp'; code: string }
  | { step: 'totp_enable'; code: string }
  | { step: 'password_change'; currentPassword: string; newPassword: string };

export interface PortalIdentity extends UserIdentity {
  fullName: string;
  user: SessionUser;
}

async function okSession(): Promise<Session | null> {
  const s = await authApi.me();
  return s && s.stage === 'ok' ? s : null;
}

/**
 * react-admin's auth provider over docs/api-auth.md.
 *
 * `login` resolves only once the session reaches `ok`; when the server asks for another step (TOTP code, TOTP
 * enrolment, forced password change) it rejects with `StageRequiredError`, and the login page shows that step and
 * calls `login` again with it.
 */
export const authProvider: AuthProvider = {
  async login(params: LoginParams) {
    let session: Session;
    if ('username' in params) session = await authApi.login(params.username, params.password);
    else if (params.step === 'totp') session = await authApi.verifyTotp(params.code);
    else if (params.step === 'totp_enable') session = await authApi.enableTotp(params.code);
    else session = await authApi.changePassword(params.currentPassword, params.newPassword);
    if (session.stage !== 'ok') throw new StageRequiredError(session.stage);
  },

  async logout() {
    await authApi.logout();
  },

  async checkAuth() {
    const session = await authApi.me().catch(() => null);
    if (!session || session.stage !== 'ok') {
      throw { message: 'ra.auth.auth_check_error', redirectTo: '/login' };
    }
  },

  async checkError(error: { status?: number; body?: { stage?: string } }) {
    const status = error?.status;
    if (status === 401) {
      // The session ended (expired, revoked after a role change, signed out elsewhere): sign in again.
      throw { message: 'ra.notification.logged_out', redirectTo: '/login' };
    }
    // 403 is "not allowed to do this": stay signed in, the notification says why.
  },

  async getIdentity(): Promise<PortalIdentity> {
    const session = getSession() ?? (await authApi.me());
    if (!session) throw new Error('ra.auth.auth_check_error');
    const { user } = session;
    return { id: user.id, fullName: user.fullName, user };
  },

  async getPermissions() {
    const session = await okSession();
    return session?.user.principal ?? null;
  },

  async canAccess({ action, resource, record }) {
    const session = getSession()?.stage === 'ok' ? getSession() : await okSession();
    return canAccessResource(session?.user.principal, action, resource, record);
  },
};

export { StageRequiredError };
