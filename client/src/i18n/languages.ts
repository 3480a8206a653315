import { canonicalLanguageTag } from '../../../schema/common.ts';
import { getLocale, languageName } from './index.ts';

/**
 * Languages offered by the language picker when the choice is open (a maintainer's filters, a user's languages):
 * widely written languages and those of the demo data. Any other BCP-47 tag can still be typed ("Other…").
 */
export const COMMON_LANGUAGES: readonly string[] = (
  'af am ar az be bg bn bs ca ckb cs cy da de el en es et eu fa fi fil fr ga gl gu ha he hi hr hu hy ' +
  'id ig is it ja jv ka kk km kn ko ky lo lt lv mk ml mn mr ms my ne nl no pa pl ps pt ro ru si sk sl ' +
  'so sq sr su sv sw ta te th tr uk ur uz vi xh yo yue zh zh-Hans zh-Hant zu'
).split(' ');

/** Whether `tag` is a language tag the server accepts for new data (see `languageTag` in schema/common.ts). */
export const isLanguageTag = (tag: string): boolean => canonicalLanguageTag(tag) !== null;

/** Tags sorted by their names in the interface language. */
export function byName(tags: readonly string[]): string[] {
  const collator = new Intl.Collator(getLocale());
  return [...new Set(tags)].sort((a, b) => collator.compare(languageName(a), languageName(b)));
}
