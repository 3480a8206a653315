// Item list latency over N items (default 100k): GET /api/items with filters, sorting, paging and
// full-text search, through real HTTP on loopback, one request at a time (latency, not throughput).
// Target: p95 < 15 ms for every shape. Also prints the raw floor: the same repository query without HTTP.
//
//   npm run bench:list -- [N] [requests per shape] [--corpus=varied|repetitive] [--runs=3] [--reuse]
//                          [--database-url=postgres://…]
//
// With --database-url (or CS_DATABASE_URL) the app runs on PostgreSQL: the SQLite seed is copied into a database
// of its own on that server (cs_bench_list_<corpus>_<N>, bench/lib/postgres.ts), and the floor is measured there:
// the PostgreSQL repository's list, and the raw SELECT of one page with node-postgres.
//
// Each run measures every shape; the table gives, per shape, the median over the runs of p50/p95/p99.
// --reuse keeps an existing bench/out/item-list-<corpus>-<N>.sqlite (seeding 1M items takes minutes).
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createApp } from '../server/app.ts';
import { openDatabase } from '../server/db/connection.ts';
import { migrate } from '../server/db/migrate.ts';
import { openRepositories } from '../server/db/open-repositories.ts';
import { connectPostgres } from '../server/db/postgres/database.ts';
import { createRepositories, type Repositories } from '../server/db/repositories.ts';
import { createAuthService } from '../server/domain/auth.ts';
import { BENCH_CATEGORIES, BENCH_LANGUAGES, benchWords, prng, type BenchCorpus } from './lib/generate.ts';
import { benchPostgresUrl, copyToPostgres, serverSettings, withoutDatabaseUrl } from './lib/postgres.ts';
import { seedBenchDb } from './lib/seed-db.ts';
import { median, ms, summarize } from './lib/stats.ts';

const args = withoutDatabaseUrl(process.argv.slice(2));
const postgresUrl = benchPostgresUrl();
const flag = (name: string) => args.find((a) => a.startsWith(`--${name}`))?.split('=')[1];
const positional = args.filter((a) => !a.startsWith('--'));
const n = Number(positional[0] ?? 100_000);
const rounds = Number(positional[1] ?? 2_000);
const corpus = (flag('corpus') ?? 'varied') as BenchCorpus;
const runs = Number(flag('runs') ?? 3);
const path = `bench/out/item-list-${corpus}-${n}.sqlite`;

async function open() {
  if (args.includes('--reuse') && existsSync(path)) {
    const db = openDatabase(path);
    migrate(db);
    const repos = createRepositories(db);
    const auth = createAuthService(repos.users);
    const token = async (username: string) =>
      (await auth.createToken((await repos.users.getByUsername(username))!.id, 'bench')).token;
    const annotatorTokens = new Map<string, { userId: number; token: string }>();
    for (const l of BENCH_LANGUAGES)
      annotatorTokens.set(l, {
        userId: (await repos.users.getByUsername(`bench-${l}`))!.id,
        token: await token(`bench-${l}`),
      });
    return { db, maintainerToken: await token('bench-admin'), annotatorTokens };
  }
  return seedBenchDb(path, n, corpus);
}
const bench = await open();
// PostgreSQL: the same users, tokens and items (ids kept), copied from the SQLite seed.
const pgTarget = postgresUrl
  ? await copyToPostgres(bench.db, postgresUrl, `cs_bench_list_${corpus}_${n}`)
  : null;
const pg = pgTarget ? await openRepositories(pgTarget) : null;
const app = createApp(pg ? { repos: pg, log: () => {} } : { db: bench.db, log: () => {} });
const server = app.listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const rand = prng(3);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
const statuses = ['draft', 'submitted', 'accepted'];
const formats = ['open_ended', 'short_answer', 'multiple_choice', 'true_false'];
const sorts = ['updated_desc', 'updated_asc', 'id_asc'];
/** The first `k` characters of a word people search for: what someone typing a query sends. */
const prefix = (word: string, k: number) => [...word].slice(0, k).join('');

