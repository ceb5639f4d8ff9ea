import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // argon2 at production cost (19 MiB per hash) would make hundreds of logins crawl; the algorithm is the same.
    env: { ARGON2_MEMORY_KIB: '1024' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each test file gets its own fresh databases; two workers fit the 2-core machine.
    pool: 'forks',
    maxWorkers: 2,
  },
});
