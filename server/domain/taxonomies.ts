import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { taxonomyIds, type TaxonomyNode } from '../../schema/taxonomy.ts';
import type { TaxonomyRepository } from '../db/taxonomies.ts';

const TAXONOMY_DIR = fileURLToPath(new URL('../../schema/taxonomies/', import.meta.url));

interface FileNode {
  id: string;
  labels: Record<string, string>;
  children?: FileNode[];
}

const fileNode: z.ZodType<FileNode> = z.lazy(() =>
  z.strictObject({
    id: z.string().regex(/^[a-z0-9_-]+(\/[a-z0-9_-]+)*$/),
    labels: z
      .record(z.string(), z.string().min(1))
      .refine((l) => typeof l.en === 'string', 'English label required'),
    children: z.array(fileNode).optional(),
  }),
);

/** The format of schema/taxonomies/<id>.json: a versioned tree whose node ids are full paths. */
export const taxonomyFileSchema = z.strictObject({
  $schema: z.string().optional(),
  id: z.enum(taxonomyIds),
  name: z.string(),
  version: z.string().regex(/^\d+\.\d+\.\d+$/),
  description: z.string(),
  nodes: z.array(fileNode),
});
export type TaxonomyFile = z.infer<typeof taxonomyFileSchema>;

/** Flattens a file tree parents-first, checking that each id extends its parent's. */
export function flattenTaxonomy(file: TaxonomyFile): Omit<TaxonomyNode, 'origin'>[] {
  const out: Omit<TaxonomyNode, 'origin'>[] = [];
  const seen = new Set<string>();
  const walk = (nodes: FileNode[], parentId: string | null) =>
    nodes.forEach((n, position) => {
      if (parentId !== null && !n.id.startsWith(parentId + '/')) {
        throw new Error(`${file.id}: node ${n.id} must start with its parent's id ${parentId}/`);
      }
      if (seen.has(n.id)) throw new Error(`${file.id}: duplicate node id ${n.id}`);
      seen.add(n.id);
      out.push({ id: n.id, parentId, labels: n.labels, position });
      walk(n.children ?? [], n.id);
    });
  walk(file.nodes, null);
  return out;
}

export function readDefaultTaxonomy(id: string, dir = TAXONOMY_DIR): TaxonomyFile {
  return taxonomyFileSchema.parse(JSON.parse(readFileSync(`${dir}${id}.json`, 'utf8')));
}

/**
 * Loads the shipped taxonomies. Safe on every start: new default nodes are added and default labels
 * refreshed; nothing a maintainer added is touched and no id is removed.
 */
export function syncDefaultTaxonomies(taxonomies: TaxonomyRepository, dir = TAXONOMY_DIR): void {
  for (const id of taxonomyIds) {
    const file = readDefaultTaxonomy(id, dir);
    taxonomies.syncDefault(
      { id: file.id, name: file.name, version: file.version, description: file.description },
      flattenTaxonomy(file),
    );
  }
}
