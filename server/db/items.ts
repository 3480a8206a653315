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
  type ItemStatus,
  type ItemSummary,
  type ItemFormat,
} from '../../schema/item.ts';
import type { Db } from './connection.ts';
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
 * see the reference (SPEC §5): while an item is out for validation, and for gold items always, its
 * answers are hidden from everyone but its author, maintainers (no AnswerScope) and those who have
 * already validated it (a submitted, non-gold validation). The only copy of this rule.
 * The unary `+` keeps the validator's own index (validator_id, status) out of the lookup: an item has a
 * handful of validations, a busy validator tens of thousands.
 */
const ANSWERS_WITHHELD = `(i.author_id <> @answerUser
  AND (i.status IN ('submitted', 'in_validation') OR EXISTS (SELECT 1 FROM gold_items g WHERE g.item_id = i.id))
  AND NOT EXISTS (SELECT 1 FROM validations v WHERE v.item_id = i.id AND +v.validator_id = @answerUser
                  AND +v.status = 'submitted' AND v.gold = 0))`;

/** Columns of the trigram index (items_fts) by side: answer-side text is withheld from validators. */
const FTS_QUESTION_SIDE = '{question question_en options notes}';
const FTS_ANSWER_SIDE = '{reference_answer answer_en accepted_answers}';

const JSON_FIELDS = new Set<ItemFieldName>(['acceptedAnswers', 'options', 'sources', 'secondaryTags']);
const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
/** field name → column name; field names come from the schema, never from the request. */
const COLUMN = Object.fromEntries(itemFieldNames.map((f) => [f, snake(f)])) as Record<ItemFieldName, string>;

