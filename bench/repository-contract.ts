// What the asynchronous repository contract costs on SQLite (issue 12, point 1). On a seeded database (100k
// generated items by default) the same operations are timed three ways, one at a time, in one process:
//   raw       better-sqlite3 prepared statements with the repositories' SQL, rows as SQLite returns them (the floor);
//   sync      the synchronous SQLite repositories that sit inside the contract (statements + row mapping);
//   contract  `createRepositories(db)`: the same repositories behind the async contract and the connection's gate,
//             awaited, transactions through `repos.transaction` (what routes and domain code call).
// Operations: an item read by id; a versioned update as autosave writes it (conditional UPDATE + revision, in one
// write transaction); a page of the item list (50, a dataset, newest first, pages 1–20); the reads of "next
// validation task" (held task, gold candidate, next candidate, the item) in one transaction. Each run times
// `--ops` operations of each kind per variant (list pages: a tenth as many), the variants' order rotating between
// runs; the figure is µs per operation, the median over `--runs` runs (a warm-up run first, not counted), and the
// ratios.
// Usage: npm run bench:contract -- [--items N] [--runs R] [--ops K]
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { Item, ItemListQuery } from '../schema/item.ts';
import type { Db } from '../server/db/connection.ts';
import { createItemRepository, type NewItemRevision } from '../server/db/items.ts';
import { SUMMARY_COLUMNS } from '../server/db/items/columns.ts';
import type { ItemListFilter } from '../server/db/items/list.ts';
import { VISIBLE } from '../server/db/items/visibility.ts';
import { createRepositories } from '../server/db/repositories.ts';
import { createValidationRepository } from '../server/db/validations.ts';
import { createItemService } from '../server/domain/items.ts';
import { prng } from './lib/generate.ts';
import { seedBenchDb } from './lib/seed-db.ts';
import { median } from './lib/stats.ts';

const { values: args } = parseArgs({
  options: {
    items: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '7' },
    ops: { type: 'string', default: '2000' },
  },
});
const n = Number(args.items);
const runs = Number(args.runs);
const ops = Number(args.ops);
if (![n, runs, ops].every((x) => Number.isInteger(x) && x > 0)) {
  console.error('usage: npm run bench:contract -- [--items N] [--runs R] [--ops K] (positive integers)');
  process.exit(2);
}

const bench = await seedBenchDb('bench/out/repository-contract.sqlite', n);
const db: Db = bench.db;
const repos = createRepositories(db);
const sync = { items: createItemRepository(db), validations: createValidationRepository(db) };

// A validator in Korean who wrote none of the items (the seeded Korean items are bench-ko's).
const validator = await repos.users.create({
  username: 'contract-validator',
  displayName: 'Validator',
  role: 'annotator',
  languages: ['ko'],
  passwordHash: 'x',
  uiLocale: 'en',
});
const rand = prng(11);
const readIds = Array.from({ length: ops }, () => 1 + Math.floor(rand() * n));
// A page of the list costs about a hundred reads by id (its count walks the dataset's index): a tenth as many.
const listOps = Math.max(1, Math.round(ops / 10));
const listOffsets = Array.from({ length: listOps }, (_, i) => (i % 20) * 50);

