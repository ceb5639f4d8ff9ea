import type { Knex } from 'knex';

/**
 * Sổ đăng ký lưu trữ (issue 12): what the records clerk (văn thư) files away — printed grade books, roll-call
 * books, the enrolment register, transcripts, backups — with where it is kept and for how long (seed 002, Điều 8:
 * records kept long term). Entries are records themselves: a mistaken one is marked deleted with a reason, never
 * removed.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('archive_entries', (t) => {
    t.increments('id').primary();
    t.integer('school_id').notNullable().references('schools.id');
    t.string('book', 32).notNullable(); // gradebook | roll_call | enrolment_register | transcripts | backup | other
    t.integer('school_year_id').notNullable().references('school_years.id');
    t.integer('class_id').references('classes.id');
    t.string('period', 100); // "Học kỳ I", "Cả năm" … as written on the cover
    t.integer('pages'); // null for a backup file
    t.string('location', 100); // kệ / hộp; null for a backup file (its place is the file name)
    t.string('received_on', 10).notNullable();
    t.integer('retention_years'); // null when kept permanently
    t.boolean('retention_permanent').notNullable().defaultTo(false);
    t.integer('received_by').notNullable().references('users.id');
    // The print run this book came from; its table is being built separately, so no foreign key yet.
    t.integer('print_run_id');
    t.string('backup_file', 255);
    t.string('backup_sha256', 64);
    t.text('note');
    t.text('search_text').notNullable();
    t.integer('created_by').references('users.id');
    t.string('created_at', 30).notNullable();
    t.integer('updated_by').references('users.id');
    t.string('updated_at', 30).notNullable();
    t.string('deleted_at', 30);
    t.integer('deleted_by').references('users.id');
    t.text('delete_reason');
    t.index(['school_id', 'school_year_id']);
    t.index(['school_id', 'received_on']);
  });
  // One live entry per backup file and school: registering the backups twice (or two clerks at once) adds nothing.
  await knex.raw(
    'create unique index archive_entries_backup_once on archive_entries (school_id, backup_file) where backup_file is not null and deleted_at is null',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('archive_entries');
}
