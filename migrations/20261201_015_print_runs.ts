import type { Knex } from 'knex';

/**
 * Lượt in (issue 12): a printed book — today the class grade book — requested by a vice principal or giáo vụ and
 * approved by the principal (seed 000). On approval the PDF is frozen: its SHA-256, page count, the verification
 * code and the snapshot it was drawn from, so GET …/pdf regenerates the same bytes. The records clerk's archive
 * register (another table) points at print_runs.id, which never changes.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('print_runs', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.string('kind', 16).notNullable(); // gradebook
    t.integer('school_year_id').notNullable().references('school_years.id');
    t.integer('class_id').notNullable().references('classes.id');
    t.string('period', 4).notNullable(); // 1 | 2 | year
    t.string('status', 16).notNullable(); // requested | approved | rejected
    t.string('note', 1000);
    t.integer('requested_by').notNullable().references('users.id');
    t.string('requested_at', 30).notNullable();
    t.integer('decided_by').references('users.id');
    t.string('decided_at', 30);
    t.string('decision_note', 1000);
    t.string('verification_code', 16).unique();
    t.string('sha256', 64);
    t.integer('page_count');
    // The data the PDF was drawn from, already formatted (canonical JSON text): regenerating needs nothing else.
    t.text('snapshot');
    t.index(['school_id', 'status']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('print_runs');
}
