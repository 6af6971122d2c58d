/**
 * What every route handler of the sandbox gets: the state, the settings, and the collaborators (labelers, storage
 * signing), plus the request at hand.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultSettings, LabelerSettings, SandboxOptions } from './options.ts';
import type { Random } from './random.ts';
import type { SandboxState } from './state.ts';

/** The running sandbox as its routes see it. */
export interface SandboxApp {
  state: SandboxState;
  options: SandboxOptions;
  faults: FaultSettings;
  labelerSettings: LabelerSettings;
  /** The x-api-key accepted now: `options.apiKey` until a test rotates it (`POST /__sandbox/api-key`). */
  apiKey: string;
  /** Root of stored files (assets/, exports/). */
  dataDir: string;
  /** Key of the storage URL signatures. */
  signingKey: Buffer;
  /** Fault decisions (seeded when the sandbox is). */
  random: Random;
  /** True once `close()` began: background work stops quietly. */
  closed: boolean;
  /** `http://127.0.0.1:PORT`, once listening. */
  origin: string;
  /** Tells the labelers that there may be new work (a record created, a batch enabled). */
  wakeLabelers(): void;
  /** Changes fault injection (going offline drops every connection). */
  setFaults(patch: Partial<FaultSettings>): void;
  /** Runs `fn` after `ms` unless the sandbox closes first. */
  later(ms: number, fn: () => void): void;
}

/** One request, matched to a route. */
interface RouteContext {
  app: SandboxApp;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
}

type RouteHandler = (context: RouteContext) => void | Promise<void>;

/** One endpoint: `:name` segments are UUID path parameters (anything else gets the platform's `422`). */
export interface Route {
  method: string;
  path: string;
  /** `token`: x-api-key and a bearer token; `key`: x-api-key only. */
  auth: 'token' | 'key';
  handler: RouteHandler;
}
