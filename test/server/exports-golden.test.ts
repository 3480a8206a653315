import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildReleaseFiles } from '../../exports/index.ts';
import type { ReleaseFile } from '../../schema/release.ts';
import { goldenDir, loadSnapshot } from '../fixtures/exports/fixture.ts';

/**
 * Golden files: test/fixtures/exports/golden/ holds the reviewed release of the fixture snapshots.
 * After an intended format change, regenerate with UPDATE_GOLDEN=1 and read every diff before committing.
 */
const update = process.env.UPDATE_GOLDEN === '1';
const goldenRoot = fileURLToPath(goldenDir);

function build(): ReleaseFile[] {
  return buildReleaseFiles(loadSnapshot('snapshot.json'), loadSnapshot('previous-snapshot.json'));
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(goldenRoot, `${e.parentPath}/${e.name}`).split('\\').join('/'))
    .sort();
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('buildReleaseFiles golden files', () => {
  const files = build();

  if (update) {
    for (const file of files) {
      const target = fileURLToPath(new URL(file.path, goldenDir));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, file.bytes);
    }
  }

  it('produces exactly the reviewed set of files, in path order', () => {
    const paths = files.map((f) => f.path);
    expect(paths).toEqual([...paths].sort());
    expect(paths).toEqual(listFiles(goldenRoot));
  });

  for (const file of files) {
    it(`${file.path} matches its golden file byte for byte`, () => {
      const golden = readFileSync(new URL(file.path, goldenDir));
      // Compare as text first for a readable diff, then as bytes (BOM, CRLF).
      expect(new TextDecoder().decode(file.bytes)).toBe(new TextDecoder().decode(golden));
      expect(Buffer.from(file.bytes).equals(golden)).toBe(true);
    });
  }
});

describe('release determinism and integrity', () => {
  it('building the same release twice gives identical SHA-256 for every file', () => {
    const first = build().map((f) => [f.path, sha256(f.bytes)]);
    const second = build().map((f) => [f.path, sha256(f.bytes)]);
    expect(second).toEqual(first);
  });

  it('does not depend on the order items arrive in', () => {
    const snapshot = loadSnapshot('snapshot.json');
    const previous = loadSnapshot('previous-snapshot.json');
    const shuffled = { ...snapshot, items: [...snapshot.items].reverse() };
    const a = buildReleaseFiles(snapshot, previous).map((f) => sha256(f.bytes));
    const b = buildReleaseFiles(shuffled, previous).map((f) => sha256(f.bytes));
    expect(b).toEqual(a);
  });

  it('SHA256SUMS lists every other file with its hash, sorted by path, in sha256sum format', () => {
    const files = build();
    const sums = files.find((f) => f.path === 'SHA256SUMS');
    const lines = new TextDecoder().decode(sums?.bytes).split('\n').filter(Boolean);
    const expected = files
      .filter((f) => f.path !== 'SHA256SUMS')
      .map((f) => `${sha256(f.bytes)}  ${f.path}`)
      .sort((a, b) => (a.slice(66) < b.slice(66) ? -1 : 1));
    expect(lines).toEqual(expected);
  });

  it('croissant.json records the size and SHA-256 of every data file it describes', () => {
    const files = build();
    const croissant = JSON.parse(
      new TextDecoder().decode(files.find((f) => f.path === 'croissant.json')?.bytes),
    ) as { distribution: { '@type': string; contentUrl?: string; sha256?: string; contentSize?: string }[] };
    const objects = croissant.distribution.filter((d) => d['@type'] === 'cr:FileObject');
    expect(objects.map((o) => o.contentUrl)).toEqual([
      'csv/test.csv',
      'data/ar/test-00000-of-00001.parquet',
      'data/ar/test.jsonl',
      'data/ko/test-00000-of-00001.parquet',
      'data/ko/test.jsonl',
      'data/sw/test-00000-of-00001.parquet',
      'data/sw/test.jsonl',
      'data/th/test-00000-of-00001.parquet',
      'data/th/test.jsonl',
    ]);
    for (const o of objects) {
      const file = files.find((f) => f.path === o.contentUrl);
      expect(o.sha256).toBe(sha256(file?.bytes ?? new Uint8Array()));
      expect(o.contentSize).toBe(`${file?.bytes.byteLength} B`);
    }
  });

  it('JSONL files are UTF-8 without BOM, LF-terminated, one record per line, sorted by id', () => {
    for (const file of build().filter((f) => f.path.startsWith('data/') && f.path.endsWith('.jsonl'))) {
      const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(file.bytes);
      expect(text.startsWith('\uFEFF')).toBe(false);
      expect(text).not.toContain('\r');
      expect(text.endsWith('\n')).toBe(true);
      const ids = text
        .split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { id: string }).id);
      expect(ids).toEqual([...ids].sort());
    }
  });
});