type Shape = { name: string; query: () => Record<string, string>; who: () => string };
const maintainer = () => bench.maintainerToken;
const shapes: Shape[] = [
  { name: 'no filter, page 1', query: () => ({}), who: maintainer },
  {
    name: 'language + status',
    query: () => ({ language: pick(BENCH_LANGUAGES), status: pick(statuses) }),
    who: maintainer,
  },
  {
    name: 'language + format + category + sort',
    query: () => ({
      language: pick(BENCH_LANGUAGES),
      format: pick(formats),
      category: pick(BENCH_CATEGORIES),
      sort: pick(sorts),
    }),
    who: maintainer,
  },
  {
    name: 'deep page (page 50)',
    query: () => ({ language: pick(BENCH_LANGUAGES), page: '50' }),
    who: maintainer,
  },
  {
    name: 'full-text search (a word, any script)',
    query: () => ({ q: pick(benchWords(pick(BENCH_LANGUAGES), corpus)) }),
    who: maintainer,
  },
  {
    name: 'search, two characters (any script)',
    query: () => ({ q: prefix(pick(benchWords(pick(BENCH_LANGUAGES), corpus)), 2) }),
    who: maintainer,
  },
  {
    name: 'search, one Korean syllable',
    query: () => ({ q: prefix(pick(benchWords('ko', corpus)), 1) }),
    who: maintainer,
  },
  {
    name: 'annotator (own languages), search + status',
    query: () => ({ q: pick(benchWords('ko', corpus)), status: 'submitted' }),
    who: () => bench.annotatorTokens.get('ko')!.token,
  },
];

console.log(
  `\nGET /api/items over ${n} items (${corpus} corpus), ${rounds} requests per shape, ${runs} runs (sequential, loopback HTTP)`,
);
console.log(`  engine: ${postgresUrl ? await serverSettings(postgresUrl) : 'SQLite'}`);
type Summary = ReturnType<typeof summarize>;
const perShape = new Map<string, Summary[]>(shapes.map((s) => [s.name, []]));
const all: Summary[] = [];
for (let run = 0; run < runs; run++) {
  const everything: number[] = [];
  for (const shape of shapes) {
    const samples: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const qs = new URLSearchParams(shape.query()).toString();
      const t0 = performance.now();
      const res = await fetch(`${base}/api/items?${qs}`, {
        headers: { authorization: `Bearer ${shape.who()}` },
      });
      await res.arrayBuffer();
      const dt = performance.now() - t0;
      if (res.status !== 200) throw new Error(`${shape.name}: HTTP ${res.status}`);
      if (i >= 20) samples.push(dt); // first requests warm the statement cache and page cache
    }
    everything.push(...samples);
    perShape.get(shape.name)!.push(summarize(samples));
  }
  all.push(summarize(everything));
}
const row = (name: string, xs: Summary[]) => {
  const m = (k: 'p50' | 'p95' | 'p99') => ms(median(xs.map((x) => x[k])));
  const each = xs.map((x) => x.p95.toFixed(1)).join(' / ');
  console.log(
    `  ${name.padEnd(44)} p50 ${m('p50')}  p95 ${m('p95')}  p99 ${m('p99')}   (p95 per run: ${each})`,
  );
};
for (const shape of shapes) row(shape.name, perShape.get(shape.name)!);
row('ALL', all);
console.log('  target: p95 < 15 ms for every shape');

// Raw floor: the repository query alone (no HTTP, no JSON), same shapes.
const repos: Repositories = pg ?? createRepositories(bench.db);
const floor: number[] = [];
for (let i = 0; i < rounds; i++) {
  const lang = pick(BENCH_LANGUAGES);
  const t0 = performance.now();
  await repos.items.list({
    language: lang,
    status: 'submitted',
    sort: 'updated_desc',
    limit: 50,
    offset: 0,
    scope: null,
    answers: null,
  });
  floor.push(performance.now() - t0);
}
const f = summarize(floor);
console.log(`  raw floor (repository list, language + status): p50 ${ms(f.p50)}  p95 ${ms(f.p95)}`);
if (pgTarget) {
  // PostgreSQL's own floor: one page of the same shape by a plain SELECT (node-postgres, no repository code).
  const raw = await connectPostgres(pgTarget, { max: 1 });
  const selects: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const lang = pick(BENCH_LANGUAGES);
    const t0 = performance.now();
    await raw.query(
      `SELECT * FROM items WHERE language = $1 AND status = 'submitted' ORDER BY updated_at DESC, id DESC LIMIT 50`,
      [lang],
    );
    selects.push(performance.now() - t0);
  }
  await raw.close();
  const r = summarize(selects);
  console.log(
    `  raw floor (plain SELECT of one page, language + status): p50 ${ms(r.p50)}  p95 ${ms(r.p95)}`,
  );
}
server.close();
bench.db.close();
await pg?.close();
