/**
 * node:http and node:https, taken as the CommonJS modules they are. `import http from 'node:http'` makes Node build
 * the module's ESM facade, which reads every export, and reading `WebSocket` loads the bundled undici: 50 ms at the
 * start of every command against 5 ms this way. The objects are the same either way. Types come from `import type`.
 */
export const http = process.getBuiltinModule('node:http');
export const https = process.getBuiltinModule('node:https');
