/**
 * The engine's default concurrency, which the floor client copies so that the two differ only in what the engine
 * adds (journal, hashing, probing, progress), never in how many requests are in flight.
 */

/** API requests and signed-URL PUTs in flight. Keep in step with the upload engine's defaults. */
export const ENGINE_CONCURRENCY = { api: 8, put: 8 } as const;
