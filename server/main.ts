import { fileURLToPath } from 'node:url';
import { createApp } from './app.ts';
import { bootstrap } from './bootstrap.ts';
import { loadConfig, type Config } from './config.ts';
import { startBackgroundCheckpoints } from './db/checkpoints.ts';
import { openDatabase } from './db/connection.ts';
import { migrate } from './db/migrate.ts';
import { createRepositories } from './db/repositories.ts';

const demo = process.argv.includes('--demo');
let config: Config;
try {
  config = loadConfig();
} catch (err) {
  // A bad setting stops the server with its message, not a stack trace.
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
const dbPath = demo && !process.env.CS_DB_PATH ? 'data/demo.sqlite' : config.CS_DB_PATH;
// The demo's release files sit next to its database unless a releases directory is configured.
const releasesDir = demo && !process.env.CS_RELEASES_DIR ? 'data/demo-releases' : config.CS_RELEASES_DIR;
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
  staticDir: fileURLToPath(new URL('../dist/client/', import.meta.url)),
  secureCookies: config.CS_SECURE_COOKIES,
  outbound: { allowPrivate: config.CS_OUTBOUND_ALLOW_PRIVATE },
  trustProxy: config.CS_TRUST_PROXY,
  releasesDir,
});
const server = app.listen(config.PORT, config.HOST, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  console.log(`Culture Studio on http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${port}/`);
  console.log(`  database ${dbPath} (schema version ${version})`);
  for (const m of messages) console.log(m);
});

// Edits reach the full-text indexes lazily (searches bring them up to date first); this keeps the
// backlog small between searches.
const { items } = createRepositories(db);
const searchIndexTimer = setInterval(() => items.syncSearchIndex(), 2_000);
searchIndexTimer.unref();

function shutdown() {
  clearInterval(searchIndexTimer);
  server.close(() => {
    void (checkpoints?.stop() ?? Promise.resolve()).finally(() => {
      db.close();
      process.exit(0);
    });
  });
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
