import type { Knex } from 'knex';

/**
 * Sổ điểm điện tử: assessment cells, test dates, comments, conduct and absences; per-school cutoff settings;
 * explicit locks, unlock requests and the time-limited openings they grant; delegations of entry rights.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('school_settings', (t) => {
    t.integer('school_id').primary().references('schools.id');
    // Regular-assessment cutoff (seed 000: Friday 15:00), ISO weekday 1 = Monday … 7 = Sunday.
    t.integer('regular_cutoff_weekday').notNullable().defaultTo(5);
    t.string('regular_cutoff_time', 5).notNullable().defaultTo('15:00');
    // Periodic scores: at most this many days after the test date (seed 000: one week).
    t.integer('periodic_window_days').notNullable().defaultTo(7);
    // How long an approved unlock keeps the named cells open.
    t.integer('unlock_hours').notNullable().defaultTo(48);
    // 'witnessed' (seed 000: teacher applies, VP and a second witness confirm) or 'admin' (seed 002).
    t.string('correction_procedure', 16).notNullable().defaultTo('witnessed');
    t.string('updated_at', 30).notNullable();
  });

  // One row per cell: (semester, class, subject, student, kind, seq). Scores are numeric(3,1); comment subjects use text.
  await knex.schema.createTable('assessment_scores', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.integer('semester_id').notNullable().references('semesters.id');
    t.integer('class_id').notNullable().references('classes.id');
    t.integer('subject_id').notNullable().references('subjects.id');
    t.integer('student_id').notNullable().references('students.id');
    t.string('kind', 8).notNullable(); // regular | midterm | final
    t.integer('seq').notNullable().defaultTo(1); // 1..4 for regular
    t.decimal('score', 3, 1);
    t.string('grade_text', 2); // D | CD for comment subjects
    t.string('first_entered_at', 30).notNullable(); // starts the weekly cutoff clock
    t.integer('entered_by').notNullable().references('users.id');
    t.string('updated_at', 30).notNullable();
    t.integer('updated_by').notNullable().references('users.id');
    t.integer('version').notNullable().defaultTo(1);
    t.unique(['semester_id', 'class_id', 'subject_id', 'student_id', 'kind', 'seq']);
    t.index(['class_id', 'subject_id', 'semester_id']);
    t.index(['student_id']);
  });

  await knex.schema.createTable('test_dates', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.integer('semester_id').notNullable().references('semesters.id');
    t.integer('class_id').notNullable().references('classes.id');
    t.integer('subject_id').notNullable().references('subjects.id');
    t.string('kind', 8).notNullable(); // midterm | final
    t.string('test_date', 10).notNullable();
    t.integer('set_by').notNullable().references('users.id');
    t.string('updated_at', 30).notNullable();
    t.unique(['semester_id', 'class_id', 'subject_id', 'kind']);
  });

  await knex.schema.createTable('subject_comments', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.integer('semester_id').notNullable().references('semesters.id');
    t.integer('class_id').notNullable().references('classes.id');
    t.integer('subject_id').notNullable().references('subjects.id');
    t.integer('student_id').notNullable().references('students.id');
    t.text('comment').notNullable();
    t.integer('updated_by').notNullable().references('users.id');
    t.string('updated_at', 30).notNullable();
    t.integer('version').notNullable().defaultTo(1);
    t.unique(['semester_id', 'subject_id', 'student_id']);
  });

  // Rèn luyện and số buổi nghỉ per semester, entered by the homeroom teacher.
  await knex.schema.createTable('conduct_records', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.integer('semester_id').notNullable().references('semesters.id');
    t.integer('class_id').notNullable().references('classes.id');
    t.integer('student_id').notNullable().references('students.id');
    t.string('conduct', 2); // T | K | D | CD
    t.integer('absences_excused').notNullable().defaultTo(0);
    t.integer('absences_unexcused').notNullable().defaultTo(0);
    t.text('homeroom_comment');
    t.integer('updated_by').notNullable().references('users.id');
    t.string('updated_at', 30).notNullable();
    t.integer('version').notNullable().defaultTo(1);
    t.unique(['semester_id', 'student_id']);
  });

  // Explicit locks (khóa sổ) at any scope, set by an admin on the principal's order.
  await knex.schema.createTable('locks', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.string('scope', 16).notNullable(); // cell | column | class_subject | class | grade | semester | year
    t.integer('school_year_id').notNullable().references('school_years.id');
    t.integer('semester_id').references('semesters.id');
    t.integer('grade');
    t.integer('class_id').references('classes.id');
    t.integer('subject_id').references('subjects.id');
    t.integer('student_id').references('students.id');
    t.string('kind', 8);
    t.integer('seq');
    t.string('reason', 500).notNullable();
    t.integer('ordered_by').notNullable().references('users.id'); // the principal who ordered it
    t.integer('created_by').notNullable().references('users.id');
    t.string('created_at', 30).notNullable();
    t.string('lifted_at', 30);
    t.integer('lifted_by').references('users.id');
    t.index(['school_id', 'school_year_id']);
  });

  await knex.schema.createTable('unlock_requests', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.integer('requested_by').notNullable().references('users.id');
    t.string('reason', 1000).notNullable();
    t.string('status', 16).notNullable(); // pending | approved | rejected
    t.integer('decided_by').references('users.id');
    t.string('decided_at', 30);
    t.string('decision_note', 1000);
    t.string('opens_until', 30); // set on approval
    t.string('created_at', 30).notNullable();
  });
  await knex.schema.createTable('unlock_request_cells', (t) => {
    t.increments('id');
    t.integer('unlock_request_id').notNullable().references('unlock_requests.id');
    t.integer('semester_id').notNullable().references('semesters.id');
    t.integer('class_id').notNullable().references('classes.id');
    t.integer('subject_id').notNullable().references('subjects.id');
    t.integer('student_id').notNullable().references('students.id');
    t.string('kind', 8).notNullable();
    t.integer('seq').notNullable();
    t.index(['class_id', 'subject_id', 'semester_id']);
  });

  // The principal may let someone else enter a class × subject (recorded, time-bounded).
  await knex.schema.createTable('entry_delegations', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.integer('class_id').notNullable().references('classes.id');
    t.integer('subject_id').notNullable().references('subjects.id');
    t.integer('delegate_user_id').notNullable().references('users.id');
    t.string('reason', 500).notNullable();
    t.integer('granted_by').notNullable().references('users.id');
    t.string('valid_until', 30).notNullable();
    t.string('created_at', 30).notNullable();
    t.string('revoked_at', 30);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'entry_delegations',
    'unlock_request_cells',
    'unlock_requests',
    'locks',
    'conduct_records',
    'subject_comments',
    'test_dates',
    'assessment_scores',
    'school_settings',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
