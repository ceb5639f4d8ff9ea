import type { Knex } from 'knex';

/**
 * What the transcript's identity page (TT22 học bạ THCS, trang 2) asks for and the student record lacked: quê quán
 * and the occupation (nghề nghiệp) of the father, the mother and the guardian. Nullable: older records are
 * completed by the records clerk.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('students', (t) => {
    t.string('home_town', 200);
    t.string('father_occupation', 100);
    t.string('mother_occupation', 100);
    t.string('guardian_occupation', 100);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('students', (t) => {
    t.dropColumn('guardian_occupation');
    t.dropColumn('mother_occupation');
    t.dropColumn('father_occupation');
    t.dropColumn('home_town');
  });
}
