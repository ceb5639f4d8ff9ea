/**
 * The scaled topology, as docker-compose wires it but as separate local processes: PostgreSQL (a fresh database),
 * `temporal server start-dev`, the API server (`tsx server/main.ts` with TEMPORAL_ADDRESS, so it only starts and
 * signals workflows), the worker (`tsx workflows/worker.ts`, the only process running them) and a loopback SMTP
 * server. One milestone end to end: the principal signs in (TOTP secret as printed at first start) and moves
 * "all transcript data entered" to a few seconds ahead through PUT /api/timelines/:id; the worker's workflow
 * re-plans, the latest reminder goes out at once (the teacher's inbox, and the SMTP sink unless it is the quiet
 * hours, when the email is held until 06:30), and at the new due instant
 * the escalation runs and the year's lock lands (GET /api/locks).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextSendable, QUIET_UNTIL, vnAt, vnDateOf, type TimelineConfig } from '../domain/timeline';
import { DEMO_PASSWORD } from '../server/demo/seed';
import { Client } from './helpers/client';
import { freshDatabase, type FreshDb } from './helpers/databases';
import { integration } from './helpers/integrations';
import { startSmtpSink, type SmtpSink } from './helpers/smtp-sink';
import { freePort, startDevServer, type DevServer } from './helpers/temporal';

const CLI = integration('temporal-cli');
const PG = integration('postgres');
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const TSX = path.join(root, 'node_modules/.bin/tsx');

interface Proc {
  child: ChildProcess;
  output: () => string;
}

function startProcess(script: string, env: Record<string, string>): Proc {
  const child = spawn(TSX, [script], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs: number, logs: () => string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${logs().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function stopProcess(p: Proc | undefined): Promise<void> {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  const exited = new Promise((r) => p.child.once('exit', r));
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

describe.skipIf(!CLI || !PG)('scaled topology: PostgreSQL + Temporal dev server + API + worker + SMTP as separate processes', () => {
  let db: FreshDb;
  let temporal: DevServer;
  let sink: SmtpSink;
  let api: Proc;
  let worker: Proc;
  let base: string;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'topology-'));
  const logs = () => `--- api ---\n${api?.output() ?? ''}\n--- worker ---\n${worker?.output() ?? ''}`;

  beforeAll(async () => {
    db = await freshDatabase('postgres');
    [temporal, sink] = await Promise.all([startDevServer(CLI!), startSmtpSink()]);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const env = {
      DATABASE_URL: db.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      TEMPORAL_ADDRESS: temporal.address,
      SMTP_URL: sink.url,
      SMTP_FROM: 'Sổ điểm <so-diem@thcs.test>',
      DEMO_SEED: 'true',
      // The demo's background transcript signing would compete for the two cores; this test is about the timeline.
      DEMO_SIGNING: 'false',
      SESSION_SECRET: 'topology-test-secret-0123456789-abcdefghij',
    };
    api = startProcess('server/main.ts', env);
    await until('the API', async () => (await fetch(`${base}/api/health`)).ok, 90_000, logs);
    worker = startProcess('workflows/worker.ts', env);
    await until('the worker', async () => /timeline worker: task queue/.test(worker.output()), 90_000, logs);
  }, 240_000);

  afterAll(async () => {
    await Promise.all([stopProcess(api), stopProcess(worker)]);
    await temporal?.stop();
    await sink?.close();
    await db?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('a milestone moved to a few seconds ahead: reminder by email and in the inbox, then the escalation and the lock', async () => {
    // The principal's TOTP secret, as the first start printed it.
    const line = api.output().split('\n').find((l) => l.includes('hieutruong'));
    const secret = /\b([A-Z2-7]{16,})\b/.exec(line ?? '')?.[1];
    expect(secret, api.output()).toBeTruthy();
    const principal = new Client(base);
    await principal.loginAs({ role: 'principal', username: 'hieutruong', password: DEMO_PASSWORD, fullName: '', totpSecret: secret });

    const year = (await db.db('school_years').where({ is_current: true }).first('id')) as { id: number };
    const tl = await principal.get<{ version: number; config: TimelineConfig; engine: string }>(`/api/timelines/${year.id}`);
    expect(tl.status).toBe(200);
    expect(tl.body.engine).toBe('temporal');
    const due = new Date(Date.now() + 30_000).toISOString();
    const config: TimelineConfig = {
      ...tl.body.config,
      milestones: tl.body.config.milestones.map((m) => (m.key === 'nhap-du-lieu' ? { ...m, due, lockAtDue: true } : m)),
    };
    const before = sink.messages.length;
    const put = await principal.put(`/api/timelines/${year.id}`, { version: tl.body.version, config });
    expect(put.status, JSON.stringify(put.body)).toBe(200);

    // The latest reminder (D-1, already past) reaches the inbox at once, once per teacher who owes. Its email goes
    // out at once too, unless the worker decided in the quiet hours (21:00–06:30, Vietnam time), when it is held
    // until 06:30: the test runs at any hour, so it checks whichever the clock called for.
    const note = await until(
      'the in-app reminder',
      async () =>
        (await db.db('notifications').where({ milestone: 'nhap-du-lieu', kind: 'remind' }).orderBy('id').first('id', 'user_id', 'lines')) as
          | { id: number; user_id: number; lines: string }
          | undefined,
      60_000,
      logs,
    );
    expect((JSON.parse(note.lines) as string[]).some((l) => /\d[A-Z]\d – .+ – HK I.*: thiếu \d+/.test(l)), note.lines).toBe(true);
    const outcome = await until(
      'the reminder email, or its hold until morning',
      async () => {
        const mail = sink.messages.slice(before).find((m) => m.text.includes('Nhắc việc: Hoàn thành nhập dữ liệu học bạ'));
        if (mail) return { mail, at: new Date().toISOString() };
        const row = (await db.db('notifications').where({ id: note.id }).first('email_status', 'email_next_at')) as { email_status: string; email_next_at: string | null };
        return row.email_status === 'pending' && row.email_next_at ? { heldUntil: row.email_next_at, at: new Date().toISOString() } : undefined;
      },
      60_000,
      logs,
    );
    if ('mail' in outcome && outcome.mail) {
      expect(outcome.mail.text).toMatch(/\d[A-Z]\d – .+ – HK I.*: thiếu \d+/);
      // Sent means the worker was outside the quiet hours when it decided (a moment before we saw it).
      expect(nextSendable(new Date(Date.parse(outcome.at) - 60_000).toISOString()) < outcome.at).toBe(true);
    } else {
      // Held: to the next 06:30 in Vietnam, and nothing sent meanwhile.
      const heldUntil = String(outcome.heldUntil);
      expect(heldUntil > outcome.at).toBe(true);
      expect(heldUntil).toBe(vnAt(vnDateOf(heldUntil), QUIET_UNTIL));
      expect(sink.messages.slice(before).some((m) => m.text.includes('Nhắc việc: Hoàn thành nhập dữ liệu học bạ'))).toBe(false);
    }
    const teacher = (await db.db('users').where({ id: note.user_id }).first('username')) as { username: string };
    const inbox = new Client(base);
    await inbox.loginAs({ role: 'subject_teacher', username: teacher.username, password: DEMO_PASSWORD, fullName: '' });
    const notes = await inbox.get<Array<{ milestone: string; kind: string; title: string; link: string | null }>>('/api/notifications');
    expect(notes.status).toBe(200);
    const reminder = notes.body.find((n) => n.milestone === 'nhap-du-lieu' && n.kind === 'remind');
    expect(reminder?.title).toMatch(/^Nhắc việc: Hoàn thành nhập dữ liệu học bạ — còn thiếu \d+/);
    expect(reminder?.link).toMatch(/^\/gradebook\?classId=\d+&subjectId=\d+&semesterId=\d+$/);

    // At the new due instant: the year's lock lands and the chase moves up to the department heads.
    const lock = await until(
      'the lock',
      async () => {
        const res = await principal.get<Array<{ scope: string; reason: string }>>('/api/locks');
        return res.body.find((l) => l.reason === 'Khóa sổ theo lộ trình: Hoàn thành nhập dữ liệu học bạ');
      },
      90_000,
      logs,
    );
    expect(lock.scope).toBe('year');
    const steps = (await db.db('timeline_steps').where({ milestone: 'nhap-du-lieu', status: 'done' }).select('step', 'at', 'ran_at')) as Array<{ step: string; at: string; ran_at: string }>;
    const lockStep = steps.find((s) => s.step === 'lock')!;
    expect(lockStep.at).toBe(due);
    expect(Date.parse(lockStep.ran_at)).toBeGreaterThanOrEqual(Date.parse(due));
    await until('the escalation', async () => (await db.db('timeline_steps').where({ milestone: 'nhap-du-lieu', step: 'escalate-1' }).first('id')) as unknown, 30_000, logs);
    // Each reminder exactly once per recipient, and each email address reminded once.
    const keys = ((await db.db('notifications').where({ milestone: 'nhap-du-lieu' }).select('key')) as Array<{ key: string }>).map((k) => k.key);
    expect(new Set(keys).size).toBe(keys.length);
    const reminderMails = sink.messages.filter((m) => m.text.includes('Nhắc việc: Hoàn thành nhập dữ liệu học bạ')).flatMap((m) => m.to);
    expect(new Set(reminderMails).size).toBe(reminderMails.length);
  }, 240_000);
});
