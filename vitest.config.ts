import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { detectIntegrations, INTEGRATION_ENV, loadEnvFile, missingReport } from './test/helpers/integrations';

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig(async () => {
  // What `npm run provision` set up, for variables the environment leaves unset.
  loadEnvFile(path.join(root, '.tools/test.env'), process.env);
  const detected = await detectIntegrations(process.env, path.join(root, '.tools/venv'));
  const report = missingReport(detected);
  if (process.env.CI === 'true' && report.length > 0) {
    throw new Error(`CI requires every integration.\n${report.join('\n')}`);
  }
  process.env.TEST_INTEGRATIONS_REPORT = JSON.stringify(report);
  // Each test sees exactly the integrations this run has: found ones by their URL or path, missing ones empty.
  // Demo PKIs take their RSA keys from a pool kept between runs (server/signing/pki.ts demoKeys): generating them
  // was most of the time of seeding a signing school, which many files do. `npm run provision` fills it beforehand
  // (scripts/make-test-keys.mjs); it lives outside node_modules, which `npm ci` empties.
  const env: Record<string, string> = { ARGON2_MEMORY_KIB: '1024', DEMO_KEY_POOL: path.join(root, '.tools/test-keys') };
  for (const [name, variable] of Object.entries(INTEGRATION_ENV)) {
    env[variable] = detected.found[name as keyof typeof INTEGRATION_ENV] ?? '';
  }
  return {
    test: {
      include: ['test/**/*.test.ts'],
      environment: 'node',
      // argon2 at production cost (19 MiB per hash) would make hundreds of logins crawl; the algorithm is the same.
      env,
      reporters: ['default', './test/helpers/integrations-reporter.ts'],
      testTimeout: 30_000,
      hookTimeout: 60_000,
      // Each test file gets its own fresh databases. Three workers on the 2-core machine: with two, a third of the
      // cores sat idle on average (files wait on browsers, child processes, PostgreSQL and sockets).
      pool: 'forks',
      maxWorkers: 3,
      // A worker keeps its loaded modules from one file to the next: loading the server anew for each of 85 files
      // was 284 s of the run's CPU (58 s now). Files already run several servers and databases side by side in one
      // process, so they keep nothing in module state that another file could trip on; fake timers are undone in
      // each file's own hooks. (The one failure seen with it, a 409 at a school's first simultaneous sign-ins, was
      // the product's: the audit chain head's insert, fixed in server/core/audit.ts createChainHead.)
      isolate: false,
    },
  };
});
