/**
 * Typed errors of the Alegion client. Every message is written for a person and never contains the API key,
 * the password, a token or a signed URL's query string. `code` is stable and safe to show or to branch on.
 */

/** Stable error codes, shared with the contract so the renderer and the CLI can react to them. */
type AlegionErrorCode =
  | 'api-key-rejected'
  | 'login-rejected'
  | 'unauthorized'
  | 'not-found'
  | 'invalid-request'
  | 'too-many-ids'
  | 'rate-limited'
  | 'server-error'
  | 'network'
  | 'timeout'
  | 'outcome-unknown'
  | 'signed-url-expired'
  | 'storage-refused'
  | 'bad-response'
  | 'canceled';

/** Base class of everything the client throws. */
export class AlegionError extends Error {
  readonly code: AlegionErrorCode;
  /** HTTP status when the server answered. */
  readonly status: number | undefined;
  /** True when repeating the same request later may succeed (network trouble, 429, 5xx). */
  readonly retryable: boolean;

  constructor(
    code: AlegionErrorCode,
    message: string,
    options: { status?: number; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AlegionError';
    this.code = code;
    this.status = options.status;
    this.retryable = options.retryable ?? false;
  }
}

/** `403` from the API: the x-api-key header was missing or wrong. Global: pause everything. */
export class ApiKeyRejectedError extends AlegionError {
  constructor() {
    super('api-key-rejected', 'API key rejected: check the key for this profile', { status: 403 });
    this.name = 'ApiKeyRejectedError';
  }
}

/** `401` from `/login`: the username or password is wrong. Global: pause everything. */
export class LoginRejectedError extends AlegionError {
  constructor() {
    super('login-rejected', 'username or password rejected', { status: 401 });
    this.name = 'LoginRejectedError';
  }
}

/** `404`: the named workflow, batch, asset or export does not exist (or is not visible to this account). */
export class NotFoundError extends AlegionError {
  readonly resource: string;
  constructor(resource: string, id: string | undefined, serverMessage?: string) {
    const what = id ? `${resource} ${id}` : resource;
    super('not-found', `${what} not found${serverMessage ? ` (${serverMessage})` : ''}`, { status: 404 });
    this.name = 'NotFoundError';
    this.resource = resource;
  }
}

/** `422`: the server refused the request; carries its message and, when it can be told, the malformed id. */
export class InvalidRequestError extends AlegionError {
  readonly malformedId: string | undefined;
  constructor(serverMessage: string, malformedId?: string) {
    super(
      'invalid-request',
      malformedId ? `malformed id "${malformedId}": ${serverMessage}` : serverMessage,
      {
        status: 422,
      },
    );
    this.name = 'InvalidRequestError';
    this.malformedId = malformedId;
  }
}

/** The network failed before an answer arrived (DNS, refused, reset, offline). */
export class NetworkError extends AlegionError {
  readonly host: string;
  constructor(host: string, cause?: unknown) {
    super('network', `cannot reach ${host}`, { retryable: true, cause });
    this.name = 'NetworkError';
    this.host = host;
  }
}

/**
 * A POST that creates something failed in a way that leaves its outcome unknown (the connection dropped after the
 * request was sent, or the server answered 5xx). It is never repeated blindly: the caller reconciles, by looking the
 * asset up by name or by listing the batch's records, before deciding to post again.
 */
export class OutcomeUnknownError extends AlegionError {
  readonly operation: string;
  constructor(
    operation: string,
    cause?: unknown,
    reason = 'the connection failed after the request was sent',
  ) {
    super('outcome-unknown', `${operation}: outcome unknown (${reason})`, { retryable: true, cause });
    this.name = 'OutcomeUnknownError';
    this.operation = operation;
  }
}

/** The storage's own words about a refusal (S3's XML `Code` and `Message`), when it gave them. */
interface StorageWords {
  code: string | undefined;
  message: string | undefined;
}

/** The storage refused a signed URL with `403` because it expired. Open a new session (once) or redirect. */
export class SignedUrlExpiredError extends AlegionError {
  /** What the storage said ("Request has expired", AccessDenied), for the message if a fresh link fails too. */
  readonly storage: StorageWords;
  constructor(storage: StorageWords = { code: undefined, message: undefined }) {
    super('signed-url-expired', 'the storage link expired; a new one is needed', {
      status: 403,
      retryable: true,
    });
    this.name = 'SignedUrlExpiredError';
    this.storage = storage;
  }
}

/**
 * The storage refused a signed URL (`403`) for a reason other than its expiry (SignatureDoesNotMatch, AccessDenied
 * by a policy, an unknown key), or refused a freshly issued link: a new link would be refused alike, so it is not
 * retried. The message carries the storage's own words, never the URL.
 */
export class StorageRefusedError extends AlegionError {
  readonly storage: StorageWords;
  constructor(operation: string, words: string, storage: StorageWords) {
    super('storage-refused', `the storage refused ${operation}: ${words}`, { status: 403 });
    this.name = 'StorageRefusedError';
    this.storage = storage;
  }
}

/** True when the error means the network is down (as opposed to a server that answered). */
export function isNetworkError(error: unknown): boolean {
  return error instanceof AlegionError && (error.code === 'network' || error.code === 'timeout');
}

/** `401` on an API call even after logging in again: the account cannot use this endpoint with a fresh token. */
export class UnauthorizedError extends AlegionError {
  constructor() {
    super(
      'unauthorized',
      'the API refused a freshly issued access token (401); log in again or check the account',
      {
        status: 401,
      },
    );
    this.name = 'UnauthorizedError';
  }
}

/** `429` that outlasted the retries (or asked for a wait longer than the client will honour). */
export class RateLimitedError extends AlegionError {
  /** Seconds the server asked to wait, when it said. */
  readonly retryAfterSeconds: number | undefined;
  constructor(retryAfterSeconds?: number) {
    super(
      'rate-limited',
      retryAfterSeconds === undefined
        ? 'the API is rate limiting requests (429); try again later'
        : `the API is rate limiting requests (429); try again in ${Math.ceil(retryAfterSeconds)} s`,
      { status: 429, retryable: true },
    );
    this.name = 'RateLimitedError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** A `5xx` from the API (or the storage) that outlasted the retries. */
export class ServerError extends AlegionError {
  constructor(status: number, attempts: number, service = 'the API') {
    super(
      'server-error',
      `${service} failed with HTTP ${status} after ${attempts} attempt${attempts === 1 ? '' : 's'}; try again later`,
      { status, retryable: true },
    );
    this.name = 'ServerError';
  }
}

/** No answer within the configured timeout (connect, response or idle socket). */
export class RequestTimeoutError extends AlegionError {
  readonly host: string;
  constructor(host: string, timeoutMs: number) {
    super('timeout', `${host} did not answer within ${Math.round(timeoutMs / 1000)} s`, { retryable: true });
    this.name = 'RequestTimeoutError';
    this.host = host;
  }
}

/** The server answered with something the client does not understand (wrong shape, missing header, bad JSON). */
export class BadResponseError extends AlegionError {
  constructor(operation: string, detail: string, status?: number) {
    super('bad-response', `unexpected answer to ${operation}: ${detail}`, { status });
    this.name = 'BadResponseError';
  }
}

/** Any other `4xx` the server sent, with its message. */
export class RequestRejectedError extends AlegionError {
  constructor(operation: string, status: number, serverMessage: string | undefined) {
    super(
      'invalid-request',
      `${operation} was rejected (HTTP ${status})${serverMessage ? `: ${serverMessage}` : ''}`,
      { status },
    );
    this.name = 'RequestRejectedError';
  }
}

/** The caller aborted the request (cancel, pause). */
export class CanceledError extends AlegionError {
  constructor() {
    super('canceled', 'the transfer was canceled');
    this.name = 'CanceledError';
  }
}
