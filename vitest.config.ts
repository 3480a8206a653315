import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'server',
          include: ['test/server/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          // Two cores run the whole suite, and the PostgreSQL files start PGlite (seconds) or make server databases:
          // a test over vitest's 5 s default is a loaded machine, not a hang (each test that waits says for what).
          testTimeout: 20_000,
          setupFiles: ['test/setup.ts'],
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/browser/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          setupFiles: ['test/setup.ts'],
        },
      },
    ],
  },
});
