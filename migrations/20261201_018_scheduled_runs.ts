import type { Knex } from 'knex';

/**
 * Jobs that run once per period for the whole database, whichever engine or process gets there first — today the
 * nightly backup (issue 12; seed 002, Điều 8: regular backups). A run is claimed by inserting its row: the unique
 * (job, run_date) lets exactly one process in, so two app processes, an app and a Temporal worker, or an engine
 * hand-over never back up the same night twice. The row then records how the run ended and, for a backup, its
 * file — which is how retention tells nightly files from manual ones (those are never in this table).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('scheduled_runs', (t) => {
    t.increments('id');
    t.string('job', 40).notNullable(); // nightly-backup
    t.string('run_date', 10).notNullable(); // the Vietnam date of the night
    t.string('claimed_at', 30).notNullable();
    t.string('claimed_by', 200).notNullable(); // host:pid and engine, for the operator reading a stuck claim
    t.string('status', 16).notNullable(); // running | ok | failed
    t.string('finished_at', 30);
    t.string('file', 255); // the backup's file name in the backup directory
    t.bigInteger('size_bytes');
    t.boolean('checked'); // the backup passed the checks a restore runs
    t.text('detail'); // why it failed, in Vietnamese
    t.string('pruned_at', 30); // the file was deleted by retention
    t.unique(['job', 'run_date']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('scheduled_runs');
}
