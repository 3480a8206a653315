import type { ReleaseSnapshot } from '../schema/release.ts';

/** BibTeX text: whitespace collapsed, braces, backslashes and TeX's special characters escaped. */
const bibText = (value: string) =>
  value
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\{}&%$#_^~]/g, (c) => (c === '\\' ? '\\textbackslash{}' : `\\${c}`));

/** A URL inside braces: the braces it may hold percent-encoded, the rest as it is (TeX's url reads it raw). */
const bibUrl = (url: string) => url.replace(/[{}\\]/g, (c) => encodeURIComponent(c));

/**
 * The release's BibTeX entry (the card's Citation section and croissant.json's citeAs): a `@misc` keyed by
 * slug and version, with the dataset's name, the version, the release year, its home page when it has one,
 * and the release date.
 */
export function bibtexCitation(
  snapshot: Pick<ReleaseSnapshot, 'dataset' | 'version' | 'releasedAt'>,
): string {
  const key = `${snapshot.dataset.slug}-${snapshot.version}`.replace(/[^A-Za-z0-9_.-]/g, '_');
  return [
    `@misc{${key},`,
    `  title = {${bibText(snapshot.dataset.name)}},`,
    `  version = {${bibText(snapshot.version)}},`,
    `  year = {${snapshot.releasedAt.slice(0, 4)}},`,
    ...(snapshot.dataset.url ? [`  url = {${bibUrl(snapshot.dataset.url)}},`] : []),
    `  note = {Released ${snapshot.releasedAt}}`,
    '}',
  ].join('\n');
}
