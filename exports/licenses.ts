import { mdText } from './text.ts';

/**
 * Licences whose terms ask that adapted material be shared under the same licence (share-alike, copyleft):
 * Creative Commons BY-SA and BY-NC-SA, the ODbL, the GFDL and the GPL family. Ids as the Hugging Face Hub
 * writes them (`cc-by-sa-4.0`, `odbl`, `gpl-3.0`).
 */
const SHARE_ALIKE = /^(cc-by-(nc-)?sa-[\d.]+|odbl|gfdl|(a|l)?gpl(-[\d.]+)?)$/;

export const isShareAlike = (license: string): boolean => SHARE_ALIKE.test(license);

/**
 * The share-alike licences among `itemLicenses` that `releaseLicense` conflicts with: publishing adapted
 * share-alike material under another licence breaks its terms (an exact id is required: a compatible later
 * version is for the maintainer to confirm).
 */
export function shareAlikeConflicts(releaseLicense: string, itemLicenses: Iterable<string>): string[] {
  return [...new Set(itemLicenses)].filter((l) => isShareAlike(l) && l !== releaseLicense).sort();
}

/**
 * The card's Licences section when the records do not all carry the release's licence: each licence with its
 * number of records and the benchmarks they come from, share-alike ones marked. Empty when there is one licence.
 */
export function licenseSection(
  releaseLicense: string,
  licenses: ReadonlyMap<string, { records: number; benchmarks: ReadonlySet<string> }>,
): string {
  if (licenses.size === 0 || (licenses.size === 1 && licenses.has(releaseLicense))) return '';
  const rows = [...licenses.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return [
    '## Licences\n',
    `This release is published under ${mdText(releaseLicense)}, but its records do not all carry that licence:`,
    "items imported from third-party benchmarks keep their source's licence, which each record states in its",
    '`license` field (and where it comes from in `origin`). Use each record under its own licence.\n',
    '| licence | records | from | share-alike |',
    '| --- | ---: | --- | --- |',
    ...rows.map(
      ([license, { records, benchmarks }]) =>
        `| ${mdText(license)} | ${records} | ${benchmarks.size === 0 ? 'this dataset' : [...benchmarks].sort().map(mdText).join(', ')} | ${isShareAlike(license) ? 'yes' : 'no'} |`,
    ),
    '',
  ].join('\n');
}
