import type { Knex } from 'knex';

/**
 * Chuyển trường with the transcripts (issue 13, docs/transfers.md).
 * - `transfer_packages`: every package a school issued for a leaving student — the transfer record signed with the
 *   seal (`record_xml`) and the ZIP exactly as issued (its SHA-256 beside it), so each download gives the same bytes.
 * - `transfer_imports`: every package a school took in; unique per school and package id (one import per package).
 * - `imported_transcripts`: the earlier schools' sealed transcript versions, kept read-only as imported history: the
 *   original signed XML as received, its SHA-256, and where it came from (the school that sealed it, the package);
 *   a trigger refuses any UPDATE or DELETE of these rows on both engines.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('transfer_packages', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.integer('student_id').notNullable().references('students.id');
    t.string('package_id', 36).notNullable().unique();
    t.string('to_school_code', 32);
    t.string('to_school_name', 200).notNullable();
    t.string('transfer_date', 10).notNullable();
    t.string('reason', 500);
    t.text('record_xml').notNullable();
    t.binary('zip').notNullable();
    t.string('zip_sha256', 64).notNullable();
    t.integer('documents').notNullable();
    t.integer('created_by').notNullable().references('users.id');
    t.string('created_at', 30).notNullable();
    t.index(['school_id', 'student_id']);
  });

  await knex.schema.createTable('transfer_imports', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.integer('student_id').notNullable().references('students.id');
    t.string('package_id', 36).notNullable();
    t.string('from_school_code', 32).notNullable();
    t.string('from_school_name', 200).notNullable();
    t.string('transfer_date', 10).notNullable();
    t.string('reason', 500);
    t.text('record_xml').notNullable();
    t.string('zip_sha256', 64).notNullable();
    t.integer('documents').notNullable();
    t.integer('created_by').notNullable().references('users.id');
    t.string('created_at', 30).notNullable();
    t.unique(['school_id', 'package_id']);
    t.index(['student_id']);
  });

  await knex.schema.createTable('imported_transcripts', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.integer('student_id').notNullable().references('students.id');
    t.integer('import_id').notNullable().references('transfer_imports.id');
    t.string('transcript_uid', 36).notNullable();
    t.integer('version').notNullable();
    t.string('school_year', 9).notNullable(); // the year the version was sealed for (its last namhoc)
    t.integer('grade');
    t.string('class_name', 50);
    t.string('source_school_code', 32).notNullable(); // the school that sealed it
    t.string('source_school_name', 200).notNullable();
    t.text('xml').notNullable(); // the signed document exactly as received (UTF-8)
    t.string('sha256', 64).notNullable();
    t.string('imported_at', 30).notNullable();
    t.unique(['import_id', 'transcript_uid', 'version']);
    t.index(['student_id']);
  });
  await importedAreReadOnly(knex);
}

const READ_ONLY_MESSAGE = 'imported transcripts are read-only: they are kept as the earlier school sealed them';

/** An imported version is history as received: the database refuses to change or remove it, on both engines. */
async function importedAreReadOnly(knex: Knex): Promise<void> {
  if (knex.client.config.client === 'pg') {
    await knex.raw(`CREATE OR REPLACE FUNCTION imported_transcripts_read_only() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION '${READ_ONLY_MESSAGE}'; END; $$ LANGUAGE plpgsql`);
    await knex.raw(`CREATE TRIGGER imported_transcripts_read_only BEFORE UPDATE OR DELETE ON imported_transcripts
      FOR EACH ROW EXECUTE FUNCTION imported_transcripts_read_only()`);
    return;
  }
  await knex.raw(`CREATE TRIGGER imported_transcripts_no_update BEFORE UPDATE ON imported_transcripts BEGIN SELECT RAISE(ABORT, '${READ_ONLY_MESSAGE}'); END`);
  await knex.raw(`CREATE TRIGGER imported_transcripts_no_delete BEFORE DELETE ON imported_transcripts BEGIN SELECT RAISE(ABORT, '${READ_ONLY_MESSAGE}'); END`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('imported_transcripts');
  if (knex.client.config.client === 'pg') await knex.raw('DROP FUNCTION IF EXISTS imported_transcripts_read_only()');
  await knex.schema.dropTableIfExists('transfer_imports');
  await knex.schema.dropTableIfExists('transfer_packages');
}
