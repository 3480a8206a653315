// Autosave throughput: PATCH /api/items/:id of drafts at 50 concurrent connections for 10 s, with
// autocannon in this process and the server (npm run serve) in a child process on loopback.
// Each connection edits its own draft and carries the version the previous response returned, as
// the editor does. Target: >= 1,500 req/s, zero errors and zero non-2xx. The raw floor printed
// alongside is the same update + revision written directly through the repository, one at a time.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Item } from '../schema/item.ts';
import { createRepositories } from '../server/db/repositories.ts';
import { createItemService } from '../server/domain/items.ts';
import { seedBenchDb } from './lib/seed-db.ts';

const n = Number(process.argv[2] ?? 100_000);
const connections = Number(process.argv[3] ?? 50);
const duration = Number(process.argv[4] ?? 10);
const path = 'bench/out/autosave.sqlite';
const bench = await seedBenchDb(path, n);
const repos = createRepositories(bench.db);
const items = createItemService(repos);
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

const child = spawn(
  process.execPath,
  [...(process.env.BENCH_NODE_ARGS?.split(' ') ?? []), '--import', 'tsx', 'server/main.ts'],
  {
    env: { ...process.env, CS_DB_PATH: path, PORT: '0', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const url = await new Promise<string>((resolve, reject) => {
  const rl = createInterface({ input: child.stdout });
  rl.on('line', (line) => {
    const m = /(http:\/\/\S+?)\/?$/.exec(line);
    if (m) resolve(m[1]);
  });
  child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
});

interface Draft {
  id: number;
  version: number;
}
const pool: Draft[] = drafts.map((d) => ({ id: d.id, version: d.version }));
let typed = 0;
const result = await autocannon({
  url,
  connections,
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
child.kill('SIGTERM');

console.log(
  `\nAutosave: PATCH /api/items/:id, ${connections} connections, ${duration} s, ${n} items in the database`,
);
console.log(
  `  requests/s  mean ${result.requests.average.toFixed(0)}  p50 ${result.requests.p50}  min ${result.requests.min}`,
);
console.log(
  `  latency     p50 ${result.latency.p50} ms  p97.5 ${result.latency.p97_5} ms  p99 ${result.latency.p99} ms`,
);
console.log(
  `  total ${result.requests.total}  2xx ${result['2xx']}  non-2xx ${result.non2xx}  errors ${result.errors}  timeouts ${result.timeouts}`,
);
console.log(
  `  raw floor (service update + revision, no HTTP, sequential): ${floorRate.toFixed(0)} updates/s`,
);
console.log(`  target: >= 1,500 req/s with zero errors and zero non-2xx`);
