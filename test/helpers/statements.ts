import type { Db } from '../../server/db/knex';

/** The small table the statement-reuse tests query: `t(id, name)` with two rows, Toán and Ngữ văn. */
export async function createNamesTable(db: Db): Promise<void> {
  await db.schema.createTable('t', (t) => {
    t.integer('id').primary();
    t.string('name');
  });
  await db('t').insert([
    { id: 1, name: 'Toán' },
    { id: 2, name: 'Ngữ văn' },
  ]);
}
