#!/usr/bin/env node
// `npm start`: the portal built if its sources changed (build-portal.mjs), the server bundled if its sources changed
// (build-server.mjs), then the bundled server in this same process. A warm restart is the two stamp checks and the
// bundle's load. `npm run start:dev` runs server/main.ts through tsx instead (no bundle). `--server-only` skips the
// portal step (test/startup.test.ts: the portal's own tests build it).
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensurePortal } from './build-portal.mjs';
import { ensureServerBundle } from './build-server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!process.argv.includes('--server-only') && !ensurePortal()) process.exit(1);
const main = await ensureServerBundle();
// The bundle lives in node_modules/.cache: server/paths.ts takes the checkout's root from here.
process.env.HOCBA_ROOT = root;
await import(pathToFileURL(main).href);
