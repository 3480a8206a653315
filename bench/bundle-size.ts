// Initial client JavaScript, gzipped: the scripts index.html loads (entry + modulepreloads),
// not the lazily imported chunks. Run after `npm run build`.  Target: <= 100 KB.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dir = 'dist/client';
const html = readFileSync(join(dir, 'index.html'), 'utf8');
const scripts = [
  ...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="\/?([^"]+\.js)"/g),
].map((m) => m[1]);
let raw = 0;
let gz = 0;
for (const s of new Set(scripts)) {
  const bytes = readFileSync(join(dir, s));
  const zipped = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gz += zipped;
  console.log(`${s}: ${(bytes.length / 1024).toFixed(1)} KB raw, ${(zipped / 1024).toFixed(1)} KB gzipped`);
}
console.log(
  `initial JS: ${(raw / 1024).toFixed(1)} KB raw, ${(gz / 1024).toFixed(1)} KB gzipped (target <= 100 KB)`,
);
if (scripts.length === 0) {
  console.error('no scripts found in index.html — did the build run?');
  process.exit(1);
}
