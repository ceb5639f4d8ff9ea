import { totpCode } from '../../server/auth/totp';
import type { DemoAccount } from '../../server/demo/seed';
import type { Db } from '../../server/db/knex';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** Codes already spent per secret: the server refuses a replayed step, so each login takes a fresh one. */
const lastStep = new Map<string, number>();
/** The step totpNow last spent, per secret: it does not know the server, so the next login on any server skips it. */
const spentByTotpNow = new Map<string, number>();

/** A TOTP code the server has not seen yet (the next step within its ±1 window, waiting if need be). */
export async function freshTotp(secret: string, server = ''): Promise<string> {
  const key = `${server} ${secret}`;
  const nowStep = Math.floor(Date.now() / 30_000);
  // Demo secrets repeat across schools and files may fake the clock: a step totpNow spent matters only when it is
  // this clock's current one (an earlier step is past anyway; one from another clock would make this login wait).
  const byTotpNow = spentByTotpNow.get(secret) === nowStep ? nowStep : -Infinity;
  const step = Math.max(nowStep, Math.max(lastStep.get(key) ?? -Infinity, byTotpNow) + 1);
  if (step > nowStep + 1) await new Promise((r) => setTimeout(r, (step - 1) * 30_000 - Date.now() + 50));
  lastStep.set(key, step);
  return totpCode(secret, step * 30_000 + 1_000);
}

/**
 * A code for the current step, usable at once: forgets the account's last used step first. Only for tests whose
 * subject is not the replay guard (which test/auth and test/hardening-auth cover with freshTotp): a principal who
 * signs four batches in a row would otherwise wait up to 30 s before each.
 */
export async function totpNow(db: Db, account: { username: string; totpSecret?: string | null }): Promise<string> {
  await db('users').where({ username: account.username }).update({ totp_last_step: null });
  const now = Date.now();
  // The latest, not the largest: a step from a file's faked clock must not hide the one spent on the real clock.
  spentByTotpNow.set(account.totpSecret!, Math.floor(now / 30_000));
  return totpCode(account.totpSecret!, now);
}

/** A browser-like API client: keeps the session cookie and sends the CSRF token on writes. */
export class Client {
  cookie = '';
  csrf = '';
  lang = 'vi';

  constructor(readonly base: string) {}

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const h: Record<string, string> = { 'Accept-Language': this.lang, ...headers };
    if (this.cookie) h.Cookie = this.cookie;
    if (method !== 'GET' && this.csrf && !('X-CSRF-Token' in headers)) h['X-CSRF-Token'] = this.csrf;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      h['Content-Type'] ??= 'application/json';
    }
    const res = await fetch(this.base + path, { method, headers: h, body: payload });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const m = /sid=([^;]*)/.exec(setCookie);
      if (m) this.cookie = m[1] ? `sid=${m[1]}` : '';
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    const b = parsed as { csrfToken?: string } | null;
    if (b && typeof b === 'object' && typeof b.csrfToken === 'string') this.csrf = b.csrfToken;
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  /** A GET whose answer is a file (an export): the bytes, and the error body as JSON when it is not one. */
  async download(path: string): Promise<{ status: number; headers: Headers; bytes: Buffer; body: any }> {
    const h: Record<string, string> = { 'Accept-Language': this.lang };
    if (this.cookie) h.Cookie = this.cookie;
    const res = await fetch(this.base + path, { headers: h });
    const bytes = Buffer.from(await res.arrayBuffer());
    let body: unknown = null;
    if ((res.headers.get('content-type') ?? '').includes('json')) body = JSON.parse(bytes.toString('utf8'));
    return { status: res.status, headers: res.headers, bytes, body };
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = any>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body);
  }
  put<T = any>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, body);
  }
  delete<T = any>(path: string) {
    return this.request<T>('DELETE', path);
  }

  /** Logs in through every stage the account needs (TOTP with its secret); fails loudly otherwise. */
  async login(username: string, password: string, totpSecret?: string): Promise<ApiResponse> {
    let res = await this.post('/api/auth/login', { username, password });
    if (res.status === 200 && res.body.stage === 'totp_required' && totpSecret) {
      res = await this.post('/api/auth/totp/verify', { code: await freshTotp(totpSecret, this.base) });
    }
    return res;
  }

  async loginAs(account: DemoAccount): Promise<this> {
    const res = await this.login(account.username, account.password, account.totpSecret);
    if (res.status !== 200 || res.body.stage !== 'ok') {
      throw new Error(`login as ${account.username} failed: ${res.status} ${JSON.stringify(res.body)}`);
    }
    return this;
  }
}

export function accountFor(accounts: DemoAccount[], role: string): DemoAccount {
  const a = accounts.find((x) => x.role === role);
  if (!a) throw new Error(`no demo account for role ${role}`);
  return a;
}
