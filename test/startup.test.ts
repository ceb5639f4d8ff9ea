import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Starts the server as `npm start` does (the bundled server; minus the portal build) and collects what it prints. */
function start(env: Record<string, string>): { child: ChildProcess; output: () => string; ready: Promise<void> } {
  const child = spawn(process.execPath, ['scripts/start.mjs', '--server-only'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      if (/http:\/\/localhost:\d+/.test(out)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
  });
  return { child, output: () => out, ready };
}

describe('first start on the embedded default', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'start-'));
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) c.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates and migrates the SQLite database, seeds the demo school once and prints one account per role on every start', async () => {
    const port = await freePort();
    const env = { PORT: String(port), DATA_DIR: dir, DATABASE_URL: `sqlite:${path.join(dir, 'school.sqlite')}` };
    const first = start(env);
    children.push(first.child);
    await first.ready;
    expect(fs.existsSync(path.join(dir, 'school.sqlite'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'session-secret'))).toBe(true);
    for (const username of ['admin', 'hieutruong', 'phohieutruong', 'totruong', 'gvcn', 'gvbm', 'giaovu', 'vanthu', 'ketoan', 'hocsinh', 'phonggd']) {
      expect(first.output()).toContain(username);
    }
    const health = await fetch(`http://127.0.0.1:${port}/api/health`);
    expect(await health.json()).toEqual({ ok: true });
    const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'gvbm', password: 'Demo-2026-hocba' }),
    });
    expect((await login.json()).stage).toBe('ok');
    first.child.kill('SIGTERM');
    await new Promise((r) => first.child.once('exit', r));

    // A second start keeps the data and does not seed again, but prints the accounts again — with the same TOTP
    // secrets, or a newcomer who missed the first start is locked out of the admin and principal accounts.
    const principalSecret = (out: string) => out.split('\n').find((l) => l.includes("'hieutruong'"))?.match(/'([A-Z2-7]{32})'/)?.[1];
    expect(principalSecret(first.output())).toBeDefined();
    const second = start({ ...env, PORT: String(await freePort()) });
    children.push(second.child);
    await second.ready;
    expect(principalSecret(second.output())).toBe(principalSecret(first.output()));
    expect(second.output()).toContain('Demo-2026-hocba');
    const db = new Database(path.join(dir, 'school.sqlite'), { readonly: true });
    expect((db.prepare('select count(*) as n from schools').get() as { n: number }).n).toBe(1);
    db.close();
  }, 60_000);

  it('refuses to start with a clear message when the configuration is wrong', async () => {
    const bad = start({ PORT: 'abc', DATA_DIR: dir, DATABASE_URL: 'mysql://nope' });
    children.push(bad.child);
    await expect(bad.ready).rejects.toThrow(/DATABASE_URL: must start with sqlite: or postgres:\/\//);
    expect(bad.output()).not.toMatch(/at .*\.ts:\d+/);
  }, 30_000);
});
