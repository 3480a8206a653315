import type { Taxonomy, TaxonomyId, TaxonomyNode } from '../../schema/taxonomy.ts';
import type { Db } from './connection.ts';

/** A taxonomy node's row as toNode maps it on both engines (PostgreSQL: its json labels as their text). */
export interface NodeRow {
  id: string;
  parent_id: string | null;
  labels: string;
  position: number;
  origin: 'default' | 'custom';
}

/** A taxonomy_nodes row as stored. */
interface StoredNodeRow extends NodeRow {
  taxonomy_id: string;
  label_edits: string;
}

export const toNode = (r: NodeRow): TaxonomyNode => ({
  id: r.id,
  parentId: r.parent_id,
  labels: JSON.parse(r.labels) as Record<string, string>,
  position: r.position,
  origin: r.origin,
});

export interface TaxonomyHeader {
  id: TaxonomyId;
  name: string;
  version: string;
  description: string;
}

/** Taxonomies and their nodes. Node ids are permanent: nodes are added or relabelled, never renamed. */
export function createTaxonomyRepository(db: Db) {
  const headers = db.prepare<[], TaxonomyHeader>(
    'SELECT id, name, version, description FROM taxonomies ORDER BY id',
  );
  const header = db.prepare<[string], TaxonomyHeader>(
    'SELECT id, name, version, description FROM taxonomies WHERE id = ?',
  );
  const nodesOf = db.prepare<[string], StoredNodeRow>(
    'SELECT * FROM taxonomy_nodes WHERE taxonomy_id = ? ORDER BY parent_id IS NOT NULL, parent_id, position, id',
  );
  const node = db.prepare<[string, string], StoredNodeRow>(
    'SELECT * FROM taxonomy_nodes WHERE taxonomy_id = ? AND id = ?',
  );
  const upsertHeader = db.prepare(
    `INSERT INTO taxonomies (id, name, version, description) VALUES (@id, @name, @version, @description)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, version = excluded.version, description = excluded.description`,
  );
  // Shipped nodes refresh their labels, under any label a maintainer edited; their order is the
  // maintainers' once the node exists. Custom nodes and ids are never touched.
  const upsertDefaultNode = db.prepare(
    `INSERT INTO taxonomy_nodes (taxonomy_id, id, parent_id, labels, position, origin, created_at)
     VALUES (@taxonomyId, @id, @parentId, @labels, @position, 'default', @now)
     ON CONFLICT (taxonomy_id, id) DO UPDATE SET labels = json_patch(excluded.labels, label_edits)
     WHERE origin = 'default'`,
  );
  const setNode = db.prepare(
    `UPDATE taxonomy_nodes SET labels = @labels, label_edits = @labelEdits, position = @position
     WHERE taxonomy_id = @taxonomyId AND id = @id`,
  );
  const insertNode = db.prepare(
    `INSERT INTO taxonomy_nodes (taxonomy_id, id, parent_id, labels, position, origin, created_at)
     VALUES (@taxonomyId, @id, @parentId, @labels, @position, 'custom', @now)`,
  );
  const maxPosition = db.prepare<[string, string | null], { p: number | null }>(
    'SELECT max(position) AS p FROM taxonomy_nodes WHERE taxonomy_id = ? AND parent_id IS ?',
  );

  return {
    list: (): Taxonomy[] => headers.all().map((h) => ({ ...h, nodes: nodesOf.all(h.id).map(toNode) })),
    get: (id: string): Taxonomy | undefined => {
      const h = header.get(id);
      return h && { ...h, nodes: nodesOf.all(h.id).map(toNode) };
    },
    getNode: (taxonomyId: string, nodeId: string): TaxonomyNode | undefined => {
      const r = node.get(taxonomyId, nodeId);
      return r && toNode(r);
    },
    hasNode: (taxonomyId: TaxonomyId, nodeId: string): boolean => node.get(taxonomyId, nodeId) !== undefined,
    /** Writes a shipped taxonomy; nodes must come parents first. */
    syncDefault: db.transaction((t: TaxonomyHeader, nodes: Omit<TaxonomyNode, 'origin'>[]) => {
      upsertHeader.run(t);
      const now = new Date().toISOString();
      for (const n of nodes) {
        upsertDefaultNode.run({
          taxonomyId: t.id,
          id: n.id,
          parentId: n.parentId,
          labels: JSON.stringify(n.labels),
          position: n.position,
          now,
        });
      }
    }),
    addNode: (
      taxonomyId: string,
      n: { id: string; parentId: string | null; labels: Record<string, string> },
    ) => {
      const position = (maxPosition.get(taxonomyId, n.parentId)?.p ?? -1) + 1;
      insertNode.run({
        taxonomyId,
        id: n.id,
        parentId: n.parentId,
        labels: JSON.stringify(n.labels),
        position,
        now: new Date().toISOString(),
      });
      return toNode(node.get(taxonomyId, n.id)!);
    },
    /** Changes labels (merged per language; recorded as edits that outlive re-syncs) and order. */
    updateNode: (
      taxonomyId: string,
      nodeId: string,
      c: { labels?: Record<string, string>; position?: number },
    ): TaxonomyNode | undefined => {
      const current = node.get(taxonomyId, nodeId);
      if (!current) return undefined;
      const labels = { ...(JSON.parse(current.labels) as Record<string, string>), ...c.labels };
      const labelEdits = { ...(JSON.parse(current.label_edits) as Record<string, string>), ...c.labels };
      setNode.run({
        taxonomyId,
        id: nodeId,
        labels: JSON.stringify(labels),
        labelEdits: JSON.stringify(labelEdits),
        position: c.position ?? current.position,
      });
      return toNode(node.get(taxonomyId, nodeId)!);
    },
  };
}
export type TaxonomyRepository = ReturnType<typeof createTaxonomyRepository>;
