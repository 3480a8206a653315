import { z } from 'zod';

export const taxonomyIds = ['socio-cultural', 'safety-hazards', 'attack-styles'] as const;
export type TaxonomyId = (typeof taxonomyIds)[number];

const labels = z.record(z.string().min(2).max(35), z.string().min(1).max(200));

/** A node as shipped in schema/taxonomies/*.json and as returned by the API. */
export interface TaxonomyNode {
  id: string;
  parentId: string | null;
  labels: Record<string, string>;
  position: number;
  origin: 'default' | 'custom';
}

export interface Taxonomy {
  id: TaxonomyId;
  name: string;
  version: string;
  description: string;
  nodes: TaxonomyNode[];
}

/** POST /api/taxonomies/:id/nodes — `slug` becomes the last segment of the new stable id. */
export const createTaxonomyNodeSchema = z.strictObject({
  parentId: z.string().max(200).nullable().default(null),
  slug: z
    .string()
    .min(1)
    .max(60)
    .regex(/^[a-z0-9_-]+$/, { message: 'Lower-case letters, digits, - and _ only' }),
  labels: labels.refine((l) => typeof l.en === 'string', { message: 'An English label is required' }),
});

/** PATCH /api/taxonomies/:id/nodes/:nodeId — labels and order only: ids never change. */
export const updateTaxonomyNodeSchema = z.strictObject({
  labels: labels.optional(),
  position: z.int().min(0).max(10_000).optional(),
});

/** The label for `lang`, falling back to its base language and then English. */
export function nodeLabel(node: Pick<TaxonomyNode, 'id' | 'labels'>, lang: string): string {
  return node.labels[lang] ?? node.labels[lang.split('-')[0] ?? ''] ?? node.labels.en ?? node.id;
}
