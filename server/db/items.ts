import {
  editableStatuses,
  itemFieldNames,
  type Item,
  type ItemFieldName,
  type ItemFields,
  type ItemKind,
  type ItemListQuery,
  type ItemRevision,
  type ItemRevisionWithSnapshot,
  type ItemSort,
  type ItemSplit,
  type ItemStatus,
  type ItemSummary,
  type ItemFormat,
} from '../../schema/item.ts';
import type { Db } from './connection.ts';
import { foldForSearch } from '../text-normalize.ts';
import { shortTermKey } from './text-index.ts';

type SqlValue = string | number | null;

/** An item row as the application writes it; also what bulk loaders (seed, import) insert. */
export interface NewItem extends ItemFields {
  uid: string;
  datasetId: number;
  externalId: string | null;
  status: ItemStatus;
  authorId: number;
  version: number;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
}

/** What one conditional update may change besides the version, which always goes up by one. */
export type ItemUpdate = Partial<ItemFields> & {
  status?: ItemStatus;
  submittedAt?: string | null;
  updatedAt: string;
};

export interface NewItemRevision {
  itemId: number;
  version: number;
  userId: number;
  action: ItemRevision['action'];
  changes: ItemRevision['changes'];
  snapshot: Item;
  createdAt: string;
}

/**
 * Who is looking. `null` sees everything (maintainers); otherwise only items in `languages`, and of
 * the author-private statuses (draft, needs_revision) only the viewer's own.
 */
export type ItemScope = { userId: number; languages: readonly string[] } | null;

/**
 * Whose answers are withheld from the viewer (`null`: nobody's, for maintainers). The rule itself is
 * ANSWERS_WITHHELD below, the one implementation behind both the item view and the search.
 */
export type AnswerScope = { userId: number } | null;

export type ItemListFilter = Omit<ItemListQuery, 'sort' | 'page' | 'pageSize'> & {
  sort: ItemSort;
  limit: number;
  offset: number;
  scope: ItemScope;
  /** Search terms match an item's answers only where they are not withheld from the viewer. */
  answers: AnswerScope;
};

export interface SimilarCandidatesFilter {
  datasetId: number;
  language: string;
  /** Trigrams of the question being written; candidates share at least one. */
  trigrams: string[];
  excludeId?: number;
  scope: ItemScope;
  limit: number;
}

/** Statuses only the author sees (besides maintainers). */
const PRIVATE_STATUSES = `(${editableStatuses.map((s) => `'${s}'`).join(', ')})`;

/**
 * Whether the answers of item `i` are withheld from user @answerUser. Validators answer before they
 * see the reference (docs/product.md, Items and their lifecycle): while an item is out for validation, and for gold items always, its
 * answers are hidden from everyone but its author, maintainers (no AnswerScope) and those who have
 * already validated it (a submitted, non-gold validation). The only copy of this rule.
 * The unary `+` keeps the validator's own index (validator_id, status) out of the lookup: an item has a
 * handful of validations, a busy validator tens of thousands.
 */
const ANSWERS_WITHHELD = `(i.author_id <> @answerUser
  AND (i.status IN ('submitted', 'in_validation') OR EXISTS (SELECT 1 FROM gold_items g WHERE g.item_id = i.id))
  AND NOT EXISTS (SELECT 1 FROM validations v WHERE v.item_id = i.id AND +v.validator_id = @answerUser
                  AND +v.status = 'submitted' AND v.gold = 0))`;

/** Columns of the search indexes by side: answer-side text is withheld from validators. */
const FTS_QUESTION_SIDE = '{question question_more}';
const FTS_ANSWER_SIDE = '{answers}';
const SHORT_QUESTION_SIDE = '{question_keys}';
const SHORT_ANSWER_SIDE = '{answer_keys}';

/** The raw text of the searchable fields of some items, for showing where a search matched. */
export interface SearchableText {
  id: number;
  question: string;
  questionEn: string | null;
  options: string[];
  notes: string | null;
  referenceAnswer: string | null;
  answerEn: string | null;
  acceptedAnswers: string[];
  rationale: string | null;
  /** Whether the answers of this item are withheld from the viewer (its answer side must not show). */
  answersWithheld: boolean;
}

