import type { Taxonomy, TaxonomyId, TaxonomyNode } from '../../../schema/taxonomy.ts';
import { get, patch, post } from './api.ts';

let cache: Promise<Taxonomy[]> | undefined;

/** All taxonomies with their nodes; fetched once per page load (they change rarely). */
export function listTaxonomies(refresh = false): Promise<Taxonomy[]> {
  if (refresh || !cache) {
    cache = get<Taxonomy[]>('/api/taxonomies');
    cache.catch(() => (cache = undefined));
  }
  return cache;
}

/** Every taxonomy node by id, for labelling stored ids in the interface language. */
export async function taxonomyNodes(): Promise<Map<string, TaxonomyNode>> {
  return new Map((await listTaxonomies()).flatMap((t) => t.nodes.map((n) => [n.id, n] as const)));
}

export async function taxonomy(id: TaxonomyId): Promise<Taxonomy | undefined> {
  return (await listTaxonomies()).find((t) => t.id === id);
}

export const createNode = (
  taxonomyId: TaxonomyId,
  input: { parentId: string | null; slug: string; labels: Record<string, string> },
) => post<TaxonomyNode>(`/api/taxonomies/${taxonomyId}/nodes`, input);

export const updateNode = (
  taxonomyId: TaxonomyId,
  nodeId: string,
  input: { labels?: Record<string, string>; position?: number },
) => patch<TaxonomyNode>(`/api/taxonomies/${taxonomyId}/nodes/${encodeURIComponent(nodeId)}`, input);

export interface TreeRow {
  node: TaxonomyNode;
  depth: number;
}

/** Nodes in display order (depth-first, by position), each with its depth. */
export function treeRows(nodes: TaxonomyNode[]): TreeRow[] {
  const children = new Map<string | null, TaxonomyNode[]>();
  for (const n of nodes) {
    const list = children.get(n.parentId) ?? [];
    list.push(n);
    children.set(n.parentId, list);
  }
  for (const list of children.values()) list.sort((a, b) => a.position - b.position || a.id.localeCompare(b.id));
  const rows: TreeRow[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const node of children.get(parent) ?? []) {
      rows.push({ node, depth });
      walk(node.id, depth + 1);
    }
  };
  walk(null, 0);
  return rows;
}
