import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Db } from './db/connection.ts';
import { createRepositories, type Repositories } from './db/repositories.ts';
import { DEFAULT_RELEASES_DIR } from './default-paths.ts';
import { createServices } from './domain/services.ts';
import { DEFAULT_LOGIN_RATE_LIMIT, type LoginRateLimit } from './domain/login-throttle.ts';
import { authenticate } from './http/auth.ts';
import { errorHandler, routeNotFound } from './http/errors.ts';
import { apiRouter } from './routes/index.ts';
import type { TrustProxy } from './http/trust-proxy.ts';
import type { ReleaseBuildHook } from './domain/releases/service.ts';
import type { ImportHook } from './domain/import/service.ts';
import type { OutboundOptions } from './outbound/client.ts';
import type { ItemSaveHook } from './domain/items.ts';
import type { HubSettings } from './domain/hub-push.ts';
import type { TrialRateLimit } from './domain/trial-throttle.ts';
import type { AppInstance } from './domain/instances.ts';

export interface AppOptions {
  /** A SQLite connection (the app builds its repositories over it) … */
  db?: Db;
  /** … or repositories of either engine (openRepositories, createPgRepositories): these win. */
  repos?: Repositories;
  /** Directory of the built client (dist/client); omitted in tests and when Vite serves the client. */
  staticDir?: string;
  secureCookies?: boolean;
  /** Failed logins allowed per client address and per username (default 10 per 15 minutes). */
  loginRateLimit?: LoginRateLimit;
  /** Which proxies' X-Forwarded-For to believe (default: none; env CS_TRUST_PROXY in main.ts). */
  trustProxy?: TrustProxy;
  /** Where unexpected errors are reported. Never receives request bodies or secrets. */
  log?: (message: string, err: unknown) => void;
  /** Where release folders and archives are written (default DEFAULT_RELEASES_DIR; env CS_RELEASES_DIR in main.ts). */
  releasesDir?: string;
  /** Called at each step of a release build; tests throw from it to simulate a crash midway. */
  releaseBuildHook?: ReleaseBuildHook;
  /** Called at two points of a running import; crash tests stop a child server there and kill it. */
  importHook?: ImportHook;
  /** Called by an item save between its read and its conditional write; tests race a second writer there. */
  itemSaveHook?: ItemSaveHook;
  /** Where model API keys named by an environment variable are read (default process.env); tests pass their own. */
  scoringEnv?: Record<string, string | undefined>;
  /** Requests to model endpoints: loopback/private allowed or not (env CS_OUTBOUND_ALLOW_PRIVATE in main.ts). */
  outbound?: OutboundOptions;
  /** The Hugging Face Hub releases are pushed to (env CS_HF_ENDPOINT and CS_HF_TOKEN in main.ts); tests pass a stand-in. */
  hub?: HubSettings;
  /** Requests "Try on models" may make per user and per model in a window (default 20 and 60 a minute). */
  trialRateLimit?: TrialRateLimit;
  /** This app instance on the database (main.ts: startInstance), the owner of the jobs it starts. */
  instance?: AppInstance;
}

/** Builds the HTTP application from its dependencies. It never listens; server/main.ts does. */
export function createApp(options: AppOptions): Express {
  const loginRateLimit = options.loginRateLimit ?? DEFAULT_LOGIN_RATE_LIMIT;
  const log = options.log ?? ((m, e) => console.error(m, e));
  // Every domain service, once: the routers share them (and their state, such as the login throttle).
  const repos = options.repos ?? (options.db && createRepositories(options.db));
  if (!repos) throw new Error('createApp needs a database: `db` or `repos`');
  const services = createServices(repos, {
    releasesDir: options.releasesDir ?? DEFAULT_RELEASES_DIR,
    loginRateLimit,
    log,
    releaseBuildHook: options.releaseBuildHook,
    importHook: options.importHook,
    itemSaveHook: options.itemSaveHook,
    scoringEnv: options.scoringEnv,
    outbound: options.outbound,
    hub: options.hub,
    trialRateLimit: options.trialRateLimit,
    instance: options.instance,
  });

  const app = express();
  app.disable('x-powered-by');
  // API answers change with every write; hashing each body for an ETag costs more than it saves.
  app.set('etag', false);
  // The client address (rate limits) comes from X-Forwarded-For only through these proxies.
  app.set('trust proxy', options.trustProxy ?? false);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: { 'script-src': ["'self'"], 'connect-src': ["'self'"], 'worker-src': ["'self'"] },
      },
    }),
  );

  const api = express.Router();
  api.use(cookieParser());
  api.use(authenticate(services.auth));
  // Bodies: JSON only, except the routes that declare their own raw-body parser (see apiRouter).
  api.use(apiRouter({ services, secureCookies: options.secureCookies ?? false, loginRateLimit }));
  api.use(routeNotFound);
  app.use('/api', api);

  const staticDir = options.staticDir && resolve(options.staticDir);
  if (staticDir && existsSync(staticDir)) {
    app.use(express.static(staticDir, { index: false, maxAge: '1h' }));
    // Client-side routes fall back to the app shell.
    app.get(/^\/(?!api\/).*/, (_req, res) => {
      res.set('Cache-Control', 'no-cache').sendFile(join(staticDir, 'index.html'));
    });
  }
  app.use(routeNotFound);
  app.use(errorHandler(log));
  return app;
}