// ---------------------------------------------------------------------------------------------------------
// Raw: the repositories' statements (server/db/items/records.ts, revisions.ts, list.ts; validation/tasks.ts,
// settings.ts), prepared once here.
const raw = {
  byId: db.prepare(
    `SELECT i.*, u.display_name AS author_name FROM items i JOIN users u ON u.id = i.author_id
     WHERE i.id = ? AND ${VISIBLE}`,
  ),
  update: db.prepare(
    `UPDATE items SET version = version + 1, updated_at = @updatedAt, question = @question
     WHERE id = @id AND version = @expectedVersion`,
  ),
  insertRevision: db.prepare(
    `INSERT INTO item_revisions (item_id, version, user_id, action, changes, snapshot, created_at)
     VALUES (@itemId, @version, @userId, @action, @changes, @snapshot, @createdAt)`,
  ),
  hiddenImports: db.prepare('SELECT 1 FROM imports WHERE rows_hidden = 1 LIMIT 1').pluck(),
  page: db.prepare(
    `SELECT ${SUMMARY_COLUMNS} FROM (SELECT i.id FROM items i WHERE i.dataset_id = @dataset
       ORDER BY i.updated_at DESC, i.id DESC LIMIT @limit OFFSET @offset) AS page
     CROSS JOIN items i ON i.id = page.id CROSS JOIN users u ON u.id = i.author_id
     ORDER BY i.updated_at DESC, i.id DESC`,
  ),
  count: db.prepare('SELECT count(*) AS n FROM items i WHERE i.dataset_id = @dataset'),
  held: db.prepare(
    `SELECT v.* FROM validations v JOIN items i ON i.id = v.item_id
     WHERE v.validator_id = ? AND v.status = 'leased' AND v.expires_at > ? AND (? IS NULL OR i.dataset_id = ?)
     ORDER BY v.id LIMIT 1`,
  ),
  gold: db.prepare(
    `SELECT i.id AS item_id, i.dataset_id FROM gold_items g CROSS JOIN items i ON i.id = g.item_id
     WHERE i.language IN (SELECT value FROM json_each(@languages)) AND i.author_id <> @userId
       AND i.status <> 'draft'
       AND (@datasetId IS NULL OR i.dataset_id = @datasetId)
       AND NOT EXISTS (SELECT 1 FROM validations v WHERE v.item_id = i.id AND v.validator_id = @userId)
     ORDER BY random() LIMIT 1`,
  ),
  settings: db.prepare('SELECT gold_rate, lease_minutes FROM validation_settings WHERE dataset_id = ?'),
  candidate: db.prepare(
    `SELECT i.id AS item_id, i.dataset_id, coalesce(s.round, 1) AS round
     FROM items i INDEXED BY items_awaiting_validation
     LEFT JOIN item_validation s ON s.item_id = i.id
     WHERE i.language = @language AND i.status IN ('submitted', 'in_validation') AND ${VISIBLE}
       AND i.author_id <> @userId
       AND (@datasetId IS NULL OR i.dataset_id = @datasetId)
       AND NOT EXISTS (SELECT 1 FROM gold_items g WHERE g.item_id = i.id)
       AND NOT EXISTS (SELECT 1 FROM validations v
                       WHERE v.item_id = i.id AND v.round = coalesce(s.round, 1) AND v.validator_id = @userId)
       AND (SELECT count(*) FROM validations v WHERE v.item_id = i.id AND v.round = coalesce(s.round, 1))
           < (SELECT d.validators_per_item FROM datasets d WHERE d.id = i.dataset_id)
     ORDER BY i.id LIMIT 1`,
  ),
};

/** A draft of its own for each variant's updates, and the version it is at. */
const itemService = createItemService(repos);
const author = (await repos.users.get(bench.annotatorTokens.get('ko')!.userId))!;
const draftFor = async (variant: string) => ({
  item: await itemService.create(author, {
    datasetId: bench.datasetId,
    language: 'ko',
    kind: 'culture',
    format: 'open_ended',
    question: `초안 ${variant}`,
  }),
});
const drafts = {
  raw: await draftFor('raw'),
  sync: await draftFor('sync'),
  contract: await draftFor('contract'),
};

/** Autosave's new state of the draft, built as server/domain/items.ts builds it (no read back). */
function edited(item: Item, i: number): { item: Item; question: string; updatedAt: string } {
  const updatedAt = new Date().toISOString();
  const question = `추석에 무엇을 합니까? ${i}`;
  return { item: { ...item, question, updatedAt, version: item.version + 1 }, question, updatedAt };
}
const revisionOf = (before: Item, after: Item, userId: number): NewItemRevision => ({
  itemId: after.id,
  version: after.version,
  userId,
  action: 'update',
  changes: { question: [before.question, after.question] },
  snapshot: after,
  createdAt: after.updatedAt,
});

const listFilter = (offset: number): ItemListFilter => ({
  dataset: bench.datasetId,
  sort: 'updated_desc' satisfies ItemListQuery['sort'],
  limit: 50,
  offset,
  scope: null,
  answers: null,
});

type Variant = 'raw' | 'sync' | 'contract';
type Operation = Record<Variant, () => Promise<void> | void> & { count: number };

