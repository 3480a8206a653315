// Preloaded by .ci/smoke-compiled.sh: the compiled server must never load tsx (on any thread: workers
// inherit the preload), so resolving it throws.
const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (/(^|\/)tsx(\/|$)/.test(request)) throw new Error(`the compiled server loaded ${request}`);
  return resolve.call(this, request, ...rest);
};
