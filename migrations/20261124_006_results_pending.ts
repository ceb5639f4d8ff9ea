import type { Knex } from 'knex';

/**
 * Students whose stored results wait for a recompute. A grid save marks them in its own transaction (cheap) and
 * the recompute runs right after the commit; every read of results settles what is still marked first, so a
 * crash between the two leaves results late, never wrong.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('results_pending', (t) => {
    t.integer('school_year_id').notNullable().references('school_years.id');
    t.integer('class_id').notNullable().references('classes.id');
    t.integer('student_id').notNullable().references('students.id');
    t.string('marked_at', 30).notNullable();
    t.primary(['school_year_id', 'class_id', 'student_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('results_pending');
}
