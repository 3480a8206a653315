// Near-duplicate questions: candidates sharing trigrams from the search index, ranked by trigram similarity.
import type { SimilarItem, SimilarItemsQuery } from '../../../schema/item.ts';
import type { User } from '../../../schema/user.ts';
import type { Repositories } from '../../db/repositories.ts';
import { canUseLanguage } from '../auth.ts';
import { itemScope } from './visibility.ts';

/** Distinct character trigrams of a text, case- and whitespace-insensitive. */
export function trigrams(s: string): Set<string> {
  const chars = [
    ...s
      .normalize('NFC')
      .toLowerCase()
      .replace(/[\s\p{Cc}]+/gu, ' ')
      .trim(),
  ];
  const out = new Set<string>();
  if (chars.length > 0 && chars.length < 3) out.add(chars.join(''));
  for (let i = 0; i + 3 <= chars.length; i++) out.add(chars.slice(i, i + 3).join(''));
  return out;
}

/** Jaccard similarity of two trigram sets: |A ∩ B| / |A ∪ B|. */
export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  for (const g of a) if (b.has(g)) shared++;
  return shared / (a.size + b.size - shared);
}

export const SIMILARITY_THRESHOLD = 0.3;
const SIMILAR_RESULTS = 5;
const SIMILAR_CANDIDATES = 50;
/** Enough trigrams to find near-duplicates of a long question without an enormous FTS query. */
const MAX_QUERY_TRIGRAMS = 32;

/** Up to `n` elements spread evenly over `xs`, so a long question is sampled along its whole length. */
const spread = <T>(xs: T[], n: number): T[] =>
  xs.length <= n ? xs : Array.from({ length: n }, (_, i) => xs[Math.floor((i * xs.length) / n)]);

/** Near-duplicate questions in the same dataset and language, most similar first. */
export async function similarItems(
  repos: Repositories,
  user: User,
  query: SimilarItemsQuery,
): Promise<SimilarItem[]> {
  const grams = trigrams(query.q);
  if ([...query.q.trim()].length < 3 || !canUseLanguage(user, query.language)) return [];
  const candidates = await repos.items.similarCandidates({
    datasetId: query.dataset,
    language: query.language,
    trigrams: spread([...grams], MAX_QUERY_TRIGRAMS),
    excludeId: query.exclude,
    scope: itemScope(user),
    limit: SIMILAR_CANDIDATES,
  });
  return candidates
    .map((c) => ({ ...c, similarity: jaccard(grams, trigrams(c.question)) }))
    .filter((c) => c.similarity >= SIMILARITY_THRESHOLD)
    .sort((a, b) => b.similarity - a.similarity || a.id - b.id)
    .slice(0, SIMILAR_RESULTS)
    .map((c) => ({ ...c, similarity: Math.round(c.similarity * 1000) / 1000 }));
}
