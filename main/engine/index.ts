/**
 * The engine as the hosts see it: creating it over its ports, calling it on behalf of a renderer (dispatch), and
 * the ports' parts a host supplies (services, settings and secret stores, download links, log file, allowed roots).
 */
export { createEngine } from './create-engine.ts';
export type { Engine } from './create-engine.ts';
export { dispatch } from './dispatch.ts';
export type { PathCheck } from './dispatch.ts';
export { defaultServices } from './default-services.ts';
export { createLogFile } from './log-file.ts';
export type { SecretStorePort, ServicePorts, SettingsStorePort } from './ports.ts';
export type { DownloadLinkPort } from './saved-files.ts';
export { checkPathAllowed, resolveRoots } from './allowed-roots.ts';
