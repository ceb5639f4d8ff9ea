import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The checkout's root, for files the server reads at run time (the portal's build, the XSD, package.json, worker
 * scripts). This file sits one level below it. `npm start` runs the server as one bundled file kept in
 * node_modules/.cache (scripts/start.mjs), where paths relative to a module no longer hold: the start script says
 * where the root is (HOCBA_ROOT).
 */
export const ROOT = process.env.HOCBA_ROOT ? path.resolve(process.env.HOCBA_ROOT) : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const fromRoot = (...parts: string[]): string => path.join(ROOT, ...parts);
