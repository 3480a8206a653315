import { existsSync } from 'node:fs';
import { build } from 'vite';

export const CHROMIUM = '/usr/bin/chromium';

/** Builds the client once for every browser test file (they serve dist/client). */
export default async function setup(): Promise<void> {
  // Browser tests must fail, not skip, when the browser is missing.
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}; the browser tests need it`);
  // Vitest sets NODE_ENV=test, which would make Vite pick Lit's development build.
  const env = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: 'vite.config.ts', logLevel: 'warn', mode: 'production' });
  } finally {
    process.env.NODE_ENV = env;
  }
}
