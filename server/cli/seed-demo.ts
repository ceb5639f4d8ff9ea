/**
 * npm run seed:demo -- [--students 2000] [--seed 2026] [--database-url sqlite:./data/school.sqlite]
 *
 * Migrates the database and fills it with a demo school, then prints the demo accounts. Refuses (exit 1) a
 * database that already has a school: the demo must never mix with real records.
 */
import { parseArgs } from 'node:util';
import { createSecretBox } from '../auth/secret-box';
import { ConfigError, loadConfig } from '../config';
import { schoolYearOf } from '../../domain/school-year';
import { vnDateOf } from '../../domain/timeline/calendar';
import { createDb, migrateLatest, nowIso } from '../db/knex';
import { printDemoAccounts } from '../demo/print';
import { seedDemo } from '../demo/seed';

function positiveInt(name: string, value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new ConfigError(`--${name} must be a whole number from 1 to ${max}, got "${value}"`);
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      students: { type: 'string' },
      seed: { type: 'string' },
      'database-url': { type: 'string' },
    },
  });
  const students = positiveInt('students', values.students, 20_000);
  const seed = positiveInt('seed', values.seed, 2 ** 31 - 1);
  const url = values['database-url'];
  // The same configuration the server loads: the TOTP secrets are sealed under its session secret, so the
  // server can open them later (a generated secret is kept in DATA_DIR for that reason).
  const config = loadConfig(url ? { ...process.env, DATABASE_URL: url } : process.env);

  const db = createDb(config.databaseUrl);
  try {
    await migrateLatest(db);
    const started = Date.now();
    const accounts = await seedDemo(db, { students, seed, secretBox: createSecretBox(config.sessionSecret), schoolYear: schoolYearOf(vnDateOf(nowIso())) });
    if (accounts.length === 0) {
      console.error(`This database already has a school (${redact(config.databaseUrl)}); the demo only seeds an empty database. Nothing was changed.`);
      return 1;
    }
    const counts = await Promise.all(['classes', 'staff', 'students', 'users'].map(async (t) => `${(await db(t).count({ n: '*' }).first())?.n} ${t}`));
    console.log(`Seeded ${redact(config.databaseUrl)} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${counts.join(', ')}.`);
    printDemoAccounts(accounts);
    return 0;
  } finally {
    await db.destroy();
  }
}

/** Never print a database password. */
function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//…@');
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : `Seeding failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
