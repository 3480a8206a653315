import type { Taxonomy, TaxonomyNode } from '../../../schema/taxonomy.ts';
import type { AsyncRepository } from '../async-repository.ts';
import { type createTaxonomyRepository, type NodeRow, type TaxonomyHeader, toNode } from '../taxonomies.ts';
import type { PgDatabase } from './database.ts';

type Labels = Record<string, string>;

/** `json` columns come parsed from the driver; parsed here if a driver gives the text. */
const json = (v: Labels | string): Labels => (typeof v === 'string' ? (JSON.parse(v) as Labels) : v);

/**
 * SQLite's json_patch(shipped, edits) for flat label maps: the shipped languages in their order, each replaced by
 * a maintainer's edit where there is one, then the languages only the edits have, in theirs.
 */
const patchLabels = (shipped: Labels, edits: Labels): Labels => ({ ...shipped, ...edits });

// SQLite's row and mapper (server/db/taxonomies.ts): labels as their text.
const NODE_COLUMNS = 'id, parent_id, labels::text AS labels, position, origin';
// Ids and parent ids compared bytewise, as SQLite compares text; roots (no parent) first.
const NODE_ORDER = 'parent_id IS NOT NULL, parent_id COLLATE "C" NULLS FIRST, position, id COLLATE "C"';

/** Taxonomies and their nodes on PostgreSQL. Node ids are permanent: nodes are added or relabelled, never renamed. */
export function createPgTaxonomyRepository(
  db: PgDatabase,
): AsyncRepository<ReturnType<typeof createTaxonomyRepository>> {
  const nodesOf = async (taxonomyId: string) =>
    (
      await db.query<NodeRow>(
        `SELECT ${NODE_COLUMNS} FROM taxonomy_nodes WHERE taxonomy_id = $1 ORDER BY ${NODE_ORDER}`,
        [taxonomyId],
      )
    ).map(toNode);
  const node = async (taxonomyId: string, nodeId: string, lock = '') =>
    (
      await db.query<NodeRow & { label_edits: Labels | string }>(
        `SELECT ${NODE_COLUMNS}, label_edits FROM taxonomy_nodes WHERE taxonomy_id = $1 AND id = $2 ${lock}`,
        [taxonomyId, nodeId],
      )
    )[0];

  return {
    // Two statements whatever the number of taxonomies: the headers, then every node in each one's order.
    list: async () => {
      const headers = await db.query<TaxonomyHeader>(
        'SELECT id, name, version, description FROM taxonomies ORDER BY id COLLATE "C"',
      );
      const nodes = new Map<string, TaxonomyNode[]>(headers.map((h) => [h.id, []]));
      const rows = await db.query<NodeRow & { taxonomy_id: string }>(
        `SELECT taxonomy_id, ${NODE_COLUMNS} FROM taxonomy_nodes ORDER BY taxonomy_id, ${NODE_ORDER}`,
      );
      for (const r of rows) nodes.get(r.taxonomy_id)?.push(toNode(r));
      return headers.map((h): Taxonomy => ({ ...h, nodes: nodes.get(h.id) ?? [] }));
    },
    get: async (id) => {
      const [h] = await db.query<TaxonomyHeader>(
        'SELECT id, name, version, description FROM taxonomies WHERE id = $1',
        [id],
      );
      return h && { ...h, nodes: await nodesOf(h.id) };
    },
    getNode: async (taxonomyId, nodeId) => {
      const r = await node(taxonomyId, nodeId);
      return r && toNode(r);
    },
    hasNode: async (taxonomyId, nodeId) => (await node(taxonomyId, nodeId)) !== undefined,
    /**
     * Writes a shipped taxonomy; nodes must come parents first. Shipped nodes refresh their labels, under any
     * label a maintainer edited; their order is the maintainers' once the node exists. Custom nodes and ids are
     * never touched. The header's upsert locks its row until commit, so instances starting together sync one
     * after the other, and the edits read here (locked too) cannot change before the write.
     */
    syncDefault: (t: TaxonomyHeader, nodes: Omit<TaxonomyNode, 'origin'>[]) =>
      db.transaction(async () => {
        await db.execute(
          `INSERT INTO taxonomies (id, name, version, description) VALUES ($1, $2, $3, $4)
           ON CONFLICT (id) DO UPDATE SET name = excluded.name, version = excluded.version,
             description = excluded.description`,
          [t.id, t.name, t.version, t.description],
        );
        const edits = new Map(
          (
            await db.query<{ id: string; label_edits: Labels | string }>(
              `SELECT id, label_edits FROM taxonomy_nodes WHERE taxonomy_id = $1 AND origin = 'default'
               FOR UPDATE`,
              [t.id],
            )
          ).map((r) => [r.id, json(r.label_edits)]),
        );
        // One statement for the whole tree (its self-reference is checked at the statement's end).
        await db.execute(
          `INSERT INTO taxonomy_nodes (taxonomy_id, id, parent_id, labels, position, origin, created_at)
           SELECT $1::text, n.id, n.parent_id, n.labels::json, n.position, 'default', $2::timestamptz
           FROM unnest($3::text[], $4::text[], $5::text[], $6::int[]) AS n (id, parent_id, labels, position)
           ON CONFLICT (taxonomy_id, id) DO UPDATE SET labels = excluded.labels
           WHERE taxonomy_nodes.origin = 'default'`,
          [
            t.id,
            new Date().toISOString(),
            nodes.map((n) => n.id),
            nodes.map((n) => n.parentId),
            nodes.map((n) => JSON.stringify(patchLabels(n.labels, edits.get(n.id) ?? {}))),
            nodes.map((n) => n.position),
          ],
        );
      }),
    /**
     * Adds a maintainer's node after its siblings. The taxonomy's row is locked first, so two nodes added under
     * one parent at once through different instances get different positions.
     */
    addNode: (taxonomyId, n) =>
      db.transaction(async () => {
        await db.query('SELECT 1 FROM taxonomies WHERE id = $1 FOR NO KEY UPDATE', [taxonomyId]);
        const [r] = await db.query<NodeRow>(
          `INSERT INTO taxonomy_nodes (taxonomy_id, id, parent_id, labels, position, origin, created_at)
           SELECT $1::text, $2::text, $3::text, $4::json, coalesce(max(position) + 1, 0), 'custom', $5::timestamptz
           FROM taxonomy_nodes WHERE taxonomy_id = $1 AND parent_id IS NOT DISTINCT FROM $3
           RETURNING ${NODE_COLUMNS}`,
          [taxonomyId, n.id, n.parentId, JSON.stringify(n.labels), new Date().toISOString()],
        );
        return toNode(r);
      }),
    /** Changes labels (merged per language; recorded as edits that outlive re-syncs) and order. */
    updateNode: (taxonomyId, nodeId, c) =>
      db.transaction(async () => {
        const current = await node(taxonomyId, nodeId, 'FOR UPDATE');
        if (!current) return undefined;
        const [r] = await db.query<NodeRow>(
          `UPDATE taxonomy_nodes SET labels = $3, label_edits = $4, position = $5
           WHERE taxonomy_id = $1 AND id = $2 RETURNING ${NODE_COLUMNS}`,
          [
            taxonomyId,
            nodeId,
            JSON.stringify({ ...json(current.labels), ...c.labels }),
            JSON.stringify({ ...json(current.label_edits), ...c.labels }),
            c.position ?? current.position,
          ],
        );
        return toNode(r);
      }),
  };
}
