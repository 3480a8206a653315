import {
  editableStatuses,
  emptyItemFields,
  itemFieldNames,
  submissionProblems,
  type CreateItemInput,
  type Item,
  type ItemFields,
  type ItemListPage,
  type ItemListQuery,
  type ItemRevision,
  type ItemRevisionWithSnapshot,
  type ItemStatus,
  type SimilarItem,
  type SimilarItemsQuery,
  type UpdateItemInput,
} from '../../schema/item.ts';
import type { TaxonomyId } from '../../schema/taxonomy.ts';
import type { User } from '../../schema/user.ts';
import { searchTerms, type ItemUpdate } from '../db/items.ts';
import type { Repositories } from '../db/repositories.ts';
import { canUseLanguage } from './auth.ts';
import { AppError, conflict, forbidden, notFound, type FieldIssue } from '../errors.ts';
import { afterValues, diff, type Changes } from './items/changes.ts';
import { similarItems } from './items/similar.ts';
import { newItemUid } from './items/uid.ts';
import { answerScope, canSeeItem, itemScope, redactAnswers } from './items/visibility.ts';
import { searchMatches } from './search-matches.ts';
import { checkTrialBeforeSubmit } from './trial-requirement.ts';

export { jaccard, SIMILARITY_THRESHOLD, trigrams } from './items/similar.ts';
export { newItemUid } from './items/uid.ts';
export { answerScope, canSeeItem, itemScope } from './items/visibility.ts';

const invalid = (issues: FieldIssue[]) => new AppError(400, 'invalid-input', 'Invalid body', { issues });

const notEditable = (item: Item) =>
  conflict('not-editable', `The item is ${item.status.replace('_', ' ')} and cannot be edited now`, {
    status: item.status,
  });

const stale = (current: Item, yours?: unknown) =>
  conflict('stale-version', 'Someone saved this item after you loaded it; reload and reapply your changes', {
    current,
    ...(yours === undefined ? {} : { yours }),
  });

/**
 * Called by an item save (PATCH /api/items/:id) between reading the item and writing it, outside
 * the write lock. Tests write from a second database connection here to race a save
 * deterministically (awaited: on PostgreSQL that write is a query); the server passes nothing.
 */
export type ItemSaveHook = (itemId: number) => void | Promise<void>;

