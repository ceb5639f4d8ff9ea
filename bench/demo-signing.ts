/**
 * The demo's signing seed (seedDemoSigning with sign: true): the default demo school, last school year completed and
 * its transcripts taken through the whole chain, timed.   npx tsx bench/demo-signing.ts
 */
import os from 'node:os';
import { createSecretBox } from '../server/auth/secret-box';
import { seedDemo } from '../server/demo/seed';
import { seedDemoSigning } from '../server/transcripts/seed';
import { freshBenchDb } from './common';

async function main() {
  const { db, drop } = await freshBenchDb();
  const box = createSecretBox('bench-demo-signing-secret-0123456789abcdef');
  try {
    await seedDemo(db, { secretBox: box });
    const cpu = process.cpuUsage();
    const r = await seedDemoSigning(db, { secretBox: box });
    const used = process.cpuUsage(cpu);
    const signatures = ((await db('transcript_signatures').count({ n: '*' }).first()) as { n: number | string }).n;
    console.log(`seedDemoSigning: ${r.opened} opened, ${r.sealed} sealed, ${signatures} XML signatures in ${(r.ms / 1000).toFixed(1)} s (CPU ${((used.user + used.system) / 1e6).toFixed(1)} s), load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  } finally {
    await drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
