// Item list latency over N items (default 100k): GET /api/items with filters, sorting, paging and
// full-text search, through real HTTP on loopback, one request at a time (latency, not throughput).
// Target: p95 < 15 ms. Also prints the raw floor: the same repository query without HTTP.
import type { AddressInfo } from 'node:net';
import { createApp } from '../server/app.ts';
import { createRepositories } from '../server/db/repositories.ts';
import { BENCH_CATEGORIES, BENCH_LANGUAGES, benchTopics, prng } from './lib/generate.ts';
import { seedBenchDb } from './lib/seed-db.ts';
import { ms, summarize } from './lib/stats.ts';

const n = Number(process.argv[2] ?? 100_000);
const rounds = Number(process.argv[3] ?? 2_000);
const bench = await seedBenchDb('bench/out/item-list.sqlite', n);
const app = createApp({ db: bench.db, log: () => {} });
const server = app.listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const rand = prng(3);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
const statuses = ['draft', 'submitted', 'accepted'];
const formats = ['open_ended', 'short_answer', 'multiple_choice', 'true_false'];
const sorts = ['updated_desc', 'updated_asc', 'id_asc'];

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
    name: 'full-text search (any script)',
    query: () => {
      const lang = pick(BENCH_LANGUAGES);
      return { q: pick(benchTopics(lang)) };
    },
    who: maintainer,
  },
  {
    name: 'annotator (own languages), search + status',
    query: () => ({ q: pick(benchTopics('ko')), status: 'submitted' }),
    who: () => bench.annotatorTokens.get('ko')!.token,
  },
];

console.log(`\nGET /api/items over ${n} items, ${rounds} requests per shape (sequential, loopback HTTP)`);
const all: number[] = [];
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
  all.push(...samples);
  const s = summarize(samples);
  console.log(`  ${shape.name.padEnd(44)} p50 ${ms(s.p50)}  p95 ${ms(s.p95)}  p99 ${ms(s.p99)}`);
}
const total = summarize(all);
console.log(
  `  ${'ALL'.padEnd(44)} p50 ${ms(total.p50)}  p95 ${ms(total.p95)}  p99 ${ms(total.p99)}  (target p95 < 15 ms)`,
);

// Raw floor: the repository query alone (no HTTP, no JSON), same shapes.
const repos = createRepositories(bench.db);
const floor: number[] = [];
for (let i = 0; i < rounds; i++) {
  const lang = pick(BENCH_LANGUAGES);
  const t0 = performance.now();
  repos.items.list({
    language: lang,
    status: 'submitted',
    sort: 'updated_desc',
    limit: 50,
    offset: 0,
    scope: null,
  } as Parameters<typeof repos.items.list>[0]);
  floor.push(performance.now() - t0);
}
const f = summarize(floor);
console.log(`  raw floor (repository list, language + status): p50 ${ms(f.p50)}  p95 ${ms(f.p95)}`);
server.close();
bench.db.close();
