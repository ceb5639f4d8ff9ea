import type { Knex } from 'knex';

/**
 * Học bạ số (issue 10): the signing chain's persistence.
 * - `certificates`: every certificate the school knows — trust anchors (the root, `trusted`), the school seal
 *   (`kind` seal, staff_id null) and each signer's own; a software keystore's PKCS#12 is kept sealed again with
 *   the server's SecretBox (never in clear; its PIN is never stored).
 * - `signing_delegations`: the vice principal who approves a grade in a year (seed 002); absent = the principal.
 * - `transcripts`: one per student for life (madinhdanhhocba, a UUID); `transcript_versions`: each version's XML
 *   with every signature so far, the sealed PDF, the SHA-256 of the sealed XML and its public verification code.
 *   A sealed version is immutable (triggers below): only its status may move on to superseded or revoked.
 * - `transcript_signatures`: who signed which step of which version; `signing_batches`: a batch's progress bar;
 *   `signing_prepared`: the two-phase API's prepared documents, short-lived.
 * - `transcript_copies`: every copy issued (hoc-ba-so.md: every issued copy is logged);
 *   `transcript_print_approvals`: the principal's approval of printed transcripts per grade or class.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('certificates', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.integer('staff_id').references('staff.id'); // null for the seal and the root
    t.string('kind', 8).notNullable(); // person | seal | root
    t.text('pem').notNullable();
    t.string('sha256', 64).notNullable().unique();
    t.string('subject_cn', 300).notNullable();
    t.string('subject_serial', 100);
    t.string('not_before', 30).notNullable();
    t.string('not_after', 30).notNullable();
    t.text('pkcs12'); // SecretBox-sealed base64 PKCS#12, software keystore only
    t.boolean('trusted').notNullable().defaultTo(false);
    t.string('revoked_at', 30);
    t.string('created_at', 30).notNullable();
    t.index(['school_id', 'staff_id']);
  });

  await knex.schema.createTable('signing_delegations', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.integer('school_year_id').notNullable().references('school_years.id');
    t.integer('grade').notNullable();
    t.integer('user_id').notNullable().references('users.id');
    t.integer('created_by').notNullable().references('users.id');
    t.string('created_at', 30).notNullable();
    t.unique(['school_year_id', 'grade']);
  });

  await knex.schema.createTable('transcripts', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.integer('student_id').notNullable().references('students.id').unique();
    t.string('transcript_uid', 36).notNullable().unique();
    t.string('created_at', 30).notNullable();
  });

  await knex.schema.createTable('transcript_versions', (t) => {
    t.increments('id');
    t.integer('transcript_id').notNullable().references('transcripts.id');
    t.integer('version').notNullable();
    t.integer('school_year_id').notNullable().references('school_years.id');
    t.integer('class_id').notNullable().references('classes.id');
    t.integer('grade').notNullable();
    t.string('status', 12).notNullable(); // draft | signing | sealed | superseded | revoked
    t.text('content').notNullable(); // JSON TranscriptContent the XML was made from (the PDF is drawn from it)
    t.text('subjects').notNullable().defaultTo('[]'); // JSON [{subjectId, code, name}] of the version's year: step 1's slots
    t.text('xml').notNullable();
    t.binary('pdf');
    t.string('sha256', 64);
    t.string('verification_code', 16).notNullable().unique();
    t.string('sealed_at', 30);
    t.integer('supersedes_version_id').references('transcript_versions.id');
    t.string('reason', 1000); // why a correction or a revocation
    t.integer('row_version').notNullable().defaultTo(1);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.unique(['transcript_id', 'version']);
    t.index(['school_year_id', 'class_id']);
  });

  await knex.schema.createTable('transcript_signatures', (t) => {
    t.increments('id');
    t.integer('version_id').notNullable().references('transcript_versions.id');
    t.string('step', 10).notNullable(); // subject | homeroom | approver | seal
    t.string('part', 80).notNullable().defaultTo('');
    t.integer('subject_id').references('subjects.id');
    t.string('signature_id', 120).notNullable();
    t.integer('signer_user_id').references('users.id');
    t.integer('certificate_id').notNullable().references('certificates.id');
    t.string('signed_at', 30).notNullable();
    t.unique(['version_id', 'signature_id']);
  });

  await knex.schema.createTable('signing_batches', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.integer('user_id').notNullable().references('users.id');
    t.text('task').notNullable(); // JSON SigningTask
    t.integer('total').notNullable().defaultTo(0);
    t.integer('done').notNullable().defaultTo(0);
    t.integer('failed').notNullable().defaultTo(0);
    t.string('status', 10).notNullable(); // running | done | failed
    t.text('errors').notNullable().defaultTo('[]'); // JSON [{versionId, key, params}]
    t.string('created_at', 30).notNullable();
    t.string('finished_at', 30);
  });

  await knex.schema.createTable('signing_prepared', (t) => {
    t.string('id', 40).primary(); // random item id handed to the key holder
    t.integer('user_id').notNullable().references('users.id');
    t.integer('version_id').notNullable().references('transcript_versions.id');
    t.integer('row_version').notNullable(); // the version row the preparation was made from
    t.string('signature_id', 120).notNullable();
    t.integer('certificate_id').notNullable().references('certificates.id');
    t.text('prepared_xml').notNullable();
    t.text('to_be_signed').notNullable(); // JSON {algorithm, bytes, digestSha256} (base64)
    t.string('expires_at', 30).notNullable();
  });

  await knex.schema.createTable('transcript_copies', (t) => {
    t.increments('id');
    t.integer('version_id').notNullable().references('transcript_versions.id');
    t.string('kind', 8).notNullable(); // xml | pdf | print
    t.integer('issued_to_user_id').notNullable().references('users.id');
    t.string('issued_at', 30).notNullable();
    t.string('purpose', 300);
    t.index(['version_id']);
  });

  await knex.schema.createTable('transcript_print_approvals', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.integer('school_year_id').notNullable().references('school_years.id');
    t.integer('grade').notNullable();
    t.integer('class_id').references('classes.id');
    t.integer('approved_by').notNullable().references('users.id');
    t.string('approved_at', 30).notNullable();
  });

  await sealedIsImmutable(knex);
}

const SEALED_MESSAGE = 'a sealed transcript version is immutable';

/**
 * Once sealed, the document, its PDF and its digest never change and the row is never deleted; only the status
 * moves on (sealed → superseded | revoked) — the signatures inside the XML would break otherwise (seed 003, 3.3).
 */
