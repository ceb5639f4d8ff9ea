import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config';
import { createDb } from '../db/knex';
import { exportTranscripts } from '../transcripts/export';

/**
 * npm run transcripts:export -- --year 2025-2026 --out DIR — writes every sealed transcript version of the year as
 * `<transcript_uid>-v<version>.xml` and `.pdf`, and the trust anchors as PEM under DIR/trust/. Exit 1 on an error.
 */
try {
  const { values } = parseArgs({ options: { year: { type: 'string' }, out: { type: 'string' } } });
  if (!values.year || !values.out) {
    console.error('Cách dùng / usage: npm run transcripts:export -- --year 2025-2026 --out DIR');
    process.exit(1);
  }
  const config = loadConfig();
  const db = createDb(config.databaseUrl);
  try {
    const r = await exportTranscripts(db, { year: values.year, out: values.out });
    console.log(`Đã xuất ${r.versions} học bạ (${r.files} tệp) và ${r.anchors} chứng thư gốc tin cậy vào ${values.out}. / Exported ${r.versions} transcript versions (${r.files} files) and ${r.anchors} trust anchors.`);
  } finally {
    await db.destroy();
  }
} catch (err) {
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : err);
  process.exit(1);
}
