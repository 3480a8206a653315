// "Next task" under concurrency: 50 validators (API tokens, spread over the benchmark languages) loop
// next → own answer → submit against N generated items (default 100k, ~60% submitted), all at once over
// loopback HTTP. Reports the latency of POST /api/tasks/next and checks that no slot was ever given
// twice: no item round holds more than N validations, no validator validated an item twice.
// Usage: npx tsx bench/next-task.ts [items] [tasksPerValidator] [validators]
import type { AddressInfo } from 'node:net';
import { createApp } from '../server/app.ts';
import { createRepositories } from '../server/db/repositories.ts';
import { createAuthService } from '../server/domain/auth.ts';
import type { ValidationTask } from '../schema/validation.ts';
import { BENCH_LANGUAGES } from './lib/generate.ts';
import { seedBenchDb } from './lib/seed-db.ts';
import { ms, summarize } from './lib/stats.ts';

const n = Number(process.argv[2] ?? 100_000);
const perValidator = Number(process.argv[3] ?? 40);
const validatorCount = Number(process.argv[4] ?? 50);
const bench = await seedBenchDb('bench/out/next-task.sqlite', n);
const repos = createRepositories(bench.db);
const auth = createAuthService(repos.users);
const tokens: string[] = [];
for (let k = 0; k < validatorCount; k++) {
  const user = await repos.users.create({
    username: `validator-${k}`,
    displayName: `Validator ${k}`,
    role: 'annotator',
    languages: [BENCH_LANGUAGES[k % BENCH_LANGUAGES.length]],
    passwordHash: 'x',
    uiLocale: 'en',
  });
  tokens.push((await auth.createToken(user.id, 'bench')).token);
}

const app = createApp({ db: bench.db, log: (m, e) => console.error(m, e) });
const server = app.listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const call = async (token: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
};

const nextLatency: number[] = [];
const taskIds = new Set<number>();
let duplicateTaskIds = 0;
let empty = 0;
const started = performance.now();
await Promise.all(
  tokens.map(async (token) => {
    for (let i = 0; i < perValidator; i++) {
      const t0 = performance.now();
      const { task } = (await call(token, 'POST', '/api/tasks/next')) as { task: ValidationTask | null };
      nextLatency.push(performance.now() - t0);
      if (!task) {
        empty++;
        break;
      }
      if (taskIds.has(task.id)) duplicateTaskIds++;
      taskIds.add(task.id);
      if (task.ownAnswerRequired) {
        const ownAnswer =
          task.item.format === 'multiple_choice'
            ? { choice: 0 }
            : task.item.format === 'true_false'
              ? { value: true }
              : { variants: ['답'] };
        await call(token, 'POST', `/api/tasks/${task.id}/answer`, { ownAnswer });
      }
      await call(token, 'POST', `/api/tasks/${task.id}/submit`, {
        grounded: 'yes',
        correct: i % 7 === 0 ? 'no' : 'yes',
        category: 'keep',
        quality: 4,
      });
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
server.close();

// Bench tooling reads the outcome straight from the database.
const overfilled = bench.db
  .prepare(
    `SELECT count(*) FROM (SELECT item_id, round FROM validations WHERE gold = 0 GROUP BY item_id, round
       HAVING count(*) > 3)`,
  )
  .pluck()
  .get() as number;
const twice = bench.db
  .prepare(
    `SELECT count(*) FROM (SELECT item_id, validator_id FROM validations GROUP BY item_id, validator_id
       HAVING count(*) > 1)`,
  )
  .pluck()
  .get() as number;
const byStatus = bench.db
  .prepare(
    `SELECT status, count(*) AS n FROM items WHERE status IN ('in_validation', 'accepted', 'in_review') GROUP BY status`,
  )
  .all() as { status: string; n: number }[];
const s = summarize(nextLatency);
console.log(
  `\nPOST /api/tasks/next, ${validatorCount} concurrent validators, ${perValidator} tasks each, over ${n} items`,
);
console.log(
  `  ${nextLatency.length} next calls, ${taskIds.size} tasks done in ${seconds.toFixed(1)} s (${empty} found none)`,
);
console.log(`  next: p50 ${ms(s.p50)}  p95 ${ms(s.p95)}  p99 ${ms(s.p99)}  max ${ms(s.max)}`);
console.log(
  `  item rounds over N: ${overfilled}; validator twice on an item: ${twice}; task ids handed out twice: ${duplicateTaskIds}`,
);
console.log(`  items now: ${byStatus.map((r) => `${r.status} ${r.n}`).join(', ')}`);
bench.db.close();
if (overfilled + twice + duplicateTaskIds > 0) process.exit(1);
