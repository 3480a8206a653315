import { defineConfig } from 'vitest/config';

/**
 * Server test files that do not run again on PostgreSQL: what they test is SQLite's own (its file, its connection,
 * its machinery), or they need no database at all. One line each, with the reason.
 */
const sqliteOnly = [
  // SQLite's migrations, file and machinery.
  'test/server/migrate.test.ts',
  'test/server/migration-item-context.test.ts',
  'test/server/checkpoints.test.ts',
  'test/server/async-repository.test.ts',
  'test/server/write-turns.test.ts',
  'test/server/search-catch-up.test.ts',
  'test/server/backup.test.ts',
  'test/server/job-pool.test.ts',
  // No database: pure functions, configuration, source rules.
  'test/server/config.test.ts',
  'test/server/layering.test.ts',
  'test/server/readme-config.test.ts',
  'test/server/source-size.test.ts',
  'test/server/statistics.test.ts',
  'test/server/text-normalize.test.ts',
  'test/server/agreement.test.ts',
  'test/server/exports-changelog.test.ts',
  'test/server/exports-golden.test.ts',
  'test/server/exports-record.test.ts',
  'test/server/exports-writers.test.ts',
  'test/server/judge-calibration.test.ts',
  'test/server/scoring-bootstrap.test.ts',
  'test/server/scoring-extraction.test.ts',
];

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
        // The domain and HTTP suites once more on PostgreSQL (issue 12): createTestContext builds its app on
        // PostgreSQL here — PGlite in-process, or the server CS_TEST_POSTGRES_URL names (CI starts one). The
        // repository tests of test/server/postgres/ run both engines themselves; the files below test SQLite's own
        // machinery or need no database, each with its reason.
        test: {
          name: 'server-postgres',
          include: ['test/server/**/*.test.ts'],
          exclude: ['test/server/postgres/**', ...sqliteOnly],
          env: { CS_TEST_ENGINE: 'postgres' },
          environment: 'node',
          pool: 'forks',
          testTimeout: 20_000,
          hookTimeout: 60_000,
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
