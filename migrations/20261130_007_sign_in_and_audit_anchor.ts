import type { Knex } from 'knex';

/**
 * Hardening (issue 8): login throttles and known devices, guarded TOTP re-enrolment, and an anchored audit chain.
 *
 * - `login_throttle`: failure counters per client address and per unknown username, shared by every server process
 *   (nothing process-local), reserved atomically before a password is checked.
 * - `known_devices`: browsers that completed a full sign-in (password and TOTP); the cookie holds a random token,
 *   the table only its HMAC. A known device may pass an account lock with the password and a current code.
 * - `sessions.via_device`: the known device a half-finished sign-in came through while the account was locked.
 * - `users.failed_login_window_at`: failures count within 15 minutes of the first one (a success does not erase them).
 * - `users.totp_reenrol_until`: a re-enrolment authorised by password and current code, valid for a few minutes.
 * - `audit_checkpoints`: HMAC-signed copies of the chain head (key outside the database), one chain per `chain_id`.
 * - Triggers: the chain head only moves forward one linked event at a time and is never deleted; checkpoints are
 *   append-only.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('login_throttle', (t) => {
    t.string('key', 200).primary(); // ip:<address> | user:<normalised username>
    t.integer('failures').notNullable().defaultTo(0);
    t.string('window_started_at', 30).notNullable();
    t.string('locked_until', 30);
  });

  await knex.schema.createTable('known_devices', (t) => {
    t.string('id', 64).primary(); // HMAC of the cookie token
    t.integer('user_id').notNullable().references('users.id');
    t.integer('failures').notNullable().defaultTo(0);
    t.string('created_at', 30).notNullable();
    t.string('last_used_at', 30).notNullable();
    t.index(['user_id']);
  });

  await knex.schema.alterTable('sessions', (t) => {
    t.string('via_device', 64);
  });
  await knex.schema.alterTable('users', (t) => {
    t.string('totp_reenrol_until', 30);
    t.string('failed_login_window_at', 30); // the first failure of the current window (failures older than it expire)
  });

  await knex.schema.createTable('audit_checkpoints', (t) => {
    t.increments('id');
    t.integer('chain_id').notNullable(); // audit_chain_head.id (one chain today; one per school later)
    t.integer('event_id').notNullable();
    t.string('event_hash', 64).notNullable();
    t.string('at', 30).notNullable();
    t.string('key_id', 16).notNullable(); // which key signed it (a fingerprint, not the key)
    t.string('prev_mac', 64).notNullable();
    t.string('mac', 64).notNullable();
    t.index(['chain_id', 'id']);
  });

  if (knex.client.config.client === 'pg') {
    await knex.raw(`
      CREATE OR REPLACE FUNCTION audit_chain_head_guard() RETURNS trigger AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'audit_chain_head cannot be deleted'; END IF;
        IF NEW.id <> OLD.id OR NEW.last_event_id IS NULL
           OR (OLD.last_event_id IS NOT NULL AND NEW.last_event_id <= OLD.last_event_id)
           OR NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.id = NEW.last_event_id AND e.hash = NEW.last_hash AND e.prev_hash = OLD.last_hash)
        THEN RAISE EXCEPTION 'audit_chain_head only moves forward to the next linked event'; END IF;
        RETURN NEW;
      END; $$ LANGUAGE plpgsql`);
    await knex.raw(`CREATE TRIGGER audit_chain_head_guard BEFORE UPDATE OR DELETE ON audit_chain_head
      FOR EACH ROW EXECUTE FUNCTION audit_chain_head_guard()`);
    await knex.raw(`
      CREATE OR REPLACE FUNCTION audit_checkpoints_append_only() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'audit_checkpoints is append-only'; END; $$ LANGUAGE plpgsql`);
    await knex.raw(`CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE OR DELETE ON audit_checkpoints
      FOR EACH ROW EXECUTE FUNCTION audit_checkpoints_append_only()`);
  } else {
    await knex.raw(`CREATE TRIGGER audit_chain_head_guard BEFORE UPDATE ON audit_chain_head
      WHEN NEW.id <> OLD.id OR NEW.last_event_id IS NULL
        OR (OLD.last_event_id IS NOT NULL AND NEW.last_event_id <= OLD.last_event_id)
        OR NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.id = NEW.last_event_id AND e.hash = NEW.last_hash AND e.prev_hash = OLD.last_hash)
      BEGIN SELECT RAISE(ABORT, 'audit_chain_head only moves forward to the next linked event'); END`);
    await knex.raw(`CREATE TRIGGER audit_chain_head_no_delete BEFORE DELETE ON audit_chain_head
      BEGIN SELECT RAISE(ABORT, 'audit_chain_head cannot be deleted'); END`);
    await knex.raw(`CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
      BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END`);
    await knex.raw(`CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
      BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END`);
  }
}

export async function down(knex: Knex): Promise<void> {
  if (knex.client.config.client === 'pg') {
    await knex.raw('DROP TRIGGER IF EXISTS audit_chain_head_guard ON audit_chain_head');
    await knex.raw('DROP FUNCTION IF EXISTS audit_chain_head_guard()');
    await knex.raw('DROP TRIGGER IF EXISTS audit_checkpoints_no_update ON audit_checkpoints');
    await knex.raw('DROP FUNCTION IF EXISTS audit_checkpoints_append_only()');
  } else {
    await knex.raw('DROP TRIGGER IF EXISTS audit_chain_head_guard');
    await knex.raw('DROP TRIGGER IF EXISTS audit_chain_head_no_delete');
  }
  await knex.schema.dropTableIfExists('audit_checkpoints');
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('totp_reenrol_until');
    t.dropColumn('failed_login_window_at');
  });
  await knex.schema.alterTable('sessions', (t) => t.dropColumn('via_device'));
  await knex.schema.dropTableIfExists('known_devices');
  await knex.schema.dropTableIfExists('login_throttle');
}
