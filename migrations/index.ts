import type { Knex } from 'knex';
import * as foundation from './20261123_001_foundation';
import * as gradebook from './20261124_002_gradebook';
import * as locks from './20261124_003_locks';
import * as corrections from './20261124_004_corrections';
import * as results from './20261124_005_results';
import * as resultsPending from './20261124_006_results_pending';
import * as timeline from './20261130_010_timeline';
import * as signInAndAuditAnchor from './20261130_007_sign_in_and_audit_anchor';
import * as studentIdentity from './20261201_011_student_identity';
import * as transcripts from './20261201_012_transcripts';
import * as auditChainPerSchool from './20261201_013_audit_chain_per_school';
import * as testDateCorrections from './20261201_014_test_date_corrections';
import * as printRuns from './20261201_015_print_runs';
import * as archiveRegister from './20261201_016_archive_register';
import * as printBooks from './20261201_017_print_books';
import * as scheduledRuns from './20261201_018_scheduled_runs';
import * as sync from './20261201_019_sync';
import * as digitisation from './20261201_020_digitisation';
import * as transfers from './20261201_021_transfers';
import * as syncAuto from './20261201_022_sync_auto';
import * as scoreFillfactor from './20261201_023_score_fillfactor';

/**
 * The migrations, in order. A static list (rather than a directory scan) so that tsx, vitest and any bundle
 * load exactly the same modules on SQLite and PostgreSQL.
 */
const migrations: Record<string, Knex.Migration> = {
  '20261123_001_foundation': foundation,
  '20261124_002_gradebook': gradebook,
  '20261124_003_locks': locks,
  '20261124_004_corrections': corrections,
  '20261124_005_results': results,
  '20261124_006_results_pending': resultsPending,
  '20261130_010_timeline': timeline,
  '20261130_007_sign_in_and_audit_anchor': signInAndAuditAnchor,
  '20261201_011_student_identity': studentIdentity,
  '20261201_012_transcripts': transcripts,
  '20261201_013_audit_chain_per_school': auditChainPerSchool,
  '20261201_014_test_date_corrections': testDateCorrections,
  '20261201_015_print_runs': printRuns,
  '20261201_016_archive_register': archiveRegister,
  '20261201_017_print_books': printBooks,
  '20261201_018_scheduled_runs': scheduledRuns,
  '20261201_019_sync': sync,
  '20261201_020_digitisation': digitisation,
  '20261201_021_transfers': transfers,
  '20261201_022_sync_auto': syncAuto,
  '20261201_023_score_fillfactor': scoreFillfactor,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name],
};