/** Fields stored as JSON text (metadata and origin may be NULL). */
export const JSON_FIELDS = new Set<ItemFieldName>([
  'acceptedAnswers',
  'options',
  'sources',
  'secondaryTags',
  'metadata',
  'origin',
]);
const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
/** field name → column name; field names come from the schema, never from the request. */
const COLUMN = Object.fromEntries(itemFieldNames.map((f) => [f, snake(f)])) as Record<ItemFieldName, string>;

const encodeField = (field: ItemFieldName, value: unknown): SqlValue => {
  if (JSON_FIELDS.has(field)) return value === null ? null : JSON.stringify(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value as SqlValue;
};

interface ItemRow {
  id: number;
  uid: string;
  dataset_id: number;
  external_id: string | null;
  language: string;
  country: string | null;
  region: string | null;
  kind: ItemKind;
  format: ItemFormat;
  status: ItemStatus;
  question: string;
  question_en: string | null;
  reference_answer: string | null;
  answer_en: string | null;
  accepted_answers: string;
  options: string;
  correct_index: number | null;
  true_false_answer: number | null;
  rationale: string | null;
  sources: string;
  primary_category: string | null;
  secondary_tags: string;
  difficulty: Item['difficulty'];
  hazard: string | null;
  attack_style: string | null;
  expected_behavior: Item['expectedBehavior'];
  notes: string | null;
  context: string | null;
  metadata: string | null;
  origin: string | null;
  license: string | null;
  author_id: number;
  author_name: string;
  version: number;
  created_at: string;
  updated_at: string;
  submitted_at: string | null;
  split: ItemSplit;
}

const toItem = (r: ItemRow): Item => ({
  id: r.id,
  uid: r.uid,
  datasetId: r.dataset_id,
  externalId: r.external_id,
  language: r.language,
  country: r.country,
  region: r.region,
  kind: r.kind,
  format: r.format,
  status: r.status,
  question: r.question,
  questionEn: r.question_en,
  referenceAnswer: r.reference_answer,
  answerEn: r.answer_en,
  acceptedAnswers: JSON.parse(r.accepted_answers) as string[],
  options: JSON.parse(r.options) as string[],
  correctIndex: r.correct_index,
  trueFalseAnswer: r.true_false_answer === null ? null : r.true_false_answer === 1,
  rationale: r.rationale,
  sources: JSON.parse(r.sources) as Item['sources'],
  primaryCategory: r.primary_category,
  secondaryTags: JSON.parse(r.secondary_tags) as string[],
  difficulty: r.difficulty,
  hazard: r.hazard,
  attackStyle: r.attack_style,
  expectedBehavior: r.expected_behavior,
  notes: r.notes,
  context: r.context,
  metadata: r.metadata === null ? null : (JSON.parse(r.metadata) as Item['metadata']),
  origin: r.origin === null ? null : (JSON.parse(r.origin) as Item['origin']),
  license: r.license,
  authorId: r.author_id,
  authorName: r.author_name,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  submittedAt: r.submitted_at,
  split: r.split,
});

type SummaryRow = Pick<
  ItemRow,
  | 'id'
  | 'uid'
  | 'dataset_id'
  | 'language'
  | 'country'
  | 'kind'
  | 'format'
  | 'status'
  | 'question'
  | 'question_en'
  | 'primary_category'
  | 'hazard'
  | 'author_id'
  | 'author_name'
  | 'version'
  | 'updated_at'
>;

const SUMMARY_COLUMNS = `i.id, i.uid, i.dataset_id, i.language, i.country, i.kind, i.format, i.status, i.question,
  i.question_en, i.primary_category, i.hazard, i.author_id, u.display_name AS author_name, i.version, i.updated_at`;

const toSummary = (r: SummaryRow): ItemSummary => ({
  id: r.id,
  uid: r.uid,
  datasetId: r.dataset_id,
  language: r.language,
  country: r.country,
  kind: r.kind,
  format: r.format,
  status: r.status,
  question: r.question,
  questionEn: r.question_en,
  primaryCategory: r.primary_category,
  hazard: r.hazard,
  authorId: r.author_id,
  authorName: r.author_name,
  version: r.version,
  updatedAt: r.updated_at,
});

interface RevisionRow {
  id: number;
  item_id: number;
  version: number;
  user_id: number;
  user_name: string;
  action: ItemRevision['action'];
  changes: string;
  snapshot?: string;
  created_at: string;
}

const toRevision = (r: RevisionRow): ItemRevision => ({
  id: r.id,
  itemId: r.item_id,
  version: r.version,
  userId: r.user_id,
  userName: r.user_name,
  action: r.action,
  changes: JSON.parse(r.changes) as ItemRevision['changes'],
  createdAt: r.created_at,
});

const ORDER_BY: Record<ItemSort, string> = {
  updated_desc: 'i.updated_at DESC, i.id DESC',
  updated_asc: 'i.updated_at ASC, i.id ASC',
  created_desc: 'i.created_at DESC, i.id DESC',
  created_asc: 'i.created_at ASC, i.id ASC',
  id_desc: 'i.id DESC',
  id_asc: 'i.id ASC',
};

/** An FTS5 string literal: whatever the user typed is matched as text, never parsed as query syntax. */
const ftsPhrase = (s: string) => `"${s.replace(/"/g, '""')}"`;
/** The trigram tokenizer cannot match fewer than three characters. */
const TRIGRAM = 3;

interface Where {
  sql: string;
  params: Record<string, SqlValue>;
  /** How many conditions the WHERE holds. */
  conditions: number;
}

function scopeConditions(scope: ItemScope, conds: string[], params: Record<string, SqlValue>) {
  if (scope === null) return;
  if (scope.languages.length === 0) {
    conds.push('0');
    return;
  }
  const names = scope.languages.map((l, n) => {
    params[`scopeLanguage${n}`] = l;
    return `@scopeLanguage${n}`;
  });
  conds.push(`i.language IN (${names.join(', ')})`);
  conds.push(`(i.status NOT IN ${PRIVATE_STATUSES} OR i.author_id = @scopeUser)`);
  params.scopeUser = scope.userId;
}

/**
 * The query's terms, folded as the index text is (foldForSearch), split by what serves each: three or
 * more characters the trigram index, one or two the short-term index. Whitespace and control
 * characters separate terms; a term that folds to nothing (a lone haraka) is dropped.
 */
export function searchTerms(q: string | undefined) {
  const terms = [
    ...new Set(
      (q ?? '')
        .split(/[\s\p{Cc}]+/u)
        .map(foldForSearch)
        .flatMap((t) => t.split(/\s+/u))
        .filter(Boolean),
    ),
  ];
  const length = (t: string) => [...t].length;
  return {
    all: terms,
    long: terms.filter((t) => length(t) >= TRIGRAM),
    short: terms.filter((t) => length(t) < TRIGRAM),
  };
}

/**
 * The items a search matched: `ids` every term matches somewhere; `answerOnly`, among them, those
 * matched only through their answers, which count only where the answers are not withheld from the
 * viewer (checked in the list's SQL, on the rows its other conditions leave, from an index mostly).
 */
interface SearchHits {
  ids: number[];
  answerOnly: number[];
}

/** `search`: the items the full-text terms matched, resolved once for both page and count. */
/**
 * How the matched ids of a search join the list. Few: each is looked up by id. Many (`dense`, more
 * than about 1 % of the items): a lookup per id reads a wide item row each (≈ 2–3 µs, 50 ms for 20k
 * matches), so the `+` keeps the id off the primary key and SQLite instead walks the index that serves
 * the sort or the filters, testing ids against the set (a Bloom filter first): the page stops after
 * LIMIT hits, and the count reads only an index.
 */
const DENSE_SHARE = 0.01;
const DENSE_MIN = 300;

/**
 * Holds for an item (alias `i`) that readers may see: not created by an import whose rows are still hidden
 * (migration 016: written in slices, made visible by one final transaction, or deleted if it failed). The
 * list adds it only while such an import exists, so that its counts stay index-only otherwise.
 */
export const VISIBLE =
  '(i.import_id IS NULL OR i.import_id NOT IN (SELECT id FROM imports WHERE rows_hidden = 1))';

function listWhere(f: ItemListFilter, search?: SearchHits, dense = false, hidden = false): Where {
  const conds: string[] = hidden ? [VISIBLE] : [];
  const params: Record<string, SqlValue> = {};
  const equal = (column: string, name: string, value: SqlValue | undefined) => {
    if (value === undefined) return;
    conds.push(`i.${column} = @${name}`);
    params[name] = value;
  };
  equal('dataset_id', 'dataset', f.dataset);
  equal('language', 'language', f.language);
  equal('status', 'status', f.status);
  equal('kind', 'kind', f.kind);
  equal('format', 'format', f.format);
  equal('author_id', 'author', f.author);
  if (f.category !== undefined) {
    // The node or anything under it; a range rather than LIKE so the index on primary_category serves it
    // ('0' is the character after '/').
    conds.push(
      '(i.primary_category = @category OR (i.primary_category > @categoryFrom AND i.primary_category < @categoryTo))',
    );
    params.category = f.category;
    params.categoryFrom = `${f.category}/`;
    params.categoryTo = `${f.category}0`;
  }
  scopeConditions(f.scope, conds, params);
  if (search !== undefined) {
    conds.push(`${dense ? '+' : ''}i.id IN (SELECT value FROM json_each(@searchIds))`);
    params.searchIds = JSON.stringify(search.ids);
    if (search.answerOnly.length > 0 && f.answers !== null) {
      conds.push(`(+i.id NOT IN (SELECT value FROM json_each(@answerOnly)) OR NOT ${ANSWERS_WITHHELD})`);
      params.answerOnly = JSON.stringify(search.answerOnly);
      params.answerUser = f.answers.userId;
    }
  }
  return { sql: conds.length ? `WHERE ${conds.join(' AND ')}` : '', params, conditions: conds.length };
}

/** Items and their revisions. */
export function createItemRepository(db: Db) {
  // Dynamic SQL (filters, changed columns) is prepared once per distinct shape.
  const statements = new Map<string, ReturnType<Db['prepare']>>();
  // Search (migration 012). The indexes hold every item except those queued in items_search_pending,
  // whose folded text (items_search_text, always current) is scanned instead: exact results, and a
  // request never indexes anything. The catch-up (catchUpSearchIndex) empties the queue in batches.
  // Ids come back plucked: building a row object per match cost more than the index lookup itself.
  const indexIds = (index: 'items_fts' | 'items_fts_short') =>
    db.prepare<[string], number>(`SELECT rowid FROM ${index} WHERE ${index} MATCH ?`).pluck();
  const indexes = { long: indexIds('items_fts'), short: indexIds('items_fts_short') };
  const queued = db.prepare<[], number>('SELECT item_id FROM items_search_pending').pluck();
  const scanQueued = (where: string) =>
    db
      .prepare<{ term: string }, number>(
        `SELECT p.item_id FROM items_search_pending p CROSS JOIN items_search_text s ON s.item_id = p.item_id
         WHERE ${where}`,
      )
      .pluck();
  const inQuestion = 'instr(s.question, @term) > 0 OR instr(s.question_more, @term) > 0';
  const inAnswers = 'instr(s.answers, @term) > 0';
  const scans = {
    question: scanQueued(inQuestion),
    answer: scanQueued(inAnswers),
    any: scanQueued(`${inQuestion} OR ${inAnswers}`),
  };
  /** The items a folded term matches on one side: the index for those not queued, a scan for the rest. */
  const termIds = (term: string, side: 'question' | 'answer' | 'any', pending: Set<number>): number[] => {
    const long = [...term].length >= TRIGRAM;
    const columns = long
      ? { question: FTS_QUESTION_SIDE, answer: FTS_ANSWER_SIDE, any: '' }[side]
      : { question: SHORT_QUESTION_SIDE, answer: SHORT_ANSWER_SIDE, any: '' }[side];
    const phrase = ftsPhrase(long ? term : shortTermKey(term));
    const ids = (long ? indexes.long : indexes.short).all(columns ? `${columns} : ${phrase}` : phrase);
    if (pending.size === 0) return ids;
    return [...ids.filter((id) => !pending.has(id)), ...scans[side].all({ term })];
  };

  const pendingBatch = db.prepare<[number], { id: number }>(
    'SELECT item_id AS id FROM items_search_pending ORDER BY item_id LIMIT ?',
  );
  const indexBatch = [
    'DELETE FROM items_fts WHERE rowid IN (SELECT value FROM json_each(@ids))',
    'DELETE FROM items_fts_short WHERE rowid IN (SELECT value FROM json_each(@ids))',
    `INSERT INTO items_fts (rowid, question, question_more, answers)
     SELECT s.item_id, s.question, s.question_more, s.answers
     FROM json_each(@ids) AS b CROSS JOIN items_search_text s ON s.item_id = b.value`,
    `INSERT INTO items_fts_short (rowid, question_keys, answer_keys)
     SELECT s.item_id, cs_search_keys(s.question, s.question_more), cs_search_keys(s.answers)
     FROM json_each(@ids) AS b CROSS JOIN items_search_text s ON s.item_id = b.value`,
    'DELETE FROM items_search_pending WHERE item_id IN (SELECT value FROM json_each(@ids))',
  ].map((sql) => db.prepare(sql));
  const indexItems = (ids: number[]) => {
    const params = { ids: JSON.stringify(ids) };
    for (const statement of indexBatch) statement.run(params);
  };
  /** Indexes up to `limit` queued items, oldest first, in one transaction; returns how many. */
  const catchUpSearchIndex = db.transaction((limit: number): number => {
    const ids = pendingBatch.all(limit).map((r) => r.id);
    if (ids.length > 0) indexItems(ids);
    return ids.length;
  });
  // FTS5 incremental merging (negative: any level holding two segments or more is merged). A bulk load
  // leaves the indexes in many segments, and a contentless delete writes a tombstone into each segment
  // that may hold the rowid: 200 deletes took 150 ms on a freshly bulk-loaded 100k index, 2 ms merged.
  const mergeSteps = ['items_fts', 'items_fts_short'].map((t) =>
    db.prepare<[number]>(`INSERT INTO ${t} (${t}, rank) VALUES ('merge', ?)`),
  );
  // The structure record (id 10 of each %_data table) lists the segments: unchanged, nothing was merged.
  const structure = db
    .prepare<[], string>(
      `SELECT hex((SELECT block FROM items_fts_data WHERE id = 10)) || hex((SELECT block FROM items_fts_short_data WHERE id = 10))`,
    )
    .pluck();
  const mergeSearchIndex = db.transaction((pages: number): boolean => {
    const before = structure.get();
    for (const step of mergeSteps) step.run(-pages);
    const after = structure.get();
    return after !== before;
  });
  const lastItemId = db.prepare<[], { n: number }>('SELECT coalesce(max(id), 0) AS n FROM items');
  const pendingCount = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM items_search_pending');

  const withheldAmong = db.prepare<{ ids: string; answerUser: number }, { id: number }>(
    `SELECT i.id FROM json_each(@ids) AS c CROSS JOIN items i ON i.id = c.value WHERE ${ANSWERS_WITHHELD}`,
  );
  const withheldOne = db.prepare<{ id: number; answerUser: number }, { withheld: number }>(
    `SELECT ${ANSWERS_WITHHELD} AS withheld FROM items i WHERE i.id = @id`,
  );
  const searchableRows = db.prepare<
    [string],
    Pick<
      ItemRow,
      | 'id'
      | 'question'
      | 'question_en'
      | 'options'
      | 'notes'
      | 'reference_answer'
      | 'answer_en'
      | 'accepted_answers'
      | 'rationale'
    >
  >(
    `SELECT i.id, i.question, i.question_en, i.options, i.notes, i.reference_answer, i.answer_en,
       i.accepted_answers, i.rationale
     FROM json_each(?) AS c CROSS JOIN items i ON i.id = c.value ORDER BY c.key`,
  );

  /**
   * The items every full-text term matches. Under an AnswerScope a term may match an item's answers
   * only where they are not withheld: an item is found if every term matches its question side, or
   * if every term matches somewhere and its answers are not withheld from the viewer.
   */
  const searchIds = (terms: string[], answers: AnswerScope): SearchHits => {
    const pending = new Set(queued.all());
    const intersect = (sets: number[][]) =>
      sets.reduce((acc, ids) => {
        const keep = new Set(ids);
        return acc.filter((id) => keep.has(id));
      });
    if (answers === null)
      return { ids: intersect(terms.map((t) => termIds(t, 'any', pending))), answerOnly: [] };
    const sides = terms.map((t) => ({
      question: termIds(t, 'question', pending),
      answer: termIds(t, 'answer', pending),
    }));
    const questionMatched = new Set(intersect(sides.map((s) => s.question)));
    const anywhere = intersect(sides.map((s) => [...new Set([...s.question, ...s.answer])]));
    return { ids: anywhere, answerOnly: anywhere.filter((id) => !questionMatched.has(id)) };
  };
  const prepared = (sql: string) => {
    let s = statements.get(sql);
    if (!s) {
      if (statements.size > 500) statements.clear();
      s = db.prepare(sql);
      statements.set(sql, s);
    }
    return s;
  };

  const insertItem = db.prepare(
    `INSERT INTO items (uid, dataset_id, external_id, status, author_id, version, created_at, updated_at,
       submitted_at, ${itemFieldNames.map((f) => COLUMN[f]).join(', ')})
     VALUES (@uid, @datasetId, @externalId, @status, @authorId, @version, @createdAt, @updatedAt,
       @submittedAt, ${itemFieldNames.map((f) => `@${f}`).join(', ')})`,
  );
  const setSplit = db.prepare<[ItemSplit, number]>('UPDATE items SET split = ? WHERE id = ?');
  const byId = db.prepare<[number], ItemRow>(
    `SELECT i.*, u.display_name AS author_name FROM items i JOIN users u ON u.id = i.author_id
     WHERE i.id = ? AND ${VISIBLE}`,
  );
  const insertRevision = db.prepare(
    `INSERT INTO item_revisions (item_id, version, user_id, action, changes, snapshot, created_at)
     VALUES (@itemId, @version, @userId, @action, @changes, @snapshot, @createdAt)`,
  );
  const revisionsOf = db.prepare<[number], RevisionRow>(
    `SELECT r.id, r.item_id, r.version, r.user_id, u.display_name AS user_name, r.action, r.changes, r.created_at
     FROM item_revisions r JOIN users u ON u.id = r.user_id
     WHERE r.item_id = ? ORDER BY r.version DESC`,
  );
  const revision = db.prepare<[number, number], RevisionRow>(
    `SELECT r.id, r.item_id, r.version, r.user_id, u.display_name AS user_name, r.action, r.changes,
       r.snapshot, r.created_at
     FROM item_revisions r JOIN users u ON u.id = r.user_id
     WHERE r.item_id = ? AND r.version = ?`,
  );

  // One read transaction: whether an import's rows are hidden, the search, the page and the count all see
  // the same moment (an import's final transaction may land between two statements otherwise).
  const hiddenImports = db.prepare<[], number>('SELECT 1 FROM imports WHERE rows_hidden = 1 LIMIT 1').pluck();
  const list = db.transaction((f: ItemListFilter): { items: ItemSummary[]; total: number } => {
    const hidden = hiddenImports.get() !== undefined;
    const terms = searchTerms(f.q).all;
    let matched: SearchHits | undefined;
    if (terms.length > 0) {
      // The index lookups run once here rather than in both the page and the count query.
      matched = searchIds(terms, f.answers);
      if (matched.ids.length === 0) return { items: [], total: 0 };
    } else if (f.q !== undefined && f.q.trim() !== '') {
      return { items: [], total: 0 }; // only characters that fold to nothing
    }
    const dense =
      matched !== undefined && matched.ids.length > Math.max(DENSE_MIN, DENSE_SHARE * lastItemId.get()!.n);
    const where = listWhere(f, matched, dense, hidden);
    const order = ORDER_BY[f.sort];
    // Deferred join: the page of ids comes from the indexes alone; only those rows are then read.
    const rows = prepared(
      `SELECT ${SUMMARY_COLUMNS} FROM (SELECT i.id FROM items i ${where.sql} ORDER BY ${order} LIMIT @limit OFFSET @offset) AS page
       CROSS JOIN items i ON i.id = page.id CROSS JOIN users u ON u.id = i.author_id ORDER BY ${order}`,
    ).all({ ...where.params, limit: f.limit, offset: f.offset }) as SummaryRow[];
    // A search with no other condition counts what it matched; anything else asks SQLite.
    const onlySearch = matched !== undefined && where.conditions === 1;
    const total = onlySearch
      ? matched!.ids.length
      : (prepared(`SELECT count(*) AS n FROM items i ${where.sql}`).get(where.params) as { n: number }).n;
    return { items: rows.map(toSummary), total };
  });

  return {
    /**
     * Inserts one item row and returns its id; the item is searchable at once. Use inside
     * `repos.transaction` for bulk loads; with `deferIndex` the item only joins the search-index queue
     * (a search still finds it), and the loader calls catchUpSearchIndex afterwards, set-based.
     */
    insert: (item: NewItem, options: { deferIndex?: boolean } = {}): number => {
      const params: Record<string, SqlValue> = {
        uid: item.uid,
        datasetId: item.datasetId,
        externalId: item.externalId,
        status: item.status,
        authorId: item.authorId,
        version: item.version,
        createdAt: item.createdAt,
        updatedAt: item.updatedAt,
        submittedAt: item.submittedAt,
      };
      for (const f of itemFieldNames) params[f] = encodeField(f, item[f]);
      const id = Number(insertItem.run(params).lastInsertRowid);
      if (!options.deferIndex) indexItems([id]);
      return id;
    },

    get: (id: number): Item | undefined => {
      const r = byId.get(id);
      return r && toItem(r);
    },

    /** Marks the item as a few-shot exemplar (`dev`) or not (`test`); no revision, the version stays. */
    setSplit: (id: number, split: ItemSplit): boolean => setSplit.run(split, id).changes === 1,

    /**
     * Applies `changes` only if the item is still at `expectedVersion`, bumping the version by one.
     * Returns false when the item moved on (or does not exist): the caller reports a stale write.
     */
    update: (id: number, expectedVersion: number, changes: ItemUpdate): boolean => {
      const sets = ['version = version + 1', 'updated_at = @updatedAt'];
      const params: Record<string, SqlValue> = { id, expectedVersion, updatedAt: changes.updatedAt };
      for (const f of itemFieldNames) {
        if (changes[f] === undefined) continue;
        sets.push(`${COLUMN[f]} = @${f}`);
        params[f] = encodeField(f, changes[f]);
      }
      if (changes.status !== undefined) {
        sets.push('status = @status');
        params.status = changes.status;
      }
      if (changes.submittedAt !== undefined) {
        sets.push('submitted_at = @submittedAt');
        params.submittedAt = changes.submittedAt;
      }
      const sql = `UPDATE items SET ${sets.join(', ')} WHERE id = @id AND version = @expectedVersion`;
      return prepared(sql).run(params).changes === 1;
    },

    insertRevision: (r: NewItemRevision): void => {
      insertRevision.run({
        ...r,
        changes: JSON.stringify(r.changes),
        snapshot: JSON.stringify(r.snapshot),
      });
    },

    /** Revisions of an item, newest first, without snapshots. */
    listRevisions: (itemId: number): ItemRevision[] => revisionsOf.all(itemId).map(toRevision),

    getRevision: (itemId: number, version: number): ItemRevisionWithSnapshot | undefined => {
      const r = revision.get(itemId, version);
      return r && { ...toRevision(r), snapshot: JSON.parse(r.snapshot!) as Item };
    },

    /** Whether the answers of item `id` are withheld from the viewer (see ANSWERS_WITHHELD). */
    answersWithheld: (id: number, answers: AnswerScope): boolean =>
      answers !== null && withheldOne.get({ id, answerUser: answers.userId })?.withheld === 1,

    /**
     * Indexes up to `limit` items queued for the search indexes (new, edited or bulk-loaded items), in
     * one short write transaction; returns how many. Bulk loaders insert rows (the triggers queue them)
     * and then call this in slices until it returns 0; the catch-up thread does the same in the server.
     */
    catchUpSearchIndex: (limit: number): number => catchUpSearchIndex.immediate(limit),

    /**
     * Merges index segments, about `pages` pages of work per index, in one write transaction; false once
     * there is nothing left to merge. The catch-up thread calls it whenever the queue is empty.
     */
    mergeSearchIndex: (pages: number): boolean => mergeSearchIndex.immediate(pages),

    /** How many items wait for the search indexes. */
    pendingSearchIndex: (): number => pendingCount.get()!.n,

    /** The searchable text of items `ids`, in that order, and whether their answers are withheld. */
    searchableText: (ids: number[], answers: AnswerScope): SearchableText[] => {
      if (ids.length === 0) return [];
      const withheld =
        answers === null
          ? new Set<number>()
          : new Set(
              withheldAmong.all({ ids: JSON.stringify(ids), answerUser: answers.userId }).map((r) => r.id),
            );
      return searchableRows.all(JSON.stringify(ids)).map((r) => ({
        id: r.id,
        question: r.question,
        questionEn: r.question_en,
        options: JSON.parse(r.options) as string[],
        notes: r.notes,
        referenceAnswer: r.reference_answer,
        answerEn: r.answer_en,
        acceptedAnswers: JSON.parse(r.accepted_answers) as string[],
        rationale: r.rationale,
        answersWithheld: withheld.has(r.id),
      }));
    },

    /** One page of summaries and the total under the same filter. */
    list: (f: ItemListFilter): { items: ItemSummary[]; total: number } => list(f),

    /** Items of one dataset and language sharing trigrams with a question, best full-text rank first. */
    similarCandidates: (f: SimilarCandidatesFilter): ItemSummary[] => {
      // The question's trigrams, folded as the index is; near-duplicates are a hint, so items edited
      // since the last catch-up are matched by the text the index holds.
      const trigrams = [...new Set(f.trigrams.map(foldForSearch))].filter((t) => [...t].length >= TRIGRAM);
      if (trigrams.length === 0) return [];
      const conds = ['items_fts MATCH @match', 'i.dataset_id = @dataset', 'i.language = @language', VISIBLE];
      const params: Record<string, SqlValue> = {
        match: `question : (${trigrams.map(ftsPhrase).join(' OR ')})`,
        dataset: f.datasetId,
        language: f.language,
        limit: f.limit,
      };
      if (f.excludeId !== undefined) {
        conds.push('i.id <> @exclude');
        params.exclude = f.excludeId;
      }
      scopeConditions(f.scope, conds, params);
      const rows = prepared(
        `SELECT ${SUMMARY_COLUMNS} FROM items_fts JOIN items i ON i.id = items_fts.rowid
         JOIN users u ON u.id = i.author_id WHERE ${conds.join(' AND ')} ORDER BY items_fts.rank LIMIT @limit`,
      ).all(params) as SummaryRow[];
      return rows.map(toSummary);
    },
  };
}
export type ItemRepository = ReturnType<typeof createItemRepository>;
