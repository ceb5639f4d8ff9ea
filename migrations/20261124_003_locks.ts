import type { Knex } from 'knex';

/**
 * What the record of a lift or a revocation keeps besides its time: why a lock was lifted (the principal's order,
 * seed 002 Điều 14.3) and who revoked an entry delegation. Nothing is ever deleted: the history stays readable.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('locks', (t) => {
    t.string('lift_reason', 500);
  });
  await knex.schema.alterTable('entry_delegations', (t) => {
    t.integer('revoked_by').references('users.id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('entry_delegations', (t) => {
    t.dropColumn('revoked_by');
  });
  await knex.schema.alterTable('locks', (t) => {
    t.dropColumn('lift_reason');
  });
}
