import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

/** Every .ts file under a folder of the repository. */
const sources = (dir: string): string[] =>
  readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(join(root, dir, f), 'utf8'));

/** The variable names in the first column of README's configuration table. */
function readmeVariables(): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('### Configuration'), readme.indexOf('### CLI'));
  return [...table.matchAll(/^\| `([A-Z][A-Z0-9_…]*)`/gm)].map((m) => m[1]);
}

describe('README configuration', () => {
  it('names every environment variable the server and the CLI read, and no other', () => {
    const code = sources('server').join('\n');
    // Read directly (env.CS_X, process.env.CS_X) or through the configuration schema (config.ts: `  CS_X: z…`).
    const read = new Set([
      ...[...code.matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]),
      ...[
        ...readFileSync(join(root, 'server/config.ts'), 'utf8').matchAll(/^ {2}([A-Z][A-Z0-9_]*): z\b/gm),
      ].map((m) => m[1]),
    ]);
    expect([...read].sort()).toEqual([
      'CS_ADMIN_PASSWORD',
      'CS_ADMIN_USERNAME',
      'CS_DATABASE_URL',
      'CS_DB_PATH',
      'CS_HF_ENDPOINT',
      'CS_HF_TOKEN',
      'CS_JOB_THREADS',
      'CS_OUTBOUND_ALLOW_PRIVATE',
      'CS_READ_THREADS',
      'CS_RELEASES_DIR',
      'CS_SECURE_COOKIES',
      'CS_TRUST_PROXY',
      'HOST',
      'PORT',
    ]);
    // Model API keys are read by the name a model gives (apiKeyEnv), under one prefix.
    expect(code).toContain('[model.apiKeyEnv]');
    expect(readmeVariables().sort()).toEqual([...read, 'CS_MODEL_KEY_…'].sort());
  });
});
