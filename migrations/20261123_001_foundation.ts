import type { Knex } from 'knex';

/**
 * Foundation schema: schools and their organisation, people, accounts, sessions and the audit trail.
 * Runs unchanged on SQLite and PostgreSQL. Timestamps are ISO-8601 UTC strings written by the
 * application (see docs/architecture.md), calendar dates are YYYY-MM-DD strings.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('schools', (t) => {
    t.increments('id');
    t.string('code', 32).notNullable().unique();
    t.string('name', 200).notNullable();
    t.string('level', 8).notNullable(); // THCS | THPT
    t.string('province', 100);
    t.string('district', 100);
    t.string('address', 300);
    t.string('phone', 32);
    t.string('email', 200);
    t.string('principal_name', 200);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
  });

  await knex.schema.createTable('school_years', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.string('name', 16).notNullable(); // 2026-2027
    t.string('start_date', 10).notNullable();
    t.string('end_date', 10).notNullable();
    t.boolean('is_current').notNullable().defaultTo(false);
    t.unique(['school_id', 'name']);
  });

  await knex.schema.createTable('semesters', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.integer('school_year_id').notNullable().references('school_years.id');
    t.integer('number').notNullable(); // 1 | 2
    t.string('start_date', 10).notNullable();
    t.string('end_date', 10).notNullable();
    t.unique(['school_year_id', 'number']);
  });

  await knex.schema.createTable('departments', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.string('code', 32).notNullable();
    t.string('name', 200).notNullable();
    t.string('search_text', 400).notNullable().defaultTo('');
    t.unique(['school_id', 'code']);
  });

  await knex.schema.createTable('subjects', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.string('code', 32).notNullable();
    t.string('name', 200).notNullable();
    t.string('search_text', 400).notNullable().defaultTo('');
    t.string('assessment_type', 16).notNullable(); // scored | comment (TT22 Điều 5)
    t.integer('department_id').references('departments.id');
    t.text('periods_per_year').notNullable().defaultTo('{}'); // JSON {"6": 140, "7": 140}
    t.integer('regular_assessments_override');
    t.unique(['school_id', 'code']);
  });

  await knex.schema.createTable('staff', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.string('full_name', 200).notNullable();
    t.string('search_text', 400).notNullable().defaultTo('');
    t.string('national_id', 12).notNullable();
    t.string('birth_date', 10);
    t.string('sex', 8);
    t.string('phone', 32);
    t.string('email', 200);
    t.string('post', 32).notNullable(); // teacher | principal | vice_principal | …
    t.integer('department_id').references('departments.id');
    t.string('status', 16).notNullable().defaultTo('active');
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    // One person, one account: a national ID appears once among the staff of a school.
    t.unique(['school_id', 'national_id']);
  });

  await knex.schema.createTable('classes', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.integer('school_year_id').notNullable().references('school_years.id');
    t.integer('grade').notNullable();
    t.string('name', 32).notNullable();
    t.string('search_text', 64).notNullable().defaultTo('');
    t.integer('homeroom_staff_id').references('staff.id');
    t.unique(['school_year_id', 'name']);
  });

  await knex.schema.createTable('students', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.string('student_code', 32).notNullable();
    t.string('full_name', 200).notNullable();
    t.string('search_text', 400).notNullable().defaultTo('');
    t.string('birth_date', 10).notNullable();
    t.string('sex', 8).notNullable();
    t.string('national_id', 12);
    t.string('ethnicity', 64);
    t.string('nationality', 64);
    t.string('place_of_birth', 200);
    t.string('address', 300);
    t.string('father_name', 200);
    t.string('mother_name', 200);
    t.string('guardian_name', 200);
    t.string('phone', 32);
    t.string('status', 16).notNullable().defaultTo('studying');
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.unique(['school_id', 'student_code']);
  });

  await knex.schema.createTable('enrolments', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.integer('school_year_id').notNullable().references('school_years.id');
    t.integer('class_id').notNullable().references('classes.id');
    t.integer('student_id').notNullable().references('students.id');
    t.string('start_date', 10).notNullable();
    t.string('end_date', 10);
    t.string('status', 16).notNullable().defaultTo('active');
    t.index(['class_id']);
    t.index(['student_id']);
  });

  await knex.schema.createTable('teaching_assignments', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.integer('school_year_id').notNullable().references('school_years.id');
    t.integer('class_id').notNullable().references('classes.id');
    t.integer('subject_id').notNullable().references('subjects.id');
    t.integer('staff_id').notNullable().references('staff.id');
    t.unique(['class_id', 'subject_id']);
    t.index(['staff_id']);
  });

  await knex.schema.createTable('staff_post_changes', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.integer('staff_id').notNullable().references('staff.id');
    t.string('from_post', 32);
    t.string('to_post', 32).notNullable();
    t.integer('from_department_id').references('departments.id');
    t.integer('to_department_id').references('departments.id');
    t.string('effective_date', 10).notNullable();
    t.string('note', 500);
    t.string('created_at', 30).notNullable();
  });

  await knex.schema.createTable('student_transfers', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.integer('student_id').notNullable().references('students.id');
    t.string('direction', 8).notNullable(); // in | out
    t.string('transfer_date', 10).notNullable();
    t.string('other_school', 200);
    t.string('reason', 500);
    t.integer('class_id').references('classes.id');
    t.string('created_at', 30).notNullable();
  });

  await knex.schema.createTable('users', (t) => {
    t.increments('id');
    t.integer('school_id').references('schools.id'); // home school; null for an education office account
    t.string('username', 64).notNullable().unique();
    t.string('full_name', 200).notNullable();
    t.string('search_text', 400).notNullable().defaultTo('');
    t.string('email', 200);
    t.string('password_hash', 255).notNullable();
    t.integer('staff_id').references('staff.id').unique(); // one person, one account
    t.integer('student_id').references('students.id');
    t.boolean('disabled').notNullable().defaultTo(false);
    t.boolean('must_change_password').notNullable().defaultTo(true);
    t.integer('failed_login_count').notNullable().defaultTo(0);
    t.string('locked_until', 30);
    t.text('totp_secret'); // encrypted with a key derived from the session secret
    t.text('totp_pending_secret');
    t.boolean('totp_enabled').notNullable().defaultTo(false);
    t.integer('totp_last_step'); // refuses a code that was already used
    t.string('password_changed_at', 30);
    t.string('last_login_at', 30);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
  });

  await knex.schema.createTable('user_roles', (t) => {
    t.increments('id');
    t.integer('user_id').notNullable().references('users.id');
    t.integer('school_id').notNullable().references('schools.id');
    t.string('role', 32).notNullable();
    t.text('department_ids'); // JSON array, vice_principal
    t.text('grades'); // JSON array, vice_principal
    t.boolean('manage_accounts').notNullable().defaultTo(false);
    t.integer('department_id').references('departments.id'); // department_head
    t.integer('student_id').references('students.id'); // student / parent
    t.index(['user_id']);
  });

  await knex.schema.createTable('sessions', (t) => {
    t.string('id', 64).primary(); // HMAC of the cookie token: a copy of this table cannot be replayed
    t.integer('user_id').notNullable().references('users.id');
    t.string('stage', 32).notNullable();
    t.string('csrf_token', 64).notNullable();
    t.string('created_at', 30).notNullable();
    t.string('last_seen_at', 30).notNullable();
    t.string('expires_at', 30).notNullable(); // absolute timeout
    t.string('ip', 64);
    t.string('user_agent', 300);
    t.index(['user_id']);
  });

  await knex.schema.createTable('audit_events', (t) => {
    t.increments('id');
    t.string('at', 30).notNullable();
    t.integer('school_id');
    t.integer('user_id');
    t.string('username', 64);
    t.string('role', 200);
    t.string('ip', 64);
    t.string('action', 32).notNullable();
    t.string('entity', 64).notNullable();
    t.string('entity_id', 64);
    t.text('before');
    t.text('after');
    t.string('reason', 1000);
    t.string('prev_hash', 64).notNullable();
    t.string('hash', 64).notNullable();
    t.index(['entity', 'entity_id']);
    t.index(['user_id']);
    t.index(['at']);
  });
  // The chain head is one row, locked while a new event is appended, so concurrent writers cannot fork the chain.
  await knex.schema.createTable('audit_chain_head', (t) => {
    t.integer('id').primary();
    t.integer('last_event_id');
    t.string('last_hash', 64).notNullable();
  });
  await knex('audit_chain_head').insert({ id: 1, last_event_id: null, last_hash: '0'.repeat(64) });
  await appendOnly(knex);
}

/** Refuse UPDATE and DELETE on the audit table at the database level (the hash chain detects what slips past). */
async function appendOnly(knex: Knex): Promise<void> {
  if (knex.client.config.client === 'pg') {
    await knex.raw(`
      CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'audit_events is append-only'; END; $$ LANGUAGE plpgsql`);
    await knex.raw(`CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
  } else {
    await knex.raw(`CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
      BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END`);
    await knex.raw(`CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
      BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END`);
  }
}

export async function down(knex: Knex): Promise<void> {
  if (knex.client.config.client === 'pg') {
    await knex.raw('DROP TRIGGER IF EXISTS audit_events_no_update ON audit_events');
    await knex.raw('DROP FUNCTION IF EXISTS audit_events_append_only()');
  }
  for (const table of [
    'audit_chain_head',
    'audit_events',
    'sessions',
    'user_roles',
    'users',
    'student_transfers',
    'staff_post_changes',
    'teaching_assignments',
    'enrolments',
    'students',
    'classes',
    'staff',
    'subjects',
    'departments',
    'semesters',
    'school_years',
    'schools',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
