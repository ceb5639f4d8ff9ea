import type { Knex } from 'knex';

/**
 * A wrong periodic test date is corrected through the same approval as an unlock (issue 12, trap 1): an unlock
 * request may carry the date it corrects. The principal's approval records the new date and opens the request's
 * cells for the school's unlock hours; a teacher's own date change never reopens a closed column.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('unlock_request_test_dates', (t) => {
    t.integer('unlock_request_id').primary().references('unlock_requests.id');
    t.integer('semester_id').notNullable().references('semesters.id');
    t.integer('class_id').notNullable().references('classes.id');
    t.integer('subject_id').notNullable().references('subjects.id');
    t.string('kind', 8).notNullable(); // midterm | final
    t.string('old_date', 10); // as recorded when the request was filed (null: none yet)
    t.string('new_date', 10).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('unlock_request_test_dates');
}
