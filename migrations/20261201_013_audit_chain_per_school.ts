import type { Knex } from 'knex';

/**
 * One audit chain per school (issue 11: no global write lock). Until now every audited write of every school took
 * the one `audit_chain_head` row, so all writes of a deployment serialised on it. Now chain 1 is the system's
 * (events without a school, and every event written before this migration), and each school gets its own chain,
 * `audit_chain_head.id = school_id + 1`, created with its first event. `audit_events.chain_id` says which chain a
 * row links into; checkpoints were already kept per chain (`audit_checkpoints.chain_id`).
 *
 * The head guard now also requires the new head's event to belong to that chain.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_chain_head', (t) => {
    t.integer('school_id').unique(); // null: the system chain (id 1)
  });
  await knex.schema.alterTable('audit_events', (t) => {
    t.integer('chain_id').notNullable().defaultTo(1);
    t.index(['chain_id', 'id']);
  });
  if (knex.client.config.client === 'pg') {
    await knex.raw(`
      CREATE OR REPLACE FUNCTION audit_chain_head_guard() RETURNS trigger AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'audit_chain_head cannot be deleted'; END IF;
        IF NEW.id <> OLD.id OR NEW.school_id IS DISTINCT FROM OLD.school_id OR NEW.last_event_id IS NULL
           OR (OLD.last_event_id IS NOT NULL AND NEW.last_event_id <= OLD.last_event_id)
           OR NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.id = NEW.last_event_id AND e.chain_id = NEW.id
                          AND e.hash = NEW.last_hash AND e.prev_hash = OLD.last_hash)
        THEN RAISE EXCEPTION 'audit_chain_head only moves forward to the next linked event'; END IF;
        RETURN NEW;
      END; $$ LANGUAGE plpgsql`);
  } else {
    await knex.raw('DROP TRIGGER IF EXISTS audit_chain_head_guard');
    await knex.raw(`CREATE TRIGGER audit_chain_head_guard BEFORE UPDATE ON audit_chain_head
      WHEN NEW.id <> OLD.id OR NEW.school_id IS NOT OLD.school_id OR NEW.last_event_id IS NULL
        OR (OLD.last_event_id IS NOT NULL AND NEW.last_event_id <= OLD.last_event_id)
        OR NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.id = NEW.last_event_id AND e.chain_id = NEW.id
                       AND e.hash = NEW.last_hash AND e.prev_hash = OLD.last_hash)
      BEGIN SELECT RAISE(ABORT, 'audit_chain_head only moves forward to the next linked event'); END`);
  }
}

export async function down(knex: Knex): Promise<void> {
  // The chains cannot be merged back into one; going down is refused rather than leaving a chain nobody checks.
  void knex;
  throw new Error('20261201_013_audit_chain_per_school cannot be undone: the schools’ audit chains cannot be merged back into one');
}
