// Autosave throughput: PATCH /api/items/:id of drafts at 50 concurrent connections for 10 s, with
// autocannon in this process and the server (npm run serve) in a child process on loopback.
// Each connection edits its own draft and carries the version the previous response returned, as
// the editor does. Target: >= 1,500 req/s, zero errors and zero non-2xx. The raw floor printed
// alongside is the same update + revision written directly through the repository, one at a time.
//
//   npm run bench:autosave -- [N] [connections] [seconds] [--database-url=postgres://…] [--instances=2]
//
// With --database-url (or CS_DATABASE_URL) the servers run on PostgreSQL: the SQLite seed (drafts included) is
// copied into cs_bench_autosave on that server (bench/lib/postgres.ts) and the floor is the same service update
// on the PostgreSQL repositories. --instances=K (PostgreSQL only) starts K server processes on that one database
// and splits the connections across them (a load balancer's round robin); the drafts are shared, so two
// instances save the same items in turn and a stale version is answered 409 as with one.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Item } from '../schema/item.ts';
import { openRepositories } from '../server/db/open-repositories.ts';
import { createRepositories, type Repositories } from '../server/db/repositories.ts';
import { createItemService } from '../server/domain/items.ts';
import {
  benchPostgresUrl,
  copyToPostgres,
  serverEnv,
  serverSettings,
  withoutDatabaseUrl,
} from './lib/postgres.ts';
import { seedBenchDb } from './lib/seed-db.ts';

const args = withoutDatabaseUrl(process.argv.slice(2));
const positional = args.filter((a) => !a.startsWith('--'));
const n = Number(positional[0] ?? 100_000);
const connections = Number(positional[1] ?? 50);
const duration = Number(positional[2] ?? 10);
const instances = Number(args.find((a) => a.startsWith('--instances='))?.slice(12) ?? 1);
const postgresUrl = benchPostgresUrl();
if (instances > 1 && !postgresUrl)
  throw new Error(
    '--instances > 1 needs PostgreSQL (--database-url): a SQLite database has one server process',
  );
const path = 'bench/out/autosave.sqlite';
const bench = await seedBenchDb(path, n);
const sqliteRepos = createRepositories(bench.db);
let items = createItemService(sqliteRepos);
const repos: Repositories = sqliteRepos;
const ko = bench.annotatorTokens.get('ko')!;
const author = (await repos.users.get(ko.userId))!;
// Twice as many drafts as connections, so a free one is always there.
const drafts: Item[] = [];
for (let i = 0; i < connections * 2; i++)
  drafts.push(
    await items.create(author, {
      datasetId: bench.datasetId,
      language: 'ko',
      kind: 'culture',
      format: 'open_ended',
      question: `초안 ${i}`,
    }),
  );

// PostgreSQL: everything above (users, tokens, drafts) copied with its ids; the floor is measured there.
const pgTarget = postgresUrl ? await copyToPostgres(bench.db, postgresUrl, 'cs_bench_autosave') : null;
const pg = pgTarget ? await openRepositories(pgTarget) : null;
if (pg) items = createItemService(pg);

// Raw floor: the service's update path without HTTP, sequential.
const floorItem = await items.create(author, {
  datasetId: bench.datasetId,
  language: 'ko',
  kind: 'culture',
  format: 'open_ended',
});
let version = floorItem.version;
const floorN = 3_000;
const t0 = performance.now();
for (let i = 0; i < floorN; i++) {
  version = (
    await items.update(author, floorItem.id, {
      version,
      changes: { question: `추석에 무엇을 합니까? ${i}` },
    })
  ).version;
}
const floorRate = floorN / ((performance.now() - t0) / 1000);
bench.db.close();
await pg?.close();

function startServer() {
  const child = spawn(
    process.execPath,
    [...(process.env.BENCH_NODE_ARGS?.split(' ') ?? []), '--import', 'tsx', 'server/main.ts'],
    {
      env: {
        ...serverEnv(pgTarget ? { postgres: pgTarget } : { sqlite: path }),
        PORT: '0',
        NODE_ENV: 'production',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.on('line', (line) => {
      const m = /(http:\/\/\S+?)\/?$/.exec(line);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { child, url };
}
const servers = Array.from({ length: instances }, startServer);
const urls = await Promise.all(servers.map((s) => s.url));

interface Draft {
  id: number;
  version: number;
}
const pool: Draft[] = drafts.map((d) => ({ id: d.id, version: d.version }));
let typed = 0;
/** The load on one server: its share of the connections (autocannon instances run concurrently in this process). */
const load = (url: string, share: number) =>
  autocannon({
    url,
    connections: share,
    duration,
    requests: [
      {
        method: 'PATCH',
        // autocannon resets its per-connection context after every request of a one-request list, so
        // drafts are leased from a pool instead: a request takes a draft with its current version, the
        // answer (200: the item; 409: details.current) puts it back with the version it now has.
        setupRequest: (req) => {
          const draft = pool.pop();
          if (!draft) throw new Error('draft pool exhausted');
          typed++;
          return {
            ...req,
            path: `/api/items/${draft.id}`,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${ko.token}` },
            body: JSON.stringify({
              version: draft.version,
              changes: { question: `추석에는 가족이 모여 송편을 빚습니다 ${typed}` },
            }),
          };
        },
        onResponse: (status, body) => {
          if (status !== 200 && process.env.DEBUG_BENCH) console.log(status, body.slice(0, 200));
          const parsed = JSON.parse(body) as {
            id?: number;
            version?: number;
            error?: { details?: { current?: Draft } };
          };
          const item = status === 200 ? (parsed as Draft) : parsed.error?.details?.current;
          if (item) pool.unshift({ id: item.id, version: item.version });
        },
      },
    ],
  });
const shares = urls.map(
  (_, k) => Math.floor(connections / instances) + (k < connections % instances ? 1 : 0),
);
const results = await Promise.all(urls.map((url, k) => load(url, shares[k])));
for (const s of servers) s.child.kill('SIGTERM');

console.log(
  `\nAutosave: PATCH /api/items/:id, ${connections} connections, ${duration} s, ${n} items in the database`,
);
console.log(
  `  engine: ${postgresUrl ? await serverSettings(postgresUrl) : 'SQLite'}; ${instances} server process${instances > 1 ? `es (connections ${shares.join(' + ')})` : ''}`,
);
const sum = (f: (r: (typeof results)[number]) => number) => results.reduce((a, r) => a + f(r), 0);
results.forEach((r, k) => {
  const who = instances > 1 ? `  instance ${k + 1}:` : '';
  console.log(
    `${who}  requests/s  mean ${r.requests.average.toFixed(0)}  p50 ${r.requests.p50}  min ${r.requests.min}`,
  );
  console.log(
    `${who}  latency     p50 ${r.latency.p50} ms  p97.5 ${r.latency.p97_5} ms  p99 ${r.latency.p99} ms`,
  );
});
if (instances > 1)
  console.log(`  all instances: requests/s mean ${sum((r) => r.requests.average).toFixed(0)}`);
console.log(
  `  total ${sum((r) => r.requests.total)}  2xx ${sum((r) => r['2xx'])}  non-2xx ${sum((r) => r.non2xx)}  errors ${sum((r) => r.errors)}  timeouts ${sum((r) => r.timeouts)}`,
);
console.log(
  `  raw floor (service update + revision, no HTTP, sequential): ${floorRate.toFixed(0)} updates/s`,
);
console.log(`  target: >= 1,500 req/s with zero errors and zero non-2xx`);
