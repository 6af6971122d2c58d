import { describe, expect, it } from 'vitest';
import {
  errorForStatus,
  errorForTransport,
  hostOf,
  malformedIdOf,
  serverMessage,
  transportFailureOf,
} from '../../../../main/alegion/failures.ts';
import {
  ApiKeyRejectedError,
  CanceledError,
  InvalidRequestError,
  NetworkError,
  NotFoundError,
  RequestRejectedError,
  RequestTimeoutError,
} from '../../../../main/alegion/errors.ts';

const UUID_MESSAGE =
  "Failed to convert value of type 'java.lang.String' to required type 'java.util.UUID'; nested exception is " +
  'java.lang.IllegalArgumentException: Invalid UUID string: not-a-uuid';

describe('errorForStatus', () => {
  const context = { operation: 'getBatch', notFound: { resource: 'batch', id: 'b-1' }, ids: ['b-1'] };

  it('403 means the API key was rejected', () => {
    const error = errorForStatus(403, '', context);
    expect(error).toBeInstanceOf(ApiKeyRejectedError);
    expect(error.message).toBe('API key rejected: check the key for this profile');
  });

  it('404 names the resource and its id', () => {
    const error = errorForStatus(404, '{"message":"no such batch"}', context);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe('batch b-1 not found');
    expect(
      errorForStatus(404, '', { operation: 'x', notFound: { resource: 'workflow', id: 'w' } }).message,
    ).toBe('workflow w not found');
  });

  it("422 carries the server's message and the malformed id", () => {
    const error = errorForStatus(422, JSON.stringify({ message: UUID_MESSAGE }), context);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).malformedId).toBe('not-a-uuid');
    expect(error.message).toBe(`malformed id "not-a-uuid": ${UUID_MESSAGE}`);
  });

  it('other 4xx name the operation, status and server message', () => {
    const error = errorForStatus(400, '{"message":"name is required"}', context);
    expect(error).toBeInstanceOf(RequestRejectedError);
    expect(error.message).toBe('getBatch was rejected (HTTP 400): name is required');
  });
});

describe('malformedIdOf and serverMessage', () => {
  it('takes the quoted id, else the first id that is not a UUID', () => {
    expect(malformedIdOf(UUID_MESSAGE)).toBe('not-a-uuid');
    expect(malformedIdOf('bad input', ['3c9fa471-882b-4d92-82d4-ece202606ba6', 'oops'])).toBe('oops');
    expect(malformedIdOf('bad input', ['3c9fa471-882b-4d92-82d4-ece202606ba6'])).toBeUndefined();
  });

  it('reads {message} bodies only, as one line', () => {
    expect(serverMessage('{"message":"a\\n  b"}')).toBe('a b');
    expect(serverMessage('')).toBeUndefined();
    expect(serverMessage('<html>')).toBeUndefined();
    expect(serverMessage('{"error":"x"}')).toBeUndefined();
  });
});

describe('errorForTransport', () => {
  it('says "cannot reach <host>" for network failures, without the cause message', () => {
    const gotError = Object.assign(
      new Error('connect ECONNREFUSED 127.0.0.1:9 https://h/v1/x?token=secret'),
      {
        code: 'ECONNREFUSED',
      },
    );
    const error = errorForTransport(gotError, '127.0.0.1:9', 30_000);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toBe('cannot reach 127.0.0.1:9');
    expect(JSON.stringify(error.cause)).not.toContain('secret');
  });

  it('reports timeouts and aborts by name', () => {
    const timeout = Object.assign(new Error('x'), {
      name: 'TimeoutError',
      code: 'ETIMEDOUT',
      event: 'response',
    });
    const typed = errorForTransport(timeout, 'api.alegion.com', 30_000);
    expect(typed).toBeInstanceOf(RequestTimeoutError);
    expect(typed.message).toBe('api.alegion.com did not answer within 30 s');
    const abort = Object.assign(new Error('x'), { name: 'AbortError', code: 'ERR_ABORTED' });
    expect(errorForTransport(abort, 'h', 1)).toBeInstanceOf(CanceledError);
  });

  it('knows whether the request was written from got timings', () => {
    expect(transportFailureOf({ code: 'ECONNRESET', timings: { upload: 5 } }).requestWritten).toBe(true);
    expect(transportFailureOf({ code: 'ECONNRESET', timings: {} }).requestWritten).toBe(false);
    expect(transportFailureOf({ code: 'ECONNRESET' }).requestWritten).toBeUndefined();
  });
});

describe('hostOf', () => {
  it('keeps host and port, never the path, query or credentials', () => {
    expect(hostOf('https://user:pw@cdn.example.com:8443/a/b?Signature=secret')).toBe('cdn.example.com:8443');
    expect(hostOf('not a url')).toBe('the server');
  });
});
