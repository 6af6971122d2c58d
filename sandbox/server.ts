/**
 * The Alegion sandbox: a faithful local Alegion API (the tutorial's endpoints, status codes and bodies), the
 * signed-URL storage behind it, simulated labelers, and fault injection for tests. `startSandbox()` is the
 * programmatic entry point; `npm run sandbox` wraps it.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isUuid } from '../common/alegion.ts';
import type { Route, SandboxApp } from './app.ts';
import { hasApiKey, hasValidToken } from './auth.ts';
import { startBandwidthCap } from './bandwidth.ts';
import { injectedFailure } from './faults.ts';
import { HttpError, MAX_JSON_BODY_BYTES, invalidUuidMessage, sendError, sendJson } from './http.ts';
import { startLabelers } from './labelers.ts';
import { DEFAULT_OPTIONS, NO_FAULTS } from './options.ts';
import type { FaultSettings, LabelerSettings, SandboxOptions } from './options.ts';
import { seededRandom } from './random.ts';
import { createRouter } from './router.ts';
import { adminRoutes } from './routes/admin.ts';
import { assetRoutes } from './routes/assets.ts';
import { batchRoutes } from './routes/batches.ts';
import { exportRoutes } from './routes/exports.ts';
import { loginRoutes } from './routes/login.ts';
import { recordRoutes } from './routes/records.ts';
import { resultRoutes } from './routes/results.ts';
import { createState } from './state.ts';
import { collectStats } from './stats.ts';
import type { SandboxStats } from './stats.ts';
import {
  ASSET_STORAGE_PREFIX,
  EXPORT_STORAGE_PREFIX,
  handleAssetPut,
  handleExportDownload,
} from './storage.ts';

export type { ExternalStorage, FaultSettings, SandboxOptions } from './options.ts';
export { DEFAULT_OPTIONS, NO_FAULTS } from './options.ts';
export { SANDBOX_WORKFLOWS } from './seed.ts';

/** A sandbox that is listening. */
export interface RunningSandbox {
  /** `http://127.0.0.1:PORT/v1` */
  baseUrl: string;
  /** `http://127.0.0.1:PORT` */
  origin: string;
  port: number;
  options: SandboxOptions;
  /** The same data as `GET /__sandbox/stats`. */
  stats(): SandboxStats;
  /** Changes fault injection while running (the same as `POST /__sandbox/faults`). */
  setFaults(patch: Partial<FaultSettings>): void;
  /** Changes the labelers while running (the same as `POST /__sandbox/labelers`). */
  setLabelers(patch: Partial<LabelerSettings>): void;
  /**
   * Replaces the accepted x-api-key while running (the same as `POST /__sandbox/api-key`): every later request
   * with the old key gets `403`. Access tokens stay valid, as they would when a platform key is rotated.
   */
  setApiKey(apiKey: string): void;
  /** Revokes every access token, so the next API call gets `401` (the same as `POST /__sandbox/tokens/expire`). */
  expireTokens(): void;
  /** Stops listening, drops every connection and removes the data dir if the sandbox made it. */
  close(): Promise<void>;
}

const ROUTES: Route[] = [
  ...loginRoutes,
  ...assetRoutes,
  ...batchRoutes,
  ...recordRoutes,
  ...resultRoutes,
  ...exportRoutes,
  ...adminRoutes,
];

const match = createRouter(ROUTES);

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function countRoute(app: SandboxApp, key: string): void {
  const byRoute = app.state.counters.requestsByRoute;
  byRoute[key] = (byRoute[key] ?? 0) + 1;
}

/** Serves one API or test-endpoint request (storage requests are dispatched before this). */
async function serveApi(app: SandboxApp, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const path = url.pathname;
  const method = req.method ?? 'GET';
  if (!path.startsWith('/v1/') && !path.startsWith('/__sandbox/')) {
    throw new HttpError(404, `No endpoint ${method} ${path}`);
  }
  // Like the platform's gateway: the API key is checked before anything else, /login included.
  if (!hasApiKey(app, req)) throw new HttpError(403, 'Forbidden');
  // Like the gateway: a declared body over the limit is refused before any route looks at it.
  if (Number(req.headers['content-length']) > MAX_JSON_BODY_BYTES) {
    throw new HttpError(413, `Request body is larger than ${MAX_JSON_BODY_BYTES} bytes`, {
      connection: 'close',
    });
  }
  const found = match(method, path);
  if (path.startsWith('/v1/')) {
    const injected = injectedFailure(app);
    if (injected) throw injected;
  }
  if (found.kind === 'none') throw new HttpError(404, `No endpoint ${method} ${path}`);
  if (found.kind === 'wrong-method') {
    throw new HttpError(405, `Request method '${method}' not supported`, { allow: found.allowed.join(', ') });
  }
  countRoute(app, `${method === 'HEAD' ? 'HEAD' : found.route.method} ${found.route.path}`);
  if (found.route.auth === 'token' && !hasValidToken(app, req)) throw new HttpError(401, null);
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(found.params)) {
    if (!isUuid(value)) throw new HttpError(422, invalidUuidMessage(value));
    // UUIDs parse case-insensitively on the platform; ids are kept lower-case here.
    params[name] = value.toLowerCase();
  }
  await found.route.handler({ app, req, res, url, params });
}

