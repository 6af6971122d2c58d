/**
 * The sandbox's settings: the startup flags of `npm run sandbox` and the fault switches, with their defaults.
 */

/** Fault injection, changeable while running (`POST /__sandbox/faults`, `RunningSandbox.setFaults`). */
export interface FaultSettings {
  /** Share of signed-URL PUTs whose connection is destroyed after `putCutAfterBytes`. */
  putCutRate: number;
  putCutAfterBytes: number;
  /** Share of export-download GETs whose connection is destroyed after `downloadCutAfterBytes` body bytes. */
  downloadCutRate: number;
  downloadCutAfterBytes: number;
  /** Share of API requests (every `/v1` route, `/login` included) answered `500` or `503`. */
  errorRate: number;
  /** Share of API requests answered `429` with `Retry-After: retryAfterSeconds`. */
  rateLimitRate: number;
  retryAfterSeconds: number;
  /** Milliseconds added to every request (API and storage). */
  latencyMs: number;
  /**
   * While true, every open connection is destroyed at once, and every new one at its first request (except
   * requests to `/__sandbox/`, so the switch can be turned off again over HTTP).
   */
  offline: boolean;
}

/**
 * A storage other than the sandbox's own (a real S3 implementation, in tests), for uploads, exports or both. Set in
 * code only (`startSandbox`), never by a flag; what it leaves out stays with the sandbox's own storage.
 */
export interface ExternalStorage {
  /** Upload sessions hand out its signed PUT links, and closing a session asks it what arrived. */
  uploads?: {
    /** A signed PUT link for the asset's file that lives `ttlSeconds` (the sandbox's `signedUrlTtl`). */
    uploadUrl(asset: { id: string; fileName: string | null }, ttlSeconds: number): Promise<string>;
    /** Size and MD5 of the file that arrived for the asset, or null when none did. */
    storedFile(assetId: string): Promise<{ size: number; md5: string } | null>;
  };
  /**
   * The export download redirects to its signed GET link for the file the sandbox wrote at `path` (the storage
   * takes its copy from there), living `ttlSeconds` (the sandbox's `downloadUrlTtl`).
   */
  exportUrl?(file: { id: string; filename: string; path: string }, ttlSeconds: number): Promise<string>;
}

export interface SandboxOptions {
  /** Listen port on 127.0.0.1 (0 picks a free one). */
  port: number;
  apiKey: string;
  username: string;
  password: string;
  /** Seconds an access token lives (`expires_in`). */
  tokenTtl: number;
  /** Seconds an upload URL lives. */
  signedUrlTtl: number;
  /** Seconds an export download URL lives. */
  downloadUrlTtl: number;
  /** Seconds a simulated labeler takes per task (0 = immediately). */
  taskSeconds: number;
  /** Share of tasks that end in `exception`. */
  exceptionRate: number;
  /** Share of exceptions that are then canceled (the rest are restarted and complete). */
  cancelRate: number;
  /**
   * Share of exceptions never resolved: they stay in `exception` (final, no result), like a review queue nobody
   * works through during the run. `cancelRate` applies to the other exceptions.
   */
  unresolvedExceptionRate: number;
  /** Makes the labelers' choices reproducible. */
  seed?: number;
  /** Where uploaded files and exports are stored (default: a fresh temp dir, removed on close). */
  dataDir?: string;
  /** Whether simulated labelers work tasks at all. */
  labelers: boolean;
  faults: FaultSettings;
  /**
   * Megabits per second in each direction, shared by every connection (API and storage alike); 0 = no cap.
   * Set at start only.
   */
  bandwidthMbps: number;
  /** Another storage behind the sandbox, for uploads, exports or both (see ExternalStorage). */
  externalStorage?: ExternalStorage;
}

/** Fault settings with every fault off. */
export const NO_FAULTS: FaultSettings = {
  putCutRate: 0,
  putCutAfterBytes: 0,
  downloadCutRate: 0,
  downloadCutAfterBytes: 0,
  errorRate: 0,
  rateLimitRate: 0,
  retryAfterSeconds: 1,
  latencyMs: 0,
  offline: false,
};

/** The defaults of the flag table. */
export const DEFAULT_OPTIONS: SandboxOptions = {
  port: 4010,
  apiKey: 'sandbox-api-key',
  username: 'sandbox',
  password: 'sandbox',
  tokenTtl: 3600,
  signedUrlTtl: 3600,
  downloadUrlTtl: 10,
  taskSeconds: 2,
  exceptionRate: 0.05,
  cancelRate: 0.5,
  unresolvedExceptionRate: 0,
  labelers: true,
  bandwidthMbps: 0,
  faults: NO_FAULTS,
};

/** Labeler settings changeable while running (`POST /__sandbox/labelers`). */
export interface LabelerSettings {
  taskSeconds: number;
  exceptionRate: number;
  cancelRate: number;
  /** Share of exceptions that stay in `exception` for good. */
  unresolvedExceptionRate: number;
  /**
   * How many tasks are worked at once (the oldest queued first), or null for every task in parallel. With a limit
   * the labelers finish at a steady `workers / taskSeconds` tasks per second, as a team of that size would.
   */
  workers: number | null;
  /** When false, labelers stop picking up tasks (tasks already started still finish). */
  enabled: boolean;
}