async function sealedIsImmutable(knex: Knex): Promise<void> {
  if (knex.client.config.client === 'pg') {
    await knex.raw(`
      CREATE OR REPLACE FUNCTION transcript_versions_sealed_guard() RETURNS trigger AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          IF OLD.status IN ('sealed', 'superseded', 'revoked') THEN RAISE EXCEPTION '${SEALED_MESSAGE}'; END IF;
          RETURN OLD;
        END IF;
        IF OLD.status IN ('sealed', 'superseded', 'revoked') AND (
          NEW.xml IS DISTINCT FROM OLD.xml OR NEW.content IS DISTINCT FROM OLD.content OR NEW.pdf IS DISTINCT FROM OLD.pdf OR NEW.sha256 IS DISTINCT FROM OLD.sha256
          OR NEW.verification_code IS DISTINCT FROM OLD.verification_code OR NEW.sealed_at IS DISTINCT FROM OLD.sealed_at
          OR NEW.version IS DISTINCT FROM OLD.version OR NEW.transcript_id IS DISTINCT FROM OLD.transcript_id
          OR NOT (NEW.status = OLD.status OR (OLD.status = 'sealed' AND NEW.status IN ('superseded', 'revoked'))
                  OR (OLD.status = 'superseded' AND NEW.status = 'revoked'))
        ) THEN RAISE EXCEPTION '${SEALED_MESSAGE}'; END IF;
        RETURN NEW;
      END; $$ LANGUAGE plpgsql`);
    await knex.raw(`CREATE TRIGGER transcript_versions_sealed_guard BEFORE UPDATE OR DELETE ON transcript_versions
      FOR EACH ROW EXECUTE FUNCTION transcript_versions_sealed_guard()`);
  } else {
    await knex.raw(`CREATE TRIGGER transcript_versions_sealed_update BEFORE UPDATE ON transcript_versions
      WHEN OLD.status IN ('sealed', 'superseded', 'revoked') AND (
        NEW.xml IS NOT OLD.xml OR NEW.content IS NOT OLD.content OR NEW.pdf IS NOT OLD.pdf OR NEW.sha256 IS NOT OLD.sha256
        OR NEW.verification_code IS NOT OLD.verification_code OR NEW.sealed_at IS NOT OLD.sealed_at
        OR NEW.version IS NOT OLD.version OR NEW.transcript_id IS NOT OLD.transcript_id
        OR NOT (NEW.status = OLD.status OR (OLD.status = 'sealed' AND NEW.status IN ('superseded', 'revoked'))
                OR (OLD.status = 'superseded' AND NEW.status = 'revoked')))
      BEGIN SELECT RAISE(ABORT, '${SEALED_MESSAGE}'); END`);
    await knex.raw(`CREATE TRIGGER transcript_versions_sealed_delete BEFORE DELETE ON transcript_versions
      WHEN OLD.status IN ('sealed', 'superseded', 'revoked')
      BEGIN SELECT RAISE(ABORT, '${SEALED_MESSAGE}'); END`);
  }
}

export async function down(knex: Knex): Promise<void> {
  if (knex.client.config.client === 'pg') {
    await knex.raw('DROP TRIGGER IF EXISTS transcript_versions_sealed_guard ON transcript_versions');
    await knex.raw('DROP FUNCTION IF EXISTS transcript_versions_sealed_guard()');
  }
  for (const table of [
    'transcript_print_approvals',
    'transcript_copies',
    'signing_prepared',
    'signing_batches',
    'transcript_signatures',
    'transcript_versions',
    'transcripts',
    'signing_delegations',
    'certificates',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