/** Authoring items: create, edit with optimistic concurrency, submit, revisions, search. */
export function createItemService(repos: Repositories, options: { saveHook?: ItemSaveHook } = {}) {
  const now = () => new Date().toISOString();

  /** Taxonomy references must name existing nodes; ids are permanent, so this holds afterwards. */
  async function taxonomyIssues(fields: Partial<ItemFields>, prefix = ''): Promise<FieldIssue[]> {
    const issues: FieldIssue[] = [];
    const check = async (path: string, taxonomy: TaxonomyId, id: string | null | undefined) => {
      if (id === null || id === undefined || (await repos.taxonomies.hasNode(taxonomy, id))) return;
      issues.push({
        path: prefix + path,
        code: 'unknown-taxonomy-node',
        message: `"${id}" is not a node of the ${taxonomy} taxonomy`,
      });
    };
    await check('primaryCategory', 'socio-cultural', fields.primaryCategory);
    for (const [i, tag] of (fields.secondaryTags ?? []).entries())
      await check(`secondaryTags.${i}`, 'socio-cultural', tag);
    await check('hazard', 'safety-hazards', fields.hazard);
    await check('attackStyle', 'attack-styles', fields.attackStyle);
    return issues;
  }

  const requireLanguage = (user: User, language: string) => {
    if (!canUseLanguage(user, language)) {
      throw forbidden(`You are not registered for the language ${language}`);
    }
  };

  /** Whether `item`'s answers are withheld from `user` (see answerScope). */
  const blindFor = (user: User, item: Item): Promise<boolean> =>
    repos.items.answersWithheld(item.id, answerScope(user));

  async function requireNotBlind(user: User, item: Item) {
    if (await blindFor(user, item)) {
      throw forbidden('The history of an item shows its answers; it opens once you have validated the item');
    }
  }

  async function visible(user: User, id: number): Promise<Item> {
    const item = await repos.items.get(id);
    if (!item || !canSeeItem(user, item)) throw notFound('Item');
    return item;
  }

  /** The item, if `user` may change it now: its author, while it is editable. */
  async function editable(user: User, id: number): Promise<Item> {
    const item = await visible(user, id);
    if (item.authorId !== user.id) throw forbidden('Only the author can change this item');
    if (!editableStatuses.includes(item.status)) throw notEditable(item);
    return item;
  }

  /** Writes `update` conditionally on the item's version and records the revision. */
  async function write(
    user: User,
    item: Item,
    update: ItemUpdate,
    action: ItemRevision['action'],
    changes: Changes,
    yours?: unknown,
  ) {
    if (!(await repos.items.update(item.id, item.version, update))) {
      throw stale((await repos.items.get(item.id)) ?? item, yours);
    }
    // The row now holds exactly `item` with `update` applied (the write was conditional on its
    // version), so the new state is built here rather than read back: autosave is the hot path.
    const applied = Object.fromEntries(Object.entries(update).filter(([, v]) => v !== undefined));
    const next: Item = { ...item, ...applied, version: item.version + 1 };
    await repos.items.insertRevision({
      itemId: item.id,
      version: next.version,
      userId: user.id,
      action,
      changes,
      snapshot: next,
      createdAt: update.updatedAt,
    });
    return next;
  }

  /** Checks and saves an edit of `item` by `user` (who may change it); nothing changed, nothing written. */
  async function applyEdit(user: User, item: Item, input: UpdateItemInput): Promise<Item> {
    const issues = await taxonomyIssues(input.changes, 'changes.');
    if (issues.length > 0) throw invalid(issues);
    if (input.changes.language !== undefined) requireLanguage(user, input.changes.language);
    if (input.version !== item.version) throw stale(item, input.changes);
    const changes = diff(item, input.changes);
    if (Object.keys(changes).length === 0) return item;
    return await write(
      user,
      item,
      { ...afterValues(changes), updatedAt: now() },
      'update',
      changes,
      input.changes,
    );
  }

  return {
    create(user: User, input: CreateItemInput): Promise<Item> {
      requireLanguage(user, input.language);
      const { datasetId, ...given } = input;
      return repos.transaction(async () => {
        const issues = await taxonomyIssues(given);
        if (!(await repos.datasets.exists(datasetId))) {
          issues.unshift({ path: 'datasetId', code: 'unknown-dataset', message: `No dataset ${datasetId}` });
        }
        if (issues.length > 0) throw invalid(issues);
        const fields: ItemFields = { ...emptyItemFields(input) };
        for (const f of itemFieldNames) {
          if (given[f] !== undefined) Object.assign(fields, { [f]: given[f] });
        }
        const at = now();
        const id = await repos.items.insert({
          ...fields,
          uid: newItemUid(fields.language),
          datasetId,
          externalId: null,
          status: 'draft',
          authorId: user.id,
          version: 1,
          createdAt: at,
          updatedAt: at,
          submittedAt: null,
        });
        const item = (await repos.items.get(id))!;
        await repos.items.insertRevision({
          itemId: id,
          version: 1,
          userId: user.id,
          action: 'create',
          changes: {},
          snapshot: item,
          createdAt: at,
        });
        return item;
      });
    },

    get: async (user: User, id: number): Promise<Item> => {
      const item = await visible(user, id);
      return (await blindFor(user, item)) ? redactAnswers(item) : item;
    },

    /**
     * Saves changed fields if `version` is current; a save that changes nothing writes nothing.
     * Optimistic: the item is read and checked without the write lock, and the write is conditional
     * on the version read (in SQL), so anyone's save in between, from any process, makes this one stale.
     */
    async update(user: User, id: number, input: UpdateItemInput): Promise<Item> {
      const item = await editable(user, id);
      await options.saveHook?.(id);
      return repos.transaction(() => applyEdit(user, item, input));
    },

    submit(user: User, id: number, version: number): Promise<Item> {
      return repos.transaction(async () => {
        const item = await editable(user, id);
        if (version !== item.version) throw stale(item);
        const problems = submissionProblems(item);
        if (problems.length > 0) {
          throw new AppError(422, 'incomplete-item', 'The item is not complete yet', { problems });
        }
        await checkTrialBeforeSubmit(repos, item);
        const at = now();
        return await write(user, item, { status: 'submitted', submittedAt: at, updatedAt: at }, 'submit', {
          status: [item.status, 'submitted'],
        });
      });
    },

    async listRevisions(user: User, id: number): Promise<ItemRevision[]> {
      await requireNotBlind(user, await visible(user, id));
      return await repos.items.listRevisions(id);
    },

    async getRevision(user: User, id: number, version: number): Promise<ItemRevisionWithSnapshot> {
      await requireNotBlind(user, await visible(user, id));
      const revision = await repos.items.getRevision(id, version);
      if (!revision) throw notFound('Revision');
      return revision;
    },

    /** Writes a revision's fields back as a new revision; history is only ever appended to. */
    restore(user: User, id: number, revisionVersion: number, version: number): Promise<Item> {
      return repos.transaction(async () => {
        const item = await editable(user, id);
        const revision = await repos.items.getRevision(id, revisionVersion);
        if (!revision) throw notFound('Revision');
        if (version !== item.version) throw stale(item);
        requireLanguage(user, revision.snapshot.language);
        const changes = diff(item, revision.snapshot);
        if (Object.keys(changes).length === 0) return item;
        return await write(user, item, { ...afterValues(changes), updatedAt: now() }, 'restore', changes);
      });
    },

    /**
     * For the review workflow: saves `input` as a revision by `user` whatever the item's author and
     * status. The caller (server/domain/review.ts) has already checked that `user` may review it.
     */
    reviseAsReviewer(user: User, id: number, input: UpdateItemInput): Promise<Item> {
      return repos.transaction(async () => {
        const item = await repos.items.get(id);
        if (!item) throw notFound('Item');
        return await applyEdit(user, item, input);
      });
    },

    /**
     * A lifecycle transition made by validation or review (not by the author): a `status` revision by
     * `user`, conditional on `item` still being at its version. Back to `submitted` stamps submittedAt.
     */
    transition(user: User, item: Item, status: ItemStatus): Promise<Item> {
      return repos.transaction(() => {
        const at = now();
        const update: ItemUpdate = { status, updatedAt: at };
        if (status === 'submitted') update.submittedAt = at;
        return write(user, item, update, 'status', { status: [item.status, status] });
      });
    },

    async list(user: User, query: ItemListQuery): Promise<ItemListPage> {
      const { sort, page, pageSize, ...filters } = query;
      const answers = answerScope(user);
      const { items, total } = await repos.items.list({
        ...filters,
        sort,
        limit: pageSize,
        offset: (page - 1) * pageSize,
        scope: itemScope(user),
        answers,
      });
      const terms = searchTerms(filters.q).all;
      if (terms.length === 0 || items.length === 0) return { items, total, page, pageSize };
      // Where each item of the page matched, for highlighting: read for this page only.
      const texts = await repos.items.searchableText(
        items.map((i) => i.id),
        answers,
      );
      const withMatches = items.map((item, n) => ({ ...item, matches: searchMatches(texts[n], terms) }));
      return { items: withMatches, total, page, pageSize };
    },

    /** Near-duplicate questions in the same dataset and language, most similar first. */
    similar: (user: User, query: SimilarItemsQuery): Promise<SimilarItem[]> =>
      similarItems(repos, user, query),
  };
}
export type ItemService = ReturnType<typeof createItemService>;