/** Counts the request as in flight until its answer is finished or its connection is gone. */
function trackInFlight(app: SandboxApp, req: IncomingMessage, res: ServerResponse): void {
  if (req.url?.startsWith('/__sandbox/')) return;
  const { counters } = app.state;
  counters.inFlight++;
  counters.peakInFlight = Math.max(counters.peakInFlight, counters.inFlight);
  res.once('close', () => counters.inFlight--);
}

async function handle(app: SandboxApp, req: IncomingMessage, res: ServerResponse): Promise<void> {
  app.state.counters.requests++;
  trackInFlight(app, req, res);
  if (app.faults.latencyMs > 0) await delay(app.faults.latencyMs);
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://sandbox.invalid');
  } catch {
    sendJson(res, 400, { message: 'Malformed request target' });
    return;
  }
  // Offline drops everything but the test endpoints, so that a test (or the CLI user) can switch it off again.
  if (app.faults.offline && !url.pathname.startsWith('/__sandbox/')) {
    req.socket.destroy();
    return;
  }
  try {
    if (url.pathname.startsWith(ASSET_STORAGE_PREFIX)) {
      countRoute(app, `${req.method} ${ASSET_STORAGE_PREFIX}:assetId`);
      await handleAssetPut(app, req, res, url);
    } else if (url.pathname.startsWith(EXPORT_STORAGE_PREFIX)) {
      countRoute(app, `${req.method} ${EXPORT_STORAGE_PREFIX}:exportId/:filename`);
      await handleExportDownload(app, req, res, url);
    } else {
      await serveApi(app, req, res, url);
    }
  } catch (error) {
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    if (error instanceof HttpError) {
      sendError(res, error);
      return;
    }
    process.stderr.write(
      `sandbox: ${req.method} ${url.pathname} failed: ${(error as Error).stack ?? String(error)}\n`,
    );
    sendJson(res, 500, { message: 'Internal Server Error' });
  }
}

/** Starts a sandbox on 127.0.0.1; every option not given takes the default of `npm run sandbox`. */
export async function startSandbox(
  overrides: Partial<Omit<SandboxOptions, 'faults'>> & { faults?: Partial<FaultSettings> } = {},
): Promise<RunningSandbox> {
  const { faults: faultOverrides, ...rest } = overrides;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
  const options: SandboxOptions = {
    ...DEFAULT_OPTIONS,
    ...defined,
    faults: { ...NO_FAULTS, ...faultOverrides },
  };
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'alegion-sandbox-')));
  await mkdir(join(dataDir, 'assets'), { recursive: true });
  await mkdir(join(dataDir, 'exports'), { recursive: true });

  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;
  const app: SandboxApp = {
    state: createState(),
    options,
    faults: { ...options.faults },
    apiKey: options.apiKey,
    labelerSettings: {
      taskSeconds: options.taskSeconds,
      exceptionRate: options.exceptionRate,
      cancelRate: options.cancelRate,
      unresolvedExceptionRate: options.unresolvedExceptionRate,
      enabled: options.labelers,
      workers: null,
    },
    dataDir,
    signingKey: randomBytes(32),
    random: seededRandom(seed ^ 0xfa17),
    closed: false,
    origin: '',
    wakeLabelers: () => labelers.wake(),
    setFaults: (patch) => {
      Object.assign(app.faults, patch);
      if (app.faults.offline) for (const socket of sockets) socket.destroy();
    },
    later: (ms, fn) => {
      if (closed) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!closed) fn();
      }, ms);
      timers.add(timer);
    },
  };
  const labelers = startLabelers(app, seed);

  const server = createServer(
    { keepAliveTimeout: 65_000, requestTimeout: 0, headersTimeout: 60_000 },
    (req, res) => {
      void handle(app, req, res);
    },
  );
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable)
      socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // With a bandwidth cap, the relay takes the listen port and the server a free one behind it.
    server.listen(options.bandwidthMbps > 0 ? 0 : options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const serverPort = (server.address() as AddressInfo).port;
  const cap =
    options.bandwidthMbps > 0
      ? await startBandwidthCap(options.port, serverPort, options.bandwidthMbps).catch(
          async (error: unknown) => {
            labelers.stop();
            await new Promise<void>((resolve) => server.close(() => resolve()));
            throw error;
          },
        )
      : null;
  const port = cap?.port ?? serverPort;
  const origin = `http://127.0.0.1:${port}`;
  app.origin = origin;
  options.port = port;

  return {
    baseUrl: `${origin}/v1`,
    origin,
    port,
    options,
    stats: () => collectStats(app),
    setFaults: (patch) => app.setFaults(patch),
    setLabelers: (patch) => {
      Object.assign(app.labelerSettings, patch);
      labelers.wake();
    },
    setApiKey: (apiKey) => {
      if (apiKey === '') throw new Error('setApiKey(): the API key must not be empty');
      app.apiKey = apiKey;
    },
    expireTokens: () => app.state.tokens.clear(),
    close: async () => {
      if (closed) return;
      closed = true;
      app.closed = true;
      labelers.stop();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await stopped;
      await cap?.close();
      if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
