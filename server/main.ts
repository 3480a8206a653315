import { createApp } from './app.ts';
import { listen } from './http/listen.ts';
import { bootstrap } from './bootstrap.ts';
import { loadConfig, type Config } from './config.ts';
import { startBackgroundCheckpoints } from './db/checkpoints.ts';
import { openMigratedRepositories, type OpenedRepositories } from './db/open-repositories.ts';
import { DatabaseUnreachableError } from './db/postgres/database.ts';
import { startSearchCatchUp } from './db/search-catch-up.ts';
import { startInstance } from './domain/instances.ts';
import { warmJobThreads } from './domain/job-warm-up.ts';
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
// PostgreSQL when CS_DATABASE_URL is set (it wins over CS_DB_PATH), else the SQLite file.
const location = config.CS_DATABASE_URL ?? dbPath;
// The demo's release files sit next to its database unless a releases directory is configured.
const releasesDir = demo && !process.env.CS_RELEASES_DIR ? DEMO_RELEASES_DIR : config.CS_RELEASES_DIR;
let repos: OpenedRepositories;
let version: number;
try {
  ({ repos, after: version } = await openMigratedRepositories(location));
} catch (err) {
  // A wrong or unreachable database stops the server with its message (host, database, reason; no password).
  if (!(err instanceof DatabaseUnreachableError)) throw err;
  console.error(err.message);
  process.exit(1);
}
const sqlite = repos.engine === 'sqlite' ? repos.db : null;
// WAL checkpoints run on their own thread: no request waits for one (docs/architecture.md). PostgreSQL has its
// own checkpointer.
const checkpoints = sqlite && startBackgroundCheckpoints(sqlite);
// This process as an app instance (server/domain/instances.ts): the owner of the jobs it runs, alive to the others
// while its heartbeat is fresh. Start-up interrupts only the jobs of dead instances.
const instance = await startInstance(repos.instances);
const messages = await bootstrap(repos, {
  adminUsername: config.CS_ADMIN_USERNAME,
  adminPassword: config.CS_ADMIN_PASSWORD,
  demo,
  releasesDir,
  instance,
});

const app = createApp({
  repos,
  staticDir: fromRoot('dist/client/'),
  secureCookies: config.CS_SECURE_COOKIES,
  outbound: { allowPrivate: config.CS_OUTBOUND_ALLOW_PRIVATE },
  trustProxy: config.CS_TRUST_PROXY,
  releasesDir,
  hub: { endpoint: config.CS_HF_ENDPOINT, token: config.CS_HF_TOKEN ?? null },
  instance,
});
const server = listen(app, config.PORT, config.HOST, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  console.log(`Culture Studio on http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${port}/`);
  console.log(`  database ${repos.location} (schema version ${version})`);
  for (const m of messages) console.log(m);
  // The job threads start now, so that the first import or release does not wait for them.
  const warming = performance.now();
  void warmJobThreads().then((failed) => {
    for (const f of failed) console.error(`A job thread could not load ${f}`);
    console.log(`  job threads ready (${Math.round(performance.now() - warming)} ms)`);
  });
});

// Edits reach the search indexes on their own thread, in small batches (docs/architecture.md). PostgreSQL has no
// catch-up: the search text is written with the item, in its transaction.
const searchCatchUp = sqlite && startSearchCatchUp(sqlite);

async function shutdown() {
  // Judge runs stop launching requests and store the answers in flight first: a restart repeats none of them.
  await stopJudgeRuns((line) => console.log(line));
  server.close(() => {
    // Deregistered: any job still running here is a dead instance's to the next start, at once.
    void Promise.all([checkpoints?.stop(), searchCatchUp?.stop(), instance.stop()])
      .then(() => repos.close())
      .finally(() => process.exit(0));
  });
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
