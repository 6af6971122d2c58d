/**
 * The one way a CLI command gets an upload service: the client for the connection flags, and the service over the
 * journal in the state directory. A journal another uploader holds ends the command with that said.
 */
import { createAlegionClient } from '../../alegion/index.ts';
import type { ClosableAlegionClient } from '../../alegion/index.ts';
import { JournalBusyError } from '../../uploads/index.ts';
import { resolveStateDir } from '../../uploads/index.ts';
import { createUploadService } from '../../uploads/index.ts';
import type { UploadService, UploadServiceDeps } from '../../uploads/index.ts';
import { CliError } from '../cli-support.ts';
import type { AlegionClientOptions } from '../../alegion/index.ts';

/** The client and the upload service a command drives; closing the service is the command's to do. */
export interface OpenedUploads {
  client: ClosableAlegionClient;
  service: UploadService;
  /** The state directory the journal is in. */
  stateDir: string;
}

/** Opens the upload service for a connection and `--state-dir` (the app's state folder when not given). */
export async function openUploadService(
  connection: AlegionClientOptions,
  stateDir: string | undefined,
  options: Omit<UploadServiceDeps, 'client' | 'account' | 'stateDir'> = {},
): Promise<OpenedUploads> {
  // The service hears of the client's 429 and 503 retries (it narrows its concurrency); it is made second.
  let service: UploadService | undefined;
  const client = createAlegionClient({
    ...connection,
    onEvent: (event) => {
      connection.onEvent?.(event);
      service?.clientEvent(event);
    },
  });
  const dir = resolveStateDir(stateDir);
  try {
    service = await createUploadService({
      ...options,
      client,
      account: connection.username,
      stateDir: dir,
    });
    return { client, service, stateDir: dir };
  } catch (error) {
    client.close();
    if (error instanceof JournalBusyError) throw new CliError(error.message);
    throw error;
  }
}
