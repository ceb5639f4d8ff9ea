/**
 * `npm run sync:receiver` — the receiving service on its own (docs/sync.md). Environment:
 *   SYNC_RECEIVER_TRUST    PEM files or directories of *.pem: the roots the schools' certificates chain to (required)
 *   SYNC_RECEIVER_PORT     default 3900;  SYNC_RECEIVER_HOST  default 127.0.0.1
 *   SYNC_RECEIVER_DATA     where its SQLite file lives, default ./data/sync-receiver
 *   SYNC_RECEIVER_API_KEY  when set, senders must give `Authorization: Bearer <key>` (the school's SYNC_API_KEY)
 */
import fs from 'node:fs';
import path from 'node:path';
import { startReceiver } from './server';

function trustAnchors(spec: string): string[] {
  const files = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .flatMap((p) => (fs.statSync(p).isDirectory() ? fs.readdirSync(p).filter((f) => f.endsWith('.pem')).map((f) => path.join(p, f)) : [p]));
  return files.flatMap((f) => fs.readFileSync(f, 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []);
}

async function main(): Promise<void> {
  const spec = process.env.SYNC_RECEIVER_TRUST;
  if (!spec) throw new Error('SYNC_RECEIVER_TRUST is required: the PEM trust anchors (files or directories), e.g. the trust/ folder of npm run transcripts:export');
  const anchors = trustAnchors(spec);
  if (anchors.length === 0) throw new Error(`No certificate found in SYNC_RECEIVER_TRUST=${spec}`);
  const receiver = await startReceiver({
    dataDir: process.env.SYNC_RECEIVER_DATA ?? './data/sync-receiver',
    trustAnchors: anchors,
    apiKey: process.env.SYNC_RECEIVER_API_KEY || undefined,
    port: Number(process.env.SYNC_RECEIVER_PORT ?? 3900),
    host: process.env.SYNC_RECEIVER_HOST ?? '127.0.0.1',
  });
  console.log(`Sync receiver listening on ${receiver.url} (${anchors.length} trust anchor(s)); POST ${receiver.url}/packets`);
  const stop = () => void receiver.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
