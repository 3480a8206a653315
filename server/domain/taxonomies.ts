import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import {
  taxonomyIds,
  type Taxonomy,
  type TaxonomyNode,
  type createTaxonomyNodeSchema,
  type updateTaxonomyNodeSchema,
} from '../../schema/taxonomy.ts';
import { semverSchema } from '../../schema/release.ts';
import type { TaxonomyRepository } from '../db/repositories.ts';
import { AppError, conflict, notFound } from '../errors.ts';
import { fromRoot } from '../runtime.ts';

const TAXONOMY_DIR = fromRoot('schema/taxonomies/');

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
  version: semverSchema,
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
  return taxonomyFileSchema.parse(JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8')));
}

/**
 * Loads the shipped taxonomies. Safe on every start: new default nodes are added and default labels
 * refreshed; nothing a maintainer added is touched and no id is removed.
 */
export async function syncDefaultTaxonomies(
  taxonomies: TaxonomyRepository,
  dir = TAXONOMY_DIR,
): Promise<void> {
  for (const id of taxonomyIds) {
    const file = readDefaultTaxonomy(id, dir);
    await taxonomies.syncDefault(
      { id: file.id, name: file.name, version: file.version, description: file.description },
      flattenTaxonomy(file),
    );
  }
}

/** Longest node id an item can refer to (the item schema's limit). */
const MAX_NODE_ID = 200;

async function existingTaxonomy(taxonomies: TaxonomyRepository, taxonomyId: string): Promise<Taxonomy> {
  const t = await taxonomies.get(taxonomyId);
  if (!t) throw notFound('Taxonomy');
  return t;
}

/**
 * Adds a maintainer's node. Its id is the parent's id + '/' + slug (the slug alone at the root)
 * and never changes afterwards.
 */
export async function addTaxonomyNode(
  taxonomies: TaxonomyRepository,
  taxonomyId: string,
  input: z.output<typeof createTaxonomyNodeSchema>,
): Promise<TaxonomyNode> {
  await existingTaxonomy(taxonomies, taxonomyId);
  const { parentId, slug, labels } = input;
  if (parentId !== null && !(await taxonomies.getNode(taxonomyId, parentId))) {
    throw new AppError(400, 'unknown-parent', `No node ${parentId} in taxonomy ${taxonomyId}`, {
      issues: [{ path: 'parentId', code: 'unknown-parent', message: 'The parent node does not exist' }],
    });
  }
  const id = parentId === null ? slug : `${parentId}/${slug}`;
  if (id.length > MAX_NODE_ID) {
    throw new AppError(400, 'invalid-input', 'The node id would be too long', {
      issues: [{ path: 'slug', code: 'too_big', message: `Node ids are at most ${MAX_NODE_ID} characters` }],
    });
  }
  if (await taxonomies.getNode(taxonomyId, id)) {
    throw conflict('node-exists', `Node ${id} already exists in taxonomy ${taxonomyId}`, { id });
  }
  return await taxonomies.addNode(taxonomyId, { id, parentId, labels: normalizeLabels(labels) });
}

/** Relabels or reorders a node. Labels merge per language; ids never change. */
export async function updateTaxonomyNode(
  taxonomies: TaxonomyRepository,
  taxonomyId: string,
  nodeId: string,
  changes: z.output<typeof updateTaxonomyNodeSchema>,
): Promise<TaxonomyNode> {
  await existingTaxonomy(taxonomies, taxonomyId);
  const node = await taxonomies.updateNode(taxonomyId, nodeId, {
    ...(changes.labels ? { labels: normalizeLabels(changes.labels) } : {}),
    ...(changes.position === undefined ? {} : { position: changes.position }),
  });
  if (!node) throw notFound('Taxonomy node');
  return node;
}

/** Taxonomies as the API offers them: read by everyone signed in, extended and relabelled by maintainers. */
export function createTaxonomyService(taxonomies: TaxonomyRepository) {
  return {
    list: async (): Promise<Taxonomy[]> => await taxonomies.list(),
    get: (id: string): Promise<Taxonomy> => existingTaxonomy(taxonomies, id),
    addNode: (taxonomyId: string, input: z.output<typeof createTaxonomyNodeSchema>) =>
      addTaxonomyNode(taxonomies, taxonomyId, input),
    updateNode: (taxonomyId: string, nodeId: string, changes: z.output<typeof updateTaxonomyNodeSchema>) =>
      updateTaxonomyNode(taxonomies, taxonomyId, nodeId, changes),
  };
}
export type TaxonomyService = ReturnType<typeof createTaxonomyService>;

function normalizeLabels(labels: Record<string, string>): Record<string, string> {
  const entries = Object.entries(labels).map(([lang, label]): [string, string] => [
    lang,
    label.trim().normalize('NFC'),
  ]);
  const blank = entries.filter(([, label]) => !label).map(([lang]) => lang);
  if (blank.length > 0) {
    throw new AppError(400, 'invalid-input', 'Labels must not be blank', {
      issues: blank.map((lang) => ({ path: `labels.${lang}`, code: 'too_small', message: 'Write a label' })),
    });
  }
  return Object.fromEntries(entries);
}
