import type { Knex } from 'knex';

/**
 * PostgreSQL only (issue 11): the tables a grid save rewrites row by row — the scores, the subject comments and the
 * pending-results marks — leave a fifth of each page free, so that rewriting a row fits on its own page and is made in
 * place (a HOT update: no new entry in any of the table's indexes, none of which covers a column a save changes).
 * With full pages about half of a save storm's score updates had to write every index again. Pages written from now
 * on follow it; existing pages as autovacuum or a rewrite reaches them. SQLite has no such setting.
 */
const TABLES = ['assessment_scores', 'subject_comments', 'results_pending'];
const FREE_PERCENT = 20;

export async function up(knex: Knex): Promise<void> {
  if (knex.client.config.client !== 'pg') return;
  for (const t of TABLES) await knex.raw(`alter table ${t} set (fillfactor = ${100 - FREE_PERCENT})`);
}

export async function down(knex: Knex): Promise<void> {
  if (knex.client.config.client !== 'pg') return;
  for (const t of TABLES) await knex.raw(`alter table ${t} reset (fillfactor)`);
}
