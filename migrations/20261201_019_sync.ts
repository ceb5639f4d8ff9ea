import type { Knex } from 'knex';

/**
 * Đồng bộ CSDL (issue 13, sync batches): sealed transcripts leave the school in packets (a manifest signed with
 * the school seal + the sealed XML of each student), by file export (ZIP) or over HTTP to a configured endpoint.
 * - `sync_batches`: one packet; its `packet_id` (UUID) is what the receiver keys idempotency on, so a retry of the
 *   same batch is never stored twice. The signed manifest is kept as sent; the documents are the sealed versions
 *   (immutable), so the ZIP is rebuilt byte for byte on every download — and checked against `zip_sha256`.
 * - `sync_records`: one line per student of the batch — not ready (and why), or an entry of the packet with its
 *   event (NEW / UPDATE / CANCEL), its rising `phienban` per record (`idbanghi`) and the document's SHA-256 — with
 *   what became of it: ready, sent, accepted, rejected (the receiver's reason).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sync_batches', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.integer('school_year_id').notNullable().references('school_years.id');
    t.string('packet_id', 36).notNullable().unique();
    t.string('transport', 8).notNullable(); // file | http
    t.string('status', 10).notNullable(); // built | sending | sent | done | failed
    t.text('manifest').notNullable(); // the signed manifest XML
    t.string('manifest_sha256', 64).notNullable();
    t.string('zip_sha256', 64); // of the packet's ZIP as built: every rebuild must give these bytes again
    t.integer('entries').notNullable().defaultTo(0);
    t.integer('not_ready').notNullable().defaultTo(0);
    t.integer('attempts').notNullable().defaultTo(0);
    t.string('error', 2000);
    t.integer('created_by').notNullable().references('users.id');
    t.string('created_at', 30).notNullable();
    t.string('sent_at', 30);
    t.string('finished_at', 30);
    t.index(['school_id', 'school_year_id']);
  });

  await knex.schema.createTable('sync_records', (t) => {
    t.increments('id');
    t.integer('batch_id').notNullable().references('sync_batches.id');
    t.integer('student_id').notNullable().references('students.id');
    t.integer('transcript_id').references('transcripts.id');
    t.integer('version_id').references('transcript_versions.id');
    t.string('idbanghi', 36); // the transcript's madinhdanhhocba: the record's id at the receiver
    t.string('sukien', 8); // NEW | UPDATE | CANCEL; null when not ready
    t.integer('phienban'); // rising per idbanghi
    t.string('sha256', 64); // of the document sent
    t.string('status', 10).notNullable(); // not_ready | ready | sent | accepted | rejected
    t.text('reason'); // JSON {key, params} (not ready) or the receiver's reason
    t.string('updated_at', 30).notNullable();
    t.unique(['batch_id', 'student_id']);
    t.index(['transcript_id']);
    t.index(['student_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('sync_records');
  await knex.schema.dropTableIfExists('sync_batches');
}
