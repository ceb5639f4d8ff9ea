import { ConfigError, loadConfig } from '../config';
import { createDb, migrateLatest } from '../db/knex';

/** npm run migrate — brings the configured database to the latest schema (npm start does this too). */
try {
  const config = loadConfig();
  const db = createDb(config.databaseUrl);
  await migrateLatest(db);
  console.log('Database is up to date.');
  await db.destroy();
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
