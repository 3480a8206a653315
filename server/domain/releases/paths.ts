// Paths: everything of a release stays under the releases directory.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { datasetSlugSchema } from '../../../schema/dataset.ts';
import { semverSchema } from '../../../schema/release.ts';
import { AppError } from '../../errors.ts';

/** `root/parts…`, refusing anything that would leave `root` (the parts are validated too, belt and braces). */
export function insideDir(root: string, ...parts: string[]): string {
  const base = resolve(root);
  const full = resolve(base, ...parts);
  const rel = relative(base, full);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || parts.some((p) => p.includes('\0'))) {
    throw new AppError(400, 'invalid-path', 'That release path is outside the releases directory');
  }
  return full;
}

/**
 * Where a release lives: `<dir>/<filesDir>/` (the folder frozen in its row when it was registered, never
 * derived from the dataset's current slug) holding the folder `<slug>-<version>/` and its archive, named
 * after the slug frozen in its snapshot.
 */
export function releasePaths(releasesDir: string, filesDir: string, slug: string, version: string) {
  datasetSlugSchema.parse(slug);
  semverSchema.parse(version);
  const name = `${slug}-${version}`;
  const home = insideDir(releasesDir, ...filesDir.split('/'));
  return {
    name,
    home,
    folder: join(home, name),
    archive: join(home, `${name}.tar.gz`),
    archiveName: `${name}.tar.gz`,
  };
}

/** A new release's folder: `<slug>/<version>~<random>`, so no two releases (even of two databases) share one. */
export const newFilesDir = (slug: string, version: string) =>
  `${slug}/${version}~${randomBytes(6).toString('hex')}`;

/** The temporary folders of a build, next to the release's folder: `.building-<folder name>-<random>`. */
export const TEMP_PREFIX = '.building-';
export const tempFolderName = (home: string) =>
  `${TEMP_PREFIX}${basename(home)}-${randomBytes(6).toString('hex')}`;
export const TEMP_NAME = /^\.building-(.+)-[0-9a-f]{12}$/;

export function fsyncDir(path: string) {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
