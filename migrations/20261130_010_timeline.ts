import type { Knex } from 'knex';

/**
 * The school year's timeline (issue: the school year runs itself):
 * - `timelines`: one per school year, its configuration as JSON (domain/timeline TimelineConfig), edited by the
 *   principal and the admin, versioned for optimistic concurrency; `activated_at`: steps before it never run.
 * - `timeline_steps`: every step that ran or was superseded, once (unique per year and step id) — with the
 *   notifications' unique keys, this is what makes a step idempotent on both engines.
 * - `notifications`: the in-app inbox; `key` is the action's idempotency key plus the recipient, unique.
 *   Email state per item: pending → sending → sent (or none when the person has no address / SMTP is off).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('timelines', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.integer('school_year_id').notNullable().references('school_years.id').unique();
    t.string('profile', 32).notNullable();
    t.text('config').notNullable();
    t.string('activated_at', 30).notNullable();
    t.integer('version').notNullable().defaultTo(1);
    t.string('updated_at', 30).notNullable();
    t.integer('updated_by').references('users.id');
  });

  await knex.schema.createTable('timeline_steps', (t) => {
    t.increments('id');
    t.integer('school_year_id').notNullable().references('school_years.id');
    t.string('step_id', 160).notNullable();
    t.string('milestone', 64).notNullable();
    t.string('step', 64).notNullable();
    t.string('period', 16).notNullable();
    t.string('at', 30).notNullable();
    t.string('status', 16).notNullable(); // done | skipped
    t.integer('actions').notNullable().defaultTo(0);
    t.string('ran_at', 30).notNullable();
    t.unique(['school_year_id', 'step_id']);
  });

  await knex.schema.createTable('notifications', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.integer('user_id').notNullable().references('users.id');
    t.string('key', 240).notNullable().unique();
    t.string('kind', 16).notNullable(); // remind | escalate | report | lock
    t.string('milestone', 64).notNullable();
    t.string('title', 500).notNullable();
    t.text('lines').notNullable(); // JSON array of strings
    t.text('items').notNullable(); // JSON: the action's items (people, classes, subjects, columns, links)
    t.string('link', 300);
    t.string('at', 30).notNullable(); // the step's instant
    t.string('created_at', 30).notNullable();
    t.string('read_at', 30);
    t.string('email_status', 16).notNullable(); // pending | sending | sent | none
    t.integer('email_attempts').notNullable().defaultTo(0);
    t.string('email_next_at', 30);
    t.string('emailed_at', 30);
    t.index(['user_id', 'read_at']);
    t.index(['email_status', 'email_next_at']);
  });
  await inspectionReports(knex);
}

/** The principal's monthly inspection report (seed 000), filed by the timeline: its data, and the PDF as filed. */
async function inspectionReports(knex: Knex): Promise<void> {
  await knex.schema.createTable('inspection_reports', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.integer('school_year_id').notNullable().references('school_years.id');
    t.string('period', 7).notNullable(); // YYYY-MM
    t.string('at', 30).notNullable(); // the step's instant: the report is "as of" then
    t.text('data').notNullable(); // JSON: who is behind, on what
    t.binary('pdf').notNullable();
    t.string('sha256', 64).notNullable();
    t.string('created_at', 30).notNullable();
    t.unique(['school_year_id', 'period']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('inspection_reports');
  await knex.schema.dropTable('notifications');
  await knex.schema.dropTable('timeline_steps');
  await knex.schema.dropTable('timelines');
}
