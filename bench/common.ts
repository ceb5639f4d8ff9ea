import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import type { Config } from '../server/config';
import { createDb, migrateLatest, type Db } from '../server/db/knex';

/** A fresh, migrated database for one benchmark run: SQLite in a temp dir, or a new PostgreSQL database. */
export async function freshBenchDb(): Promise<{ db: Db; url: string; drop: () => Promise<void> }> {
  const pgUrl = process.env.BENCH_DATABASE_URL;
  const name = `bench_${crypto.randomBytes(4).toString('hex')}`;
  if (!pgUrl) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
    const url = `sqlite:${path.join(dir, 'bench.sqlite')}`;
    const db = createDb(url);
    await migrateLatest(db);
    return { db, url, drop: async () => (await db.destroy(), fs.rmSync(dir, { recursive: true, force: true })) };
  }
  const admin = knexFactory({ client: 'pg', connection: pgUrl });
  await admin.raw(`CREATE DATABASE ${name}`);
  await admin.destroy();
  const u = new URL(pgUrl);
  u.pathname = `/${name}`;
  const db = createDb(u.toString());
  await migrateLatest(db);
  return {
    db,
    url: u.toString(),
    drop: async () => {
      await db.destroy();
      const a = knexFactory({ client: 'pg', connection: pgUrl });
      await a.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.destroy();
    },
  };
}

export function testLikeConfig(databaseUrl: string): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    databaseUrl,
    dataDir: os.tmpdir(),
    sessionSecret: crypto.randomBytes(32).toString('hex'),
    corsOrigin: 'http://localhost:3000',
    sessionIdleMs: 3_600_000,
    sessionAbsoluteMs: 3_600_000,
    demoSeed: false,
    trustProxy: false,
    cookieSecure: false,
  };
}

export function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** A signed-in API session of a demo account (all share DEMO_PASSWORD): the session cookie and the CSRF token. */
export type ApiSession = { cookie: string; csrf: string };

export async function login(base: string, username: string): Promise<ApiSession> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password: 'Demo-2026-hocba' }) });
  const body = (await res.json()) as { csrfToken: string; stage: string };
  if (body.stage !== 'ok') throw new Error(`login ${username}: ${JSON.stringify(body)}`);
  return { cookie: /sid=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0], csrf: body.csrfToken };
}

/** One API call in a session; `ms` is the server's own time (`Server-Timing: app;dur=…`), NaN without it. */
export async function call(base: string, s: ApiSession, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown; ms: number }> {
  const res = await fetch(base + path, {
    method,
    headers: { Cookie: s.cookie, 'X-CSRF-Token': s.csrf, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const ms = Number(/dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '')?.[1] ?? NaN);
  return { status: res.status, body: (await res.json()) as unknown, ms };
}

/**
 * CPU time (ms) used so far by every process of this machine whose command is `name` (PostgreSQL's backends,
 * say), from /proc; null where there is no /proc. Sample before and after: processes that ended in between are
 * missed, so it is a floor.
 */
export function processesCpuMs(name: string): number | null {
  if (!fs.existsSync('/proc/self/stat')) return null;
  const tick = 10; // ms per clock tick (USER_HZ is 100 on Linux)
  let total = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (comm !== name) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) * tick; // utime, stime
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}
