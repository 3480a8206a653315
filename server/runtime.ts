import { fileURLToPath } from 'node:url';

/**
 * How this server runs: as the compiled JavaScript in build/ (`npm start`, `npm run demo`), or as the
 * TypeScript sources through tsx (development, tests, benchmarks). The two differ only in where modules are:
 * build/server/x.js instead of server/x.ts.
 */
export const compiled = import.meta.url.endsWith('.js');

/** The repository's root: files that are not code (migrations, taxonomies, the built client) are read from it. */
const ROOT = new URL(compiled ? '../../' : '../', import.meta.url);

/** A path under the repository's root, e.g. `fromRoot('schema/migrations/')`. */
export const fromRoot = (path: string): string => fileURLToPath(new URL(path, ROOT));

/**
 * A module's URL as written in the sources (`new URL('./tasks.ts', import.meta.url)`) turned into the module
 * this build has: the same in the sources, the `.js` file next to it in the compiled server.
 */
export const moduleUrl = (url: URL): URL => (compiled ? new URL(url.href.replace(/\.ts$/, '.js')) : url);
