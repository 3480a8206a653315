#!/usr/bin/env bash
# The compiled server (build/, made by `npm ci` through `prepare`) starts with no TypeScript loader at all:
# it migrates a fresh database, seeds the demo, cuts the demo release on its job and file-writer threads,
# warms its job threads (every task module they preload loads), and answers over HTTP. .ci/no-tsx.cjs makes any attempt to load tsx (in any thread) fail the start.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
CS_DB_PATH="$work/demo.sqlite" CS_RELEASES_DIR="$work/releases" PORT=0 HOST=127.0.0.1 \
  node -r ./.ci/no-tsx.cjs build/server/main.js --demo >"$work/out.txt" 2>&1 &
pid=$!
for _ in $(seq 1 240); do
  grep -q '^Demo release' "$work/out.txt" && grep -q 'job threads ready' "$work/out.txt" && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/out.txt"; echo 'compiled server stopped' >&2; exit 1; }
  sleep 0.5
done
grep -q '^Demo release' "$work/out.txt" || { cat "$work/out.txt"; echo 'no demo release' >&2; exit 1; }
# The job threads warmed at start loaded every compiled task module.
grep -q 'job threads ready' "$work/out.txt" || { cat "$work/out.txt"; echo 'job threads not warmed' >&2; exit 1; }
if grep -q 'could not load' "$work/out.txt"; then cat "$work/out.txt"; echo 'a job thread could not load a module' >&2; exit 1; fi
url=$(grep -o 'http://[0-9.:]*' "$work/out.txt" | head -1)
node -e "fetch('$url/api/health').then(async (r) => { console.log('compiled server:', r.status, await r.text()); process.exit(r.ok ? 0 : 1); })"
