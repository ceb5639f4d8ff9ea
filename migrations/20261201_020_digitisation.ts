import type { Knex } from 'knex';

/**
 * Số hóa học bạ giấy (issue 13, seed 003 section V): academic staff enter an old school year's transcript from
 * the paper book; the teachers still at the school review and sign their own content, the principal signs in
 * place of those who have left after the academic staff reviewed it; then the normal seal.
 * - `school_settings.digitisation_double_entry`: two people enter the same paper transcript and one reconciles
 *   the differences field by field before it can go to signing (off by default: one entry suffices).
 * - `transcript_digitisations`: one old year of one student: the entries (JSON, see
 *   domain/transcript/digitisation.ts), who made them, the reconciled entry, and once opened the transcript
 *   version its signing chain runs on. `signers` is the snapshot taken at opening: per slot the teacher of that
 *   year and whether they had left (then the principal signs in their place, and the XML says so).
 * - `transcript_digitisation_reviews`: the academic staff's review of a departed teacher's content (a slot).
 * - `transcript_signatures.in_place_of_staff_id`: the departed teacher a principal's signature stands in for.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('school_settings', (t) => {
    t.boolean('digitisation_double_entry').notNullable().defaultTo(false);
  });

  await knex.schema.createTable('transcript_digitisations', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.integer('student_id').notNullable().references('students.id');
    t.integer('school_year_id').notNullable().references('school_years.id');
    t.integer('class_id').notNullable().references('classes.id');
    // entering | awaiting_second | to_reconcile | opened (then the version's status tells the rest)
    t.string('status', 16).notNullable();
    t.boolean('double_entry').notNullable().defaultTo(false);
    t.text('entry1').notNullable();
    t.integer('entry1_by').notNullable().references('users.id');
    t.text('entry2');
    t.integer('entry2_by').references('users.id');
    t.text('final_entry');
    t.integer('reconciled_by').references('users.id');
    t.text('signers'); // JSON snapshot at opening
    t.integer('version_id').references('transcript_versions.id');
    t.integer('row_version').notNullable().defaultTo(1);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.unique(['student_id', 'school_year_id']);
    t.index(['version_id']);
  });

  await knex.schema.createTable('transcript_digitisation_reviews', (t) => {
    t.increments('id');
    t.integer('digitisation_id').notNullable().references('transcript_digitisations.id');
    t.string('slot', 80).notNullable(); // the chain's signature Id (sig-gvbm-…, sig-gvcn-…)
    t.integer('staff_id').notNullable().references('staff.id'); // the departed teacher whose content it is
    t.integer('reviewed_by').notNullable().references('users.id');
    t.string('reviewed_at', 30).notNullable();
    t.unique(['digitisation_id', 'slot']);
  });

  await knex.schema.alterTable('transcript_signatures', (t) => {
    t.integer('in_place_of_staff_id').references('staff.id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('transcript_signatures', (t) => t.dropColumn('in_place_of_staff_id'));
  await knex.schema.dropTableIfExists('transcript_digitisation_reviews');
  await knex.schema.dropTableIfExists('transcript_digitisations');
  await knex.schema.alterTable('school_settings', (t) => t.dropColumn('digitisation_double_entry'));
}
