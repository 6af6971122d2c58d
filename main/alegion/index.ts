/** The Alegion client as the hosts see it: creating one, its options and types, its errors, and paging. */
export { createAlegionClient } from './client.ts';
export type { ClosableAlegionClient } from './client.ts';
export type { AlegionClient, AlegionClientOptions } from './types.ts';
export { AlegionError, NotFoundError } from './errors.ts';
export { collect } from './pagination.ts';
