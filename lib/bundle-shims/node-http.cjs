// `node:http` loaded through require. Node's ESM loader builds an import's namespace by reading
// every export of a built-in, and node:http's WebSocket, CloseEvent and MessageEvent are lazy
// getters that load undici (about 20 ms of a cold start, bench table 2); require reads none of them. The bundles
// alias `node:http` here (lib/function.ts, BUNDLE_ALIASES), so the SDK's HTTP handler takes this.
module.exports = require('http');
