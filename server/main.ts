import type { Server } from 'node:http';
import { createApp } from './app';
import { createSecretBox } from './auth/secret-box';
import { ConfigError, loadConfig } from './config';
import { createDb, migrateLatest } from './db/knex';
import { printDemoAccounts } from './demo/print';
import { seedDemoScores } from './demo/scores';
import { seedDemo } from './demo/seed';
import { whenSettled } from './results/recompute';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const db = createDb(config.databaseUrl);
  await migrateLatest(db);
  if (config.demoSeed) {
    const accounts = await seedDemo(db, { secretBox: createSecretBox(config.sessionSecret) });
    if (accounts.length > 0) {
      await seedDemoScores(db);
      printDemoAccounts(accounts);
    }
  }
  const app = createApp({ db, config });
  const server: Server = app.listen(config.port, config.host, () => {
    console.log(`Sổ điểm điện tử & Học bạ số: http://localhost:${config.port}  (listening on ${config.host}; database: ${config.databaseUrl.replace(/\/\/[^@]*@/, '//…@')})`);
  });
  const stop = () => {
    server.close(() => void whenSettled().then(() => db.destroy()).then(() => process.exit(0)));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main().catch((err: unknown) => {
  console.error('Could not start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
