import { createApp } from './app.ts';
import { listen } from './http/listen.ts';
import { bootstrap } from './bootstrap.ts';
import { loadConfig, type Config } from './config.ts';
import { startBackgroundCheckpoints } from './db/checkpoints.ts';
import { openDatabase } from './db/connection.ts';
import { migrate } from './db/migrate.ts';
import { startSearchCatchUp } from './db/search-catch-up.ts';
import { stopJudgeRuns } from './domain/scoring/judge-job.ts';
import { DEMO_DB_PATH, DEMO_RELEASES_DIR } from './default-paths.ts';
import { fromRoot } from './runtime.ts';

const demo = process.argv.includes('--demo');
let config: Config;
try {
  config = loadConfig();
} catch (err) {
  // A bad setting stops the server with its message, not a stack trace.
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
const dbPath = demo && !process.env.CS_DB_PATH ? DEMO_DB_PATH : config.CS_DB_PATH;
// The demo's release files sit next to its database unless a releases directory is configured.
const releasesDir = demo && !process.env.CS_RELEASES_DIR ? DEMO_RELEASES_DIR : config.CS_RELEASES_DIR;
const db = openDatabase(dbPath);
const version = migrate(db);
// WAL checkpoints run on their own thread: no request waits for one (docs/architecture.md).
const checkpoints = startBackgroundCheckpoints(db);
const messages = await bootstrap(db, {
  adminUsername: config.CS_ADMIN_USERNAME,
  adminPassword: config.CS_ADMIN_PASSWORD,
  demo,
  releasesDir,
});

const app = createApp({
  db,
  staticDir: fromRoot('dist/client/'),
  secureCookies: config.CS_SECURE_COOKIES,
  outbound: { allowPrivate: config.CS_OUTBOUND_ALLOW_PRIVATE },
  trustProxy: config.CS_TRUST_PROXY,
  releasesDir,
  hub: { endpoint: config.CS_HF_ENDPOINT, token: config.CS_HF_TOKEN ?? null },
});
const server = listen(app, config.PORT, config.HOST, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  console.log(`Culture Studio on http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${port}/`);
  console.log(`  database ${dbPath} (schema version ${version})`);
  for (const m of messages) console.log(m);
});

// Edits reach the search indexes on their own thread, in small batches (docs/architecture.md).
const searchCatchUp = startSearchCatchUp(db);

async function shutdown() {
  // Judge runs stop launching requests and store the answers in flight first: a restart repeats none of them.
  await stopJudgeRuns((line) => console.log(line));
  server.close(() => {
    void Promise.all([checkpoints?.stop(), searchCatchUp?.stop()]).finally(() => {
      db.close();
      process.exit(0);
    });
  });
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
