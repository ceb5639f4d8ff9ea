import type { Knex } from 'knex';

/**
 * The roll-call book and the enrolment register as print runs (issue 12), and the renderer version per run:
 * - `class_id` becomes nullable: the enrolment register is the school's book for a year (or one `grade`), not a
 *   class's. SQLite cannot drop a NOT NULL in place; knex's setNullable rebuilds the table (copy, drop, rename),
 *   keeping the rows, the foreign keys, the unique verification code and the (school_id, status) index.
 * - `renderer` (e.g. `gradebook@1`): the version that drew the approved PDF, so a later layout change adds a
 *   version instead of making old runs refuse to download. Runs approved before this were drawn by gradebook@1.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('print_runs', (t) => {
    t.setNullable('class_id');
  });
  await knex.schema.alterTable('print_runs', (t) => {
    t.integer('grade');
    t.string('renderer', 32);
  });
  await knex('print_runs').where({ status: 'approved' }).update({ renderer: 'gradebook@1' });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('print_runs', (t) => {
    t.dropColumn('renderer');
    t.dropColumn('grade');
  });
  // The school-wide runs have no class to keep: a NOT NULL class_id cannot hold them.
  await knex('print_runs').whereNull('class_id').delete();
  await knex.schema.alterTable('print_runs', (t) => {
    t.dropNullable('class_id');
  });
}
