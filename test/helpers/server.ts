import type { AddressInfo } from 'node:net';
import { createApp } from '../../server/app';
import { createSecretBox, type SecretBox } from '../../server/auth/secret-box';
import type { Config } from '../../server/config';
import type { Db } from '../../server/db/knex';
import { seedDemo, type DemoAccount } from '../../server/demo/seed';
import { whenSettled } from '../../server/results/recompute';
import { freshDatabase, type DbKind } from './databases';

export interface TestServer {
  url: string;
  db: Db;
  box: SecretBox;
  config: Config;
  accounts: DemoAccount[];
  close: () => Promise<void>;
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    databaseUrl: 'unused',
    dataDir: '/nonexistent',
    sessionSecret: 'test-secret-0123456789-0123456789-abcdef',
    corsOrigin: 'http://localhost:3000',
    sessionIdleMs: 30 * 60_000,
    sessionAbsoluteMs: 12 * 3_600_000,
    demoSeed: false,
    trustProxy: false,
    cookieSecure: false,
    ...overrides,
  };
}

/** The real server on a random port against a fresh database, seeded with a small demo school unless told not to. */
export async function startServer(kind: DbKind, opts: { seed?: boolean; students?: number; config?: Partial<Config>; demo?: { code?: string; seed?: number } } = {}): Promise<TestServer> {
  const fresh = await freshDatabase(kind);
  const config = testConfig({ ...opts.config, databaseUrl: fresh.url });
  const box = createSecretBox(config.sessionSecret);
  const accounts = opts.seed === false ? [] : await seedDemo(fresh.db, { secretBox: box, students: opts.students ?? 320, ...opts.demo });
  const app = createApp({ db: fresh.db, config });
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    db: fresh.db,
    box,
    config,
    accounts,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await whenSettled();
      await fresh.drop();
    },
  };
}
