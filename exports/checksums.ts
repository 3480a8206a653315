import type { ReleaseFile } from '../schema/release.ts';
import { compareIds } from './record.ts';
import { sha256Hex } from './text.ts';

export const checksumsPath = 'SHA256SUMS';

/** SHA256SUMS in `sha256sum` format (hash, two spaces, path), sorted by path; verify with `sha256sum -c`. */
export function sha256sums(files: readonly ReleaseFile[]): string {
  return [...files]
    .filter((f) => f.path !== checksumsPath)
    .sort((a, b) => compareIds(a.path, b.path))
    .map((f) => `${sha256Hex(f.bytes)}  ${f.path}\n`)
    .join('');
}
