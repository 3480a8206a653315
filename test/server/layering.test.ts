import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The dependency rule of docs/architecture.md ("Shape"), read from the source files themselves:
// routes → domain → data access, and the HTTP plumbing knows no router.

const root = resolve(import.meta.dirname, '../..');

interface Source {
  /** Path from the repository root, with forward slashes. */
  path: string;
  lines: string[];
}

function sources(dir: string): Source[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => ({
      path: join(dir, f).replaceAll('\\', '/'),
      lines: readFileSync(join(root, dir, f), 'utf8').split('\n'),
    }));
}

/** Static imports, re-exports, dynamic imports and `new URL(…, import.meta.url)` module references. */
const MODULE_REFERENCE =
  /\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|new URL\(\s*['"]([^'"]+)['"]/g;

/** Each module a line of `source` refers to, resolved from the repository root, as `path:line → module`. */
function references(source: Source): { at: string; module: string }[] {
  return source.lines.flatMap((line, i) =>
    [...line.matchAll(MODULE_REFERENCE)]
      .map((m) => m[1] ?? m[2] ?? m[3] ?? m[4])
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => ({
        at: `${source.path}:${i + 1}`,
        module: relative(root, resolve(root, dirname(source.path), spec)).replaceAll('\\', '/'),
      })),
  );
}

/** Lines of `source` matching `pattern`, as `path:line: text`. */
const linesMatching = (source: Source, pattern: RegExp) =>
  source.lines.flatMap((line, i) => (pattern.test(line) ? [`${source.path}:${i + 1}: ${line.trim()}`] : []));

describe('layering: routes → domain → data access', () => {
  const routes = sources('server/routes');

  it('no route imports from server/db/ (types shared with the client come from schema/)', () => {
    const offenders = routes
      .flatMap(references)
      .filter((r) => r.module.startsWith('server/db/'))
      .map((r) => `${r.at} → ${r.module}`);
    expect(offenders).toEqual([]);
  });

  it('no route names the repositories object: every read and write goes through a domain service', () => {
    expect(routes.flatMap((s) => linesMatching(s, /\brepos\b|\bRepositories\b/))).toEqual([]);
  });

  it('no route builds a domain service: createServices builds each once, in server/app.ts', () => {
    expect(routes.flatMap((s) => linesMatching(s, /\bcreate\w*Service\s*\(/))).toEqual([]);
    const app = sources('server').find((s) => s.path === 'server/app.ts')!;
    expect(linesMatching(app, /\bcreateServices\s*\(/)).toHaveLength(1);
  });

  it('the app and the HTTP plumbing (the JSON-only guard) import no router but the API root', () => {
    const plumbing = [...sources('server/http'), sources('server').find((s) => s.path === 'server/app.ts')!];
    const offenders = plumbing
      .flatMap(references)
      .filter((r) => r.module.startsWith('server/routes/') && r.module !== 'server/routes/index.ts')
      .map((r) => `${r.at} → ${r.module}`);
    expect(offenders).toEqual([]);
  });
});
