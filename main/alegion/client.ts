/**
 * `createAlegionClient`: the AlegionClient of `types.ts` on got. Endpoint methods are thin, one file per resource
 * (`assets-api.ts`, `batches-api.ts`, `records-api.ts`, `results-api.ts`): they build the URL, say how the request
 * may be retried, and check the answer against the wire schemas of `common/alegion.ts`, all over one shared core
 * (`client-core.ts`).
 */
import { Workflow } from '../../common/alegion.ts';
import { assetMethods } from './assets-api.ts';
import { batchMethods } from './batches-api.ts';
import { createClientCore } from './client-core.ts';
import type { CreateClientOptions } from './client-core.ts';
import { recordMethods } from './records-api.ts';
import { resultMethods } from './results-api.ts';
import type { AlegionClient } from './types.ts';

export type { CreateClientOptions } from './client-core.ts';

/** The client plus `close()`, which frees its keep-alive sockets (when it owns its agents). */
export type ClosableAlegionClient = AlegionClient & {
  /** Number of logins performed so far. */
  readonly logins: number;
  close(): void;
};

/** Creates the Alegion API client described in `types.ts`. */
export function createAlegionClient(options: CreateClientOptions): ClosableAlegionClient {
  const core = createClientCore(options);
  const { agent, tokens } = core;
  return {
    baseUrl: core.baseUrl,
    get logins() {
      return tokens.logins;
    },
    close() {
      if (!core.ownsAgents) return;
      agent.http.destroy();
      agent.https.destroy();
    },
    async verify() {
      await tokens.get();
    },
    listWorkflows(query = {}) {
      return core.listing(Workflow, '/workflows', { ...query }, 'listWorkflows', undefined);
    },
    ...assetMethods(core),
    ...batchMethods(core),
    ...recordMethods(core),
    ...resultMethods(core),
  };
}
