/**
 * How the engine reacts to an error: a global condition pauses the whole queue with one message; a network error
 * sends the engine offline (no retry budget used); a transient error is retried with backoff within the item's
 * budget; anything else fails that item alone, with a reason a person can act on.
 */
import {
  AlegionError,
  ApiKeyRejectedError,
  LoginRejectedError,
  NotFoundError,
  isNetworkError,
} from '../../alegion/errors.ts';
import { isDiskFull } from '../journal/journal.ts';
import { describeFsError } from '../intake/fs-errors.ts';

type FailureKind = 'global' | 'network' | 'transient' | 'item' | 'aborted';

/** An item-level failure raised by the engine itself (file changed, ETag mismatch, …). */
export class ItemFailure extends Error {
  readonly transient: boolean;
  constructor(message: string, transient = false) {
    super(message);
    this.name = 'ItemFailure';
    this.transient = transient;
  }
}

/** A new batch remembered by the journal is gone from the server, and records were already made in it. */
export class BatchGoneError extends Error {
  constructor(name: string, batchId: string, host: string) {
    super(
      `batch '${name}' (${batchId}) remembered from an earlier run no longer exists on ${host}; pass --batch <id> or choose another --new-batch name`,
    );
    this.name = 'BatchGoneError';
  }
}

/** What an error means for the queue, and the sentence to show. */
export function classifyFailure(error: unknown): { kind: FailureKind; message: string } {
  if (error instanceof ApiKeyRejectedError) return { kind: 'global', message: error.message };
  if (error instanceof BatchGoneError) return { kind: 'global', message: error.message };
  if (error instanceof LoginRejectedError) return { kind: 'global', message: error.message };
  if (error instanceof NotFoundError && (error.resource === 'workflow' || error.resource === 'batch')) {
    return { kind: 'global', message: error.message };
  }
  if (isDiskFull(error)) return { kind: 'global', message: 'the disk is full: free some space, then resume' };
  if (error instanceof AlegionError && error.code === 'unauthorized')
    return { kind: 'global', message: error.message };
  if (error instanceof AlegionError && error.code === 'canceled')
    return { kind: 'aborted', message: error.message };
  if ((error as Error | undefined)?.name === 'AbortError') return { kind: 'aborted', message: 'aborted' };
  if (isNetworkError(error)) return { kind: 'network', message: (error as Error).message };
  if (error instanceof ItemFailure)
    return { kind: error.transient ? 'transient' : 'item', message: error.message };
  if (error instanceof AlegionError) {
    return {
      kind: error.retryable || error.code === 'bad-response' ? 'transient' : 'item',
      message: error.message,
    };
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code))
    return { kind: 'item', message: describeFsError(error) };
  return { kind: 'item', message: error instanceof Error ? error.message : String(error) };
}
