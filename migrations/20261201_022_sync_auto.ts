import type { Knex } from 'knex';

/**
 * Automatic sync at the timeline's sync milestones (issue 13, docs/sync.md "Automatic batches").
 * - `sync_auto`: a school's consent, given by a seal holder with the seal's PIN and TOTP, that the system seals the
 *   manifests of sync packets at the milestones' instants: the PIN sealed with the server's secret box, who gave it
 *   and when, and the seal certificate it was checked against (a new seal ends the consent).
 * - `sync_batches.auto_key`: the timeline step that built an automatic batch; unique, so a step run twice (a retry
 *   after a crash, two processes) never builds two batches.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sync_auto', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().unique().references('schools.id');
    t.text('pin').notNullable();
    t.string('certificate_sha256', 64).notNullable();
    t.integer('enabled_by').notNullable().references('users.id');
    t.string('enabled_at', 30).notNullable();
  });
  await knex.schema.alterTable('sync_batches', (t) => {
    t.string('auto_key', 200).unique();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sync_batches', (t) => {
    t.dropUnique(['auto_key']);
    t.dropColumn('auto_key');
  });
  await knex.schema.dropTable('sync_auto');
}
