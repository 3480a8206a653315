import type { ItemFormat } from '../../../schema/item.ts';
import { nodeLabel, type TaxonomyNode } from '../../../schema/taxonomy.ts';
import { en, type MessageKey } from './en.ts';
import { getLocale, msg } from './index.ts';

const known = (key: string): key is MessageKey => Object.hasOwn(en, key);

/** An item field's name for people (`questionEn` → "English gloss"); a field we have no label for keeps its name. */
export function itemFieldLabel(field: string): string {
  const key = `itemField_${field}`;
  return known(key) ? msg(key) : field;
}

/** A format id for people (`open_ended` → "Open-ended"). */
export const formatLabel = (format: ItemFormat): string => msg(`format_${format}`);

/** The letter of a 0-based option index, as the options are shown (0 → A). */
export const optionLetter = (index: number): string =>
  index >= 0 && index < 26 ? String.fromCharCode(65 + index) : String(index + 1);

/** A taxonomy node id for people, in the interface language (`tradition/food` → "Food"); unknown ids stay as they are. */
export function taxonomyLabel(nodes: ReadonlyMap<string, TaxonomyNode>, id: string | null): string {
  if (!id) return '';
  const node = nodes.get(id);
  return node ? nodeLabel(node, getLocale()) : id;
}

/** `text` as a bidirectional isolate (FSI … PDI), so right-to-left text inside a sentence keeps its own order. */
export const isolate = (text: string): string => `\u2068${text}\u2069`;

/** A category of counts and reports (`tradition/food`, `safety:hate`, `*` for all) as its node's label. */
export function categoryLabel(nodes: ReadonlyMap<string, TaxonomyNode>, category: string): string {
  if (category === '' || category === '*') return category || '—';
  return taxonomyLabel(nodes, category.replace(/^safety:/, ''));
}
