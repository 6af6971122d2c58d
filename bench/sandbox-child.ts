/**
 * The sandbox as its own process for the bench, so that its CPU and memory are never counted as a contender's.
 * Usage: `node bench/sandbox-child.ts '<json options>'`. Prints one JSON line `{ baseUrl, origin }` once
 * listening, and closes when stdin ends or on SIGTERM.
 */
import { startSandbox } from '../sandbox/server.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as Parameters<typeof startSandbox>[0];
const sandbox = await startSandbox({ ...options, port: 0 });

let closing = false;
const shutdown = (): void => {
  if (closing) return;
  closing = true;
  void sandbox.close().then(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.stdin.on('end', shutdown);
process.stdin.resume();
process.stdout.write(`${JSON.stringify({ baseUrl: sandbox.baseUrl, origin: sandbox.origin })}\n`);