const operations: Record<string, Operation> = {
  'item read by id': {
    count: ops,
    raw: () => {
      for (const id of readIds) raw.byId.get(id);
    },
    sync: () => {
      for (const id of readIds) sync.items.get(id);
    },
    contract: async () => {
      for (const id of readIds) await repos.items.get(id);
    },
  },
  'versioned update (autosave)': {
    count: ops,
    raw: () => {
      const d = drafts.raw;
      const write = db.transaction((i: number) => {
        const next = edited(d.item, i);
        const changed = raw.update.run({
          id: d.item.id,
          expectedVersion: d.item.version,
          updatedAt: next.updatedAt,
          question: next.question,
        }).changes;
        if (changed !== 1) throw new Error('stale draft (raw)');
        const r = revisionOf(d.item, next.item, d.item.authorId);
        raw.insertRevision.run({
          ...r,
          changes: JSON.stringify(r.changes),
          snapshot: JSON.stringify(r.snapshot),
        });
        d.item = next.item;
      });
      for (let i = 0; i < ops; i++) write.immediate(i);
    },
    sync: () => {
      const d = drafts.sync;
      const write = db.transaction((i: number) => {
        const next = edited(d.item, i);
        const changes = { question: next.question, updatedAt: next.updatedAt };
        if (!sync.items.update(d.item.id, d.item.version, changes)) throw new Error('stale draft (sync)');
        sync.items.insertRevision(revisionOf(d.item, next.item, d.item.authorId));
        d.item = next.item;
      });
      for (let i = 0; i < ops; i++) write.immediate(i);
    },
    contract: async () => {
      const d = drafts.contract;
      for (let i = 0; i < ops; i++) {
        await repos.transaction(async () => {
          const next = edited(d.item, i);
          const changes = { question: next.question, updatedAt: next.updatedAt };
          if (!(await repos.items.update(d.item.id, d.item.version, changes)))
            throw new Error('stale draft (contract)');
          await repos.items.insertRevision(revisionOf(d.item, next.item, d.item.authorId));
          d.item = next.item;
        });
      }
    },
  },
  'list page (50)': {
    count: listOps,
    raw: () => {
      const page = db.transaction((offset: number) => {
        raw.hiddenImports.get();
        raw.page.all({ dataset: bench.datasetId, limit: 50, offset });
        raw.count.get({ dataset: bench.datasetId });
      });
      for (const offset of listOffsets) page(offset);
    },
    sync: () => {
      for (const offset of listOffsets) sync.items.list(listFilter(offset));
    },
    contract: async () => {
      for (const offset of listOffsets) await repos.items.list(listFilter(offset));
    },
  },
  'next task reads': {
    count: ops,
    raw: () => {
      const reads = db.transaction(() => {
        const now = new Date().toISOString();
        raw.held.get(validator.id, now, null, null);
        const gold = raw.gold.get({ languages: '["ko"]', userId: validator.id, datasetId: null }) as
          { dataset_id: number } | undefined;
        if (gold) raw.settings.get(gold.dataset_id);
        const c = raw.candidate.get({ language: 'ko', userId: validator.id, datasetId: null }) as
          { item_id: number } | undefined;
        if (c) raw.byId.get(c.item_id);
      });
      for (let i = 0; i < ops; i++) reads.immediate();
    },
    sync: () => {
      const reads = db.transaction(() => {
        const now = new Date().toISOString();
        sync.validations.heldTask(validator.id, now);
        const gold = sync.validations.goldCandidate(validator.id, ['ko']);
        if (gold) sync.validations.settings(gold.datasetId);
        const c = sync.validations.nextCandidate(validator.id, 'ko');
        if (c) sync.items.get(c.itemId);
      });
      for (let i = 0; i < ops; i++) reads.immediate();
    },
    contract: async () => {
      for (let i = 0; i < ops; i++) {
        await repos.transaction(async () => {
          const now = new Date().toISOString();
          await repos.validations.heldTask(validator.id, now);
          const gold = await repos.validations.goldCandidate(validator.id, ['ko']);
          if (gold) await repos.validations.settings(gold.datasetId);
          const c = await repos.validations.nextCandidate(validator.id, 'ko');
          if (c) await repos.items.get(c.itemId);
        });
      }
    },
  },
};

const variants: Variant[] = ['raw', 'sync', 'contract'];
const samples = new Map<string, Record<Variant, number[]>>(
  Object.keys(operations).map((name) => [name, { raw: [], sync: [], contract: [] }]),
);
for (let run = 0; run <= runs; run++) {
  for (const [name, op] of Object.entries(operations)) {
    // The order rotates between runs, so that no variant always runs first (caches) or last (a busy machine).
    for (let k = 0; k < variants.length; k++) {
      const variant = variants[(run + k) % variants.length];
      const t0 = performance.now();
      await op[variant]();
      const usPerOp = ((performance.now() - t0) * 1000) / op.count;
      if (run > 0) samples.get(name)![variant].push(usPerOp);
    }
  }
}

const us = (x: number) => `${x.toFixed(1)} µs`.padStart(12);
console.log(
  `\nRepository contract on SQLite: ${n} items, median of ${runs} runs of ${ops} operations each (list pages ${listOps}) ` +
    `(load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')})`,
);
console.log(
  `${'operation'.padEnd(30)}${'raw'.padStart(12)}${'sync'.padStart(12)}${'contract'.padStart(12)}  contract/raw  contract/sync`,
);
for (const [name, s] of samples) {
  const [r, y, c] = [median(s.raw), median(s.sync), median(s.contract)];
  console.log(
    `${name.padEnd(30)}${us(r)}${us(y)}${us(c)}  ${`${(c / r).toFixed(2)}x`.padStart(12)}  ${`${(c / y).toFixed(2)}x`.padStart(13)}`,
  );
}
db.close();
