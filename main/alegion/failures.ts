/**
 * Maps what went wrong on the wire to the client's typed errors. Nothing from got's own errors is passed on (their
 * messages and properties can carry URLs and headers): only the status, an error code and the host.
 */
import { ErrorBody, isUuid } from '../../common/alegion.ts';
import type { AlegionError } from './errors.ts';
import {
  ApiKeyRejectedError,
  CanceledError,
  InvalidRequestError,
  NetworkError,
  NotFoundError,
  RequestRejectedError,
  RequestTimeoutError,
} from './errors.ts';
import type { TransportFailure } from './retry.ts';

/** The resource a request addresses, for "<resource> <id> not found". */
export interface ResourceRef {
  resource: string;
  id?: string;
}

/** Context needed to turn an HTTP answer into an error a person can act on. */
export interface FailureContext {
  operation: string;
  notFound?: ResourceRef;
  /** Ids the request carried in its path or query; a `422` names the malformed one. */
  ids?: readonly string[];
}

/** The `message` of an error body, if the body is JSON of that shape (truncated, single line). */
export function serverMessage(body: string): string | undefined {
  if (!body) return undefined;
  try {
    const parsed = ErrorBody.safeParse(JSON.parse(body));
    if (!parsed.success) return undefined;
    return parsed.data.message.replace(/\s+/g, ' ').trim().slice(0, 500) || undefined;
  } catch {
    return undefined;
  }
}

/** Which id a `422` is about: the one the server quotes ("Invalid UUID string: x"), else the first non-UUID sent. */
export function malformedIdOf(message: string | undefined, ids: readonly string[] = []): string | undefined {
  const quoted = message ? /Invalid UUID string:\s*(\S+)/i.exec(message)?.[1] : undefined;
  if (quoted) return quoted;
  return ids.find((id) => !isUuid(id));
}

/**
 * The error for a final (non-retried) HTTP status of the API: 403 key rejected, 404 not found, 422 invalid, other
 * 4xx rejected. 401, 429 and 5xx are handled by the retry loop before it gets here.
 */
export function errorForStatus(status: number, body: string, context: FailureContext): AlegionError {
  const message = serverMessage(body);
  if (status === 403) return new ApiKeyRejectedError();
  if (status === 404) {
    const ref = context.notFound ?? { resource: 'resource' };
    return new NotFoundError(ref.resource, ref.id);
  }
  if (status === 422) {
    const malformed = malformedIdOf(message, context.ids);
    return new InvalidRequestError(message ?? `${context.operation} was refused as invalid`, malformed);
  }
  return new RequestRejectedError(context.operation, status, message);
}

/** Minimal view of a got error: only what is safe and useful to read. */
interface GotErrorView {
  name?: unknown;
  code?: unknown;
  event?: unknown;
  timings?: { upload?: number };
}

/** Extracts the facts of a transport failure from a got error (never its message). */
export function transportFailureOf(error: unknown): TransportFailure {
  const view = (typeof error === 'object' && error !== null ? error : {}) as GotErrorView;
  const code = typeof view.code === 'string' ? view.code : undefined;
  const timeoutEvent =
    view.name === 'TimeoutError' && typeof view.event === 'string' ? view.event : undefined;
  const timings = view.timings;
  const requestWritten = timings === undefined ? undefined : timings.upload !== undefined;
  return { code, timeoutEvent, requestWritten };
}

/** True when the failure is the caller's own abort. */
function isAbort(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code } = error as GotErrorView;
  return name === 'AbortError' || code === 'ERR_ABORTED' || code === 'ABORT_ERR';
}

/** The typed error for a transport failure: canceled, timeout or "cannot reach <host>". */
export function errorForTransport(error: unknown, host: string, timeoutMs: number): AlegionError {
  if (isAbort(error)) return new CanceledError();
  const failure = transportFailureOf(error);
  if (failure.timeoutEvent !== undefined || failure.code === 'ETIMEDOUT')
    return new RequestTimeoutError(host, timeoutMs);
  return new NetworkError(host, failure.code === undefined ? undefined : { code: failure.code });
}

/** `host[:port]` of a URL: what error messages may name (never the path's query or credentials). */
export function hostOf(url: string | URL): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the server';
  }
}
