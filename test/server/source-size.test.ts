import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Where the application's code lives: the server, what it shares with the client, the writers, the client, benchmarks. */
const SOURCE_DIRS = ['server', 'schema', 'exports', 'client/src', 'bench'];
const SOURCE_FILE = /\.(ts|js|mjs|cjs)$/;

/** Data, not code: the demo's content and the interface's message catalogues. Only these may be longer. */
const DATA_FILES = new Set(['server/demo/items.ts', 'client/src/i18n/en.ts', 'client/src/i18n/ko.ts']);

const MAX_LINES = 400;

function sourceFiles(): string[] {
  return SOURCE_DIRS.flatMap((dir) =>
    readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && SOURCE_FILE.test(e.name))
      .map((e) => relative(root, join(e.parentPath, e.name)).split('\\').join('/')),
  ).sort();
}

const lineCount = (path: string) => readFileSync(join(root, path), 'utf8').split('\n').length - 1;

describe('the source tree', () => {
  it('finds the source files it measures, the data files among them', () => {
    const files = sourceFiles();
    expect(files).toContain('server/app.ts');
    expect(files).toContain('client/src/main.ts');
    for (const data of DATA_FILES) expect(files).toContain(data);
  });

  it(`has no source file over ${MAX_LINES} lines outside the data files (a module that grows past it becomes a folder of parts)`, () => {
    const over = sourceFiles()
      .filter((f) => !DATA_FILES.has(f))
      .map((f) => ({ file: f, lines: lineCount(f) }))
      .filter((f) => f.lines > MAX_LINES);
    expect(over).toEqual([]);
  });
});
