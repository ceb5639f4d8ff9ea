import type { Knex } from 'knex';

/**
 * Computed results (TT22 Điều 8–15): stored per student and subject, and per student for the year, recomputed
 * whenever an input changes (server/results/recompute.ts); retest and summer-training results as their own
 * records (Điều 13–14: the originals stay); the principal's approvals of the promotion, retest, summer-training
 * and award lists, each a versioned snapshot.
 */
export async function up(knex: Knex): Promise<void> {
  // Values are canonical strings: '8.3' for a scored subject, 'D' / 'CD' for a comment subject; null until complete.
  await knex.schema.createTable('student_subject_results', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.integer('school_year_id').notNullable().references('school_years.id');
    t.integer('class_id').notNullable().references('classes.id');
    t.integer('student_id').notNullable().references('students.id');
    t.integer('subject_id').notNullable().references('subjects.id');
    t.string('hk1', 4);
    t.string('hk2', 4);
    t.string('year', 4); // ĐTBmcn or the year's Đ/CĐ as computed: the original, kept beside a retest
    t.string('retest', 4);
    t.string('final', 4); // the retest result if any, otherwise year
    t.string('computed_at', 30).notNullable();
    t.unique(['school_year_id', 'student_id', 'subject_id']);
    t.index(['class_id', 'school_year_id']);
  });

  await knex.schema.createTable('student_year_results', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.integer('school_year_id').notNullable().references('school_years.id');
    t.integer('class_id').notNullable().references('classes.id');
    t.integer('student_id').notNullable().references('students.id');
    // Levels T | K | D | CD, null until computable.
    t.string('learning_hk1', 2);
    t.string('learning_hk2', 2);
    t.string('learning_year', 2);
    t.string('learning_final', 2); // after the retest, if any
    t.integer('learning_year_lifted_by'); // subjects.id when Điều 9.3 raised the year level because of it
    t.string('conduct_hk1', 2);
    t.string('conduct_hk2', 2);
    t.string('conduct_year', 2);
    t.string('conduct_final', 2); // after summer training, if any
    t.integer('absences_hk1').notNullable().defaultTo(0);
    t.integer('absences_hk2').notNullable().defaultTo(0);
    t.integer('absences').notNullable().defaultTo(0);
    t.string('decision', 16).notNullable(); // promoted | held_back | summer_training | retest | incomplete
    t.boolean('promoted'); // null while undecided
    t.text('held_back_reasons').notNullable().defaultTo('[]'); // JSON ['absences' | 'conduct' | 'learning']
    t.text('retest_subjects').notNullable().defaultTo('[]'); // JSON [subjects.id]
    t.boolean('summer_training').notNullable().defaultTo(false);
    t.string('award', 16); // excellent | very_good
    t.text('missing').notNullable().defaultTo('[]'); // JSON [{what, subjectId?, semester}]
    // Stored inputs the rules refuse (a retest for a subject no longer on the list, say): a person has to look.
    t.string('input_problem', 32);
    t.string('computed_at', 30).notNullable();
    t.unique(['school_year_id', 'student_id']);
    t.index(['class_id', 'school_year_id']);
  });

  // Điều 13–14: retest results as their own records; the year result they replace stays in student_subject_results.year.
  await knex.schema.createTable('retest_results', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.integer('school_year_id').notNullable().references('school_years.id');
    t.integer('student_id').notNullable().references('students.id');
    t.integer('subject_id').notNullable().references('subjects.id');
    t.string('value', 4).notNullable(); // a score ('6.5') or D / CD
    t.integer('entered_by').notNullable().references('users.id');
    t.string('created_at', 30).notNullable();
    t.unique(['school_year_id', 'student_id', 'subject_id']);
  });

  // Điều 12, 14: the conduct re-assessed after summer training, which replaces the year conduct.
  await knex.schema.createTable('summer_training_results', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.integer('school_year_id').notNullable().references('school_years.id');
    t.integer('student_id').notNullable().references('students.id');
    t.string('conduct', 2).notNullable();
    t.integer('entered_by').notNullable().references('users.id');
    t.string('created_at', 30).notNullable();
    t.unique(['school_year_id', 'student_id']);
  });

  // The principal approves the lists (roles.md); each approval keeps what was approved, re-approval is a new version.
  await knex.schema.createTable('result_list_approvals', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.integer('school_year_id').notNullable().references('school_years.id');
    t.integer('class_id').references('classes.id'); // null: the whole school
    t.string('scope_key', 32).notNullable(); // 'school' | 'class:<id>' (a unique key that works with null class_id)
    t.string('list', 16).notNullable(); // promotion | retest | summer_training | awards
    t.integer('version').notNullable();
    t.text('snapshot').notNullable(); // JSON: the list's items as approved
    t.integer('approved_by').notNullable().references('users.id');
    t.string('approved_at', 30).notNullable();
    t.unique(['school_year_id', 'scope_key', 'list', 'version']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['result_list_approvals', 'summer_training_results', 'retest_results', 'student_year_results', 'student_subject_results']) {
    await knex.schema.dropTableIfExists(table);
  }
}
