/**
 * The app's contract, typed once: every method the renderer can invoke (each returns a Promise), every event the
 * engine pushes to the renderer, and a zod schema for each method's arguments. Main (Electron IPC), the preload,
 * the renderer, the headless host (WebSocket) and the CLI all compile against this file, the one entry point: the
 * parts in api/ (one per resource) import nothing from the project except the wire types.
 *
 * Lists are paged and filtered on the engine's side: the renderer never receives 100,000 items at once.
 */
export { LocalPath, localPathSchemas } from './api/shared.ts';
export * from './api/profiles.ts';
export * from './api/batches.ts';
export * from './api/intake.ts';
export * from './api/queue.ts';
export * from './api/exports.ts';
export * from './api/watch.ts';
export * from './api/settings.ts';
export * from './api/methods.ts';
export * from './api/events.ts';
