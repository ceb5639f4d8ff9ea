import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { Config } from '../config';
import { nowIso, selectRows, type Db } from '../db/knex';
import type { SecretBox } from './secret-box';
import type { RoleRow } from './principal';

/**
 * Server-side sessions in the database. The cookie carries a random token; the table stores only its HMAC,
 * so neither a database copy nor a log line can be replayed as a cookie. Idle and absolute timeouts are
 * checked on every request; ending a user's sessions takes effect on their next request.
 */
export type Stage = 'totp_required' | 'totp_setup_required' | 'password_change_required' | 'ok';

export interface SessionRow {
  id: string;
  user_id: number;
  stage: Stage;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

/** The user a session belongs to, as the request needs it. */
export interface SessionUser {
  id: number;
  username: string;
  full_name: string;
  school_id: number | null;
  staff_id: number | null;
  disabled: unknown;
}

export const SESSION_COOKIE = 'sid';
/** Writing last_seen_at on every request would turn every read into a write; a minute's precision is enough. */
const TOUCH_EVERY_MS = 60_000;

export class SessionStore {
  constructor(
    private readonly db: Db,
    private readonly box: SecretBox,
    private readonly config: Pick<Config, 'sessionIdleMs' | 'sessionAbsoluteMs'>,
  ) {}

  async create(userId: number, stage: Stage, meta: { ip?: string | null; userAgent?: string | null }): Promise<{ token: string; row: SessionRow }> {
    const token = crypto.randomBytes(32).toString('base64url');
    const now = new Date();
    const row: SessionRow = {
      id: this.box.mac(token),
      user_id: userId,
      stage,
      csrf_token: crypto.randomBytes(24).toString('base64url'),
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + this.config.sessionAbsoluteMs).toISOString(),
    };
    await this.db('sessions').insert({ ...row, ip: meta.ip ?? null, user_agent: (meta.userAgent ?? '').slice(0, 300) || null });
    return { token, row };
  }

  /**
   * The live session for a cookie token with its user, in one query, or null (expired sessions are removed on the
   * way).
   */
  async find(token: string | undefined, conn: Knex | Knex.Transaction = this.db): Promise<{ session: SessionRow; user: SessionUser; roles: RoleRow[] } | null> {
    if (!token) return null;
    const id = this.box.mac(token);
    // One row per role of the user (or one with no role).
    const rows = await selectRows<SessionRow & Omit<SessionUser, 'id'> & Record<string, unknown>>(
      conn,
      `select s.id, s.user_id, s.stage, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at, u.username, u.full_name, u.school_id, u.staff_id, u.disabled,
         r.id as role_id, r.school_id as role_school_id, r.role, r.department_ids, r.grades, r.manage_accounts, r.department_id, r.student_id
       from sessions s join users u on u.id = s.user_id left join user_roles r on r.user_id = u.id where s.id = ? order by r.id`,
      [id],
    );
    const row = rows[0];
    if (!row) return null;
    const now = Date.now();
    const idleExpired = now - Date.parse(row.last_seen_at) > this.config.sessionIdleMs;
    if (idleExpired || now >= Date.parse(row.expires_at)) {
      await conn('sessions').where({ id }).delete();
      return null;
    }
    if (now - Date.parse(row.last_seen_at) > TOUCH_EVERY_MS) {
      await conn('sessions').where({ id }).update({ last_seen_at: nowIso() });
    }
    const session: SessionRow = { id: row.id, user_id: row.user_id, stage: row.stage, csrf_token: row.csrf_token, created_at: row.created_at, last_seen_at: row.last_seen_at, expires_at: row.expires_at };
    const user: SessionUser = { id: row.user_id, username: row.username, full_name: row.full_name, school_id: row.school_id, staff_id: row.staff_id, disabled: row.disabled };
    const roles = rows
      .filter((r) => r.role_id !== null)
      .map((r) => ({ ...(r as unknown as RoleRow), school_id: r.role_school_id as number }));
    return { session, user, roles };
  }

  async setStage(id: string, stage: Stage): Promise<void> {
    await this.db('sessions').where({ id }).update({ stage });
  }

  async destroy(id: string, conn: Knex | Knex.Transaction = this.db): Promise<void> {
    await conn('sessions').where({ id }).delete();
  }
}

/** Ends every live session of a user (disabled, role changed, password reset). Runs in the caller's transaction. */
export async function endSessionsOf(trx: Knex | Knex.Transaction, userId: number, exceptSessionId?: string): Promise<number> {
  const q = trx('sessions').where({ user_id: userId });
  if (exceptSessionId) q.whereNot({ id: exceptSessionId });
  return q.delete();
}
