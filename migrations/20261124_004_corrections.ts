import type { Knex } from 'knex';

/**
 * Sửa điểm (timeline.md, seed 000): a teacher's request to correct a closed cell, the principal's decision, the
 * confirmations of the supervising VP and a second named witness, the application and the signed minutes —
 * or seed 002's lighter procedure (an admin applies after the principal's approval). Nothing here is ever
 * deleted: the old value stays in the request, the audit trail and the minutes.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('correction_requests', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.integer('semester_id').notNullable().references('semesters.id');
    t.integer('class_id').notNullable().references('classes.id');
    t.integer('subject_id').notNullable().references('subjects.id');
    t.integer('student_id').notNullable().references('students.id');
    t.string('kind', 8).notNullable(); // regular | midterm | final
    t.integer('seq').notNullable();
    // What the cell held when the request was filed (null = empty) and the canonical new value (null = clear).
    t.string('old_value', 8);
    t.string('new_value', 8);
    t.string('reason', 1000).notNullable();
    // Why the cell was closed when the request was filed (the rule and since when).
    t.string('closed_rule', 32).notNullable();
    t.string('closed_since', 30);
    t.integer('requested_by').notNullable().references('users.id');
    t.string('status', 16).notNullable(); // pending | approved | applied | rejected | cancelled
    // The school's procedure when the request was filed: 'witnessed' (seed 000) or 'admin' (seed 002).
    t.string('procedure', 16).notNullable();
    // The cell's key while the request is open (pending/approved), null afterwards: at most one open request per cell.
    t.string('open_key', 120).unique();
    t.integer('decided_by').references('users.id');
    t.string('decided_at', 30);
    t.string('decision_note', 1000);
    t.integer('vp_user_id').references('users.id');
    t.string('vp_confirmed_at', 30);
    t.integer('witness_user_id').references('users.id');
    t.string('witness_confirmed_at', 30);
    t.string('applied_at', 30);
    t.integer('applied_by').references('users.id');
    t.binary('minutes_pdf');
    t.string('minutes_sha256', 64);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['school_id', 'status']);
    t.index(['class_id', 'subject_id', 'semester_id']);
  });

  // The request's history, one row per step, shown beside the request in the list.
  await knex.schema.createTable('correction_events', (t) => {
    t.increments('id');
    t.integer('correction_request_id').notNullable().references('correction_requests.id');
    t.string('at', 30).notNullable();
    t.integer('user_id').notNullable().references('users.id');
    t.string('action', 32).notNullable(); // filed | approved | rejected | confirmed_vp | confirmed_witness | witness_named | applied | cancelled
    t.string('note', 1000);
    t.index(['correction_request_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('correction_events');
  await knex.schema.dropTableIfExists('correction_requests');
}
