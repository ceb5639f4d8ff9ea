/**
 * The API alone for bench/storm.ts, in its own process (so the 45 clients do not share its event loop): createApp on
 * DATABASE_URL, listening on loopback. Answers the parent's `stats` message with its event-loop delay (p50/p90/p99/
 * max, ms) and the CPU time it used (ms, all threads; and of it, in the kernel) since the last `reset`.
 */
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createApp } from '../server/app';
import { createDb } from '../server/db/knex';
import { testLikeConfig } from './common';

const config = testLikeConfig(process.env.DATABASE_URL!);
config.sessionSecret = process.env.SESSION_SECRET!;
const db = createDb(config.databaseUrl);
// Statements sent to the database, by text (numbers and IN lists folded), for the `stats` answer.
const statements = new Map<string, number>();
db.on('query', (q: { sql: string }) => {
  const text = q.sql.replace(/\$\d+/g, '?').replace(/\((\?, )*\?\)(, \((\?, )*\?\))*/g, '(…)').slice(0, 120);
  statements.set(text, (statements.get(text) ?? 0) + 1);
});
const server = createApp({ db, config }).listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
let cpu = process.cpuUsage();
process.on('message', (m: string) => {
  if (m === 'reset') {
    delay.reset();
    statements.clear();
    cpu = process.cpuUsage();
  }
  if (m === 'stats') {
    const ms = (ns: number) => Math.round(ns / 1e5) / 10;
    const used = process.cpuUsage(cpu);
    process.send!({ p50: ms(delay.percentile(50)), p90: ms(delay.percentile(90)), p99: ms(delay.percentile(99)), max: ms(delay.max), cpuMs: (used.user + used.system) / 1000, systemMs: used.system / 1000, statements: [...statements].sort((a, b) => b[1] - a[1]) });
  }
});
process.send!({ port: (server.address() as AddressInfo).port });
// A clean exit on SIGINT, so that a --cpu-prof run (STORM_PROF=DIR npx tsx bench/storm.ts) writes its profile.
process.on('SIGINT', () => process.exit(0));
