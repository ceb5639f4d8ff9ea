/**
 * A second process writing to a SQLite file the test holds open (test/sqlite-statements.test.ts), as
 * `npm run account:recover` does beside a running server: says "ready" once connected, then adds 1 to t.n in a
 * read-then-write transaction and says "done".
 */
import { createDb } from '../../server/db/knex';

const db = createDb(`sqlite:${process.argv[2]}`);
await db.raw('select 1');
process.stdout.write('ready\n');
await db.transaction(async (trx) => {
  const { n } = (await trx('t').where({ id: 1 }).first('n')) as { n: number };
  await trx('t').where({ id: 1 }).update({ n: n + 1 });
});
process.stdout.write('done\n');
await db.destroy();