const encodeField = (field: ItemFieldName, value: unknown): SqlValue => {
  if (JSON_FIELDS.has(field)) return JSON.stringify(value);
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
  author_id: number;
  author_name: string;
  version: number;
  created_at: string;
  updated_at: string;
  submitted_at: string | null;
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
  authorId: r.author_id,
  authorName: r.author_name,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  submittedAt: r.submitted_at,
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
/** A LIKE pattern matching `s` anywhere, with the wildcards in `s` taken literally (ESCAPE '\'). */
const likeAnywhere = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
/** The trigram tokenizer cannot match fewer than three characters. */
const TRIGRAM = 3;

interface Where {
  sql: string;
  params: Record<string, SqlValue>;
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
 * The query split by what can serve each term: three or more characters the trigram index, two the
 * bigram index, one a scan. Control characters separate terms (LIKE would stop at a NUL).
 */
function searchTerms(q: string | undefined) {
  const terms = (q ?? '').split(/[\s\p{Cc}]+/u).filter(Boolean);
  const length = (t: string) => [...t].length;
  return {
    long: terms.filter((t) => length(t) >= TRIGRAM),
    pair: terms.filter((t) => length(t) === 2),
    single: terms.filter((t) => length(t) === 1),
  };
}

/** `searchIds`: the items the full-text terms matched, resolved once for both page and count. */
function listWhere(f: ItemListFilter, searchIds?: number[]): Where {
  const conds: string[] = [];
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
  if (searchIds !== undefined) {
    conds.push('i.id IN (SELECT value FROM json_each(@searchIds))');
    params.searchIds = JSON.stringify(searchIds);
  }
  searchTerms(f.q).single.forEach((t, n) => {
    // A single character: rare, and matched by scanning.
    conds.push(`(i.question LIKE @like${n} ESCAPE '\\' OR i.question_en LIKE @like${n} ESCAPE '\\')`);
    params[`like${n}`] = likeAnywhere(t);
  });
  return { sql: conds.length ? `WHERE ${conds.join(' AND ')}` : '', params };
}

/** Items and their revisions. */
export function createItemRepository(db: Db) {
  // Dynamic SQL (filters, changed columns) is prepared once per distinct shape.
  const statements = new Map<string, ReturnType<Db['prepare']>>();
  const ftsIds = db.prepare<[string], { id: number }>(
    'SELECT rowid AS id FROM items_fts WHERE items_fts MATCH ?',
  );
  const bigramIds = db.prepare<[string], { id: number }>(
    'SELECT rowid AS id FROM items_bigrams WHERE items_bigrams MATCH ?',
  );
  // Deferred full-text indexing (migration 008): edits queue the item with the text the indexes
  // hold; this swaps it for the current text. Runs before every search and on a timer.
  const pendingSearch = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM items_search_pending');
  const reindexPending = [
    `INSERT INTO items_fts (items_fts, rowid, question, question_en, reference_answer, answer_en, accepted_answers, options, notes)
     SELECT 'delete', item_id, question, question_en, reference_answer, answer_en, accepted_answers, options, notes
     FROM items_search_pending`,
    `INSERT INTO items_fts (rowid, question, question_en, reference_answer, answer_en, accepted_answers, options, notes)
     SELECT i.id, i.question, i.question_en, i.reference_answer, i.answer_en, i.accepted_answers, i.options, i.notes
     FROM items_search_pending p JOIN items i ON i.id = p.item_id`,
    'DELETE FROM items_bigrams WHERE rowid IN (SELECT item_id FROM items_search_pending)',
    `INSERT INTO items_bigrams (rowid, question_keys, answer_keys)
     SELECT i.id, cs_bigram_keys(i.question, i.question_en, i.options), cs_bigram_keys(i.accepted_answers)
     FROM items_search_pending p JOIN items i ON i.id = p.item_id`,
  ].map((sql) => db.prepare(sql));
  const clearPending = db.prepare('DELETE FROM items_search_pending');
  const withheldAmong = db.prepare<{ ids: string; answerUser: number }, { id: number }>(
    `SELECT i.id FROM json_each(@ids) AS c CROSS JOIN items i ON i.id = c.value WHERE ${ANSWERS_WITHHELD}`,
  );
  const withheldOne = db.prepare<{ id: number; answerUser: number }, { withheld: number }>(
    `SELECT ${ANSWERS_WITHHELD} AS withheld FROM items i WHERE i.id = @id`,
  );

  /**
   * The items every full-text term matches. Under an AnswerScope a term may match an item's answers
   * only where they are not withheld: an item is found if every term matches its question side, or
   * if every term matches somewhere and its answers are not withheld from the viewer.
   */
  const searchIds = (terms: ReturnType<typeof searchTerms>, answers: AnswerScope): number[] => {
    const intersect = (sets: number[][]) =>
      sets.reduce((acc, ids) => {
        const keep = new Set(ids);
        return acc.filter((id) => keep.has(id));
      });
    const ids = (rows: { id: number }[]) => rows.map((r) => r.id);
    const bigram = (t: string) => ftsPhrase(shortTermKey(t)!);
    if (answers === null) {
      // Every field counts; the long terms go to the index in one query.
      return intersect([
        ...(terms.long.length ? [ids(ftsIds.all(terms.long.map(ftsPhrase).join(' AND ')))] : []),
        ...terms.pair.map((t) => ids(bigramIds.all(bigram(t)))),
      ]);
    }
    const sides = [
      ...terms.long.map((t) => ({
        question: ids(ftsIds.all(`${FTS_QUESTION_SIDE} : ${ftsPhrase(t)}`)),
        answer: ids(ftsIds.all(`${FTS_ANSWER_SIDE} : ${ftsPhrase(t)}`)),
      })),
      ...terms.pair.map((t) => ({
        question: ids(bigramIds.all(`{question_keys} : ${bigram(t)}`)),
        answer: ids(bigramIds.all(`{answer_keys} : ${bigram(t)}`)),
      })),
    ];
    const byQuestion = intersect(sides.map((s) => s.question));
    const anywhere = intersect(sides.map((s) => [...new Set([...s.question, ...s.answer])]));
    const questionMatched = new Set(byQuestion);
    const throughAnswers = anywhere.filter((id) => !questionMatched.has(id));
    if (throughAnswers.length === 0) return anywhere;
    const withheld = new Set(
      ids(withheldAmong.all({ ids: JSON.stringify(throughAnswers), answerUser: answers.userId })),
    );
    return anywhere.filter((id) => !withheld.has(id));
  };
  const flushSearch = db.transaction(() => {
    for (const statement of reindexPending) statement.run();
    return clearPending.run().changes;
  });
  /** Brings the full-text indexes up to date; returns how many items were re-indexed. */
  const syncSearchIndex = (): number => (pendingSearch.get()!.n === 0 ? 0 : flushSearch.immediate());
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
  const byId = db.prepare<[number], ItemRow>(
    `SELECT i.*, u.display_name AS author_name FROM items i JOIN users u ON u.id = i.author_id WHERE i.id = ?`,
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

  return {
    /** Inserts one item row and returns its id. Use inside `repos.transaction` for bulk loads. */
    insert: (item: NewItem): number => {
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
      return Number(insertItem.run(params).lastInsertRowid);
    },

    get: (id: number): Item | undefined => {
      const r = byId.get(id);
      return r && toItem(r);
    },

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

    syncSearchIndex,

    /** One page of summaries and the total under the same filter. */
    list: (f: ItemListFilter): { items: ItemSummary[]; total: number } => {
      const terms = searchTerms(f.q);
      let matched: number[] | undefined;
      if (terms.long.length + terms.pair.length > 0) {
        // Only the index lookups need the indexes current; one-character terms scan the items table.
        syncSearchIndex();
        // The index lookups run once here rather than in both the page and the count query.
        matched = searchIds(terms, f.answers);
        if (matched.length === 0) return { items: [], total: 0 };
      }
      const where = listWhere(f, matched);
      const order = ORDER_BY[f.sort];
      // Deferred join: the page of ids comes from the indexes alone; only those rows are then read.
      const rows = prepared(
        `SELECT ${SUMMARY_COLUMNS} FROM (SELECT i.id FROM items i ${where.sql} ORDER BY ${order} LIMIT @limit OFFSET @offset) AS page
         CROSS JOIN items i ON i.id = page.id CROSS JOIN users u ON u.id = i.author_id ORDER BY ${order}`,
      ).all({ ...where.params, limit: f.limit, offset: f.offset }) as SummaryRow[];
      const total = (
        prepared(`SELECT count(*) AS n FROM items i ${where.sql}`).get(where.params) as { n: number }
      ).n;
      return { items: rows.map(toSummary), total };
    },

    /** Items of one dataset and language sharing trigrams with a question, best full-text rank first. */
    similarCandidates: (f: SimilarCandidatesFilter): ItemSummary[] => {
      if (f.trigrams.length === 0) return [];
      syncSearchIndex();
      const conds = ['items_fts MATCH @match', 'i.dataset_id = @dataset', 'i.language = @language'];
      const params: Record<string, SqlValue> = {
        match: `question : (${f.trigrams.map(ftsPhrase).join(' OR ')})`,
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
