/**
 * The engine's default concurrency, which the floor client copies so that the two differ only in what the engine
 * adds (journal, hashing, probing, progress), never in how many requests are in flight.
 */
import { DEFAULT_LIMITS } from '../main/uploads/upload-service.ts';

/** API requests and signed-URL PUTs in flight, as the upload engine does by default. */
export const ENGINE_CONCURRENCY = {
  api: DEFAULT_LIMITS.concurrency,
  put: DEFAULT_LIMITS.putConcurrency,
} as const;
