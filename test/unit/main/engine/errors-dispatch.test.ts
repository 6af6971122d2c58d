/** What leaves the engine: redacted `{ code, message }` payloads, and calls validated before they run. */
import { describe, expect, it } from 'vitest';
import { ApiKeyRejectedError, NetworkError } from '../../../../main/alegion/errors.ts';
import { dispatch, isMethodName } from '../../../../main/engine/dispatch.ts';
import { EngineError, redact, toApiError } from '../../../../main/engine/errors.ts';
import type { AlegionApi } from '../../../../common/api.ts';

describe('redact', () => {
  it('masks every known secret and the query string of signed URLs', () => {
    const text =
      'key abcd1234 and pw hunter22 at https://s3.example/bucket/a.png?X-Amz-Signature=deadbeef done';
    expect(redact(text, ['abcd1234', 'hunter22'])).toBe(
      'key •••• and pw •••• at https://s3.example/bucket/a.png?… done',
    );
  });

  it('ignores secrets too short to mask safely', () => {
    expect(redact('a b c', ['a'])).toBe('a b c');
  });
});

describe('toApiError', () => {
  it('keeps the code and message of typed errors', () => {
    expect(toApiError(new ApiKeyRejectedError())).toEqual({
      code: 'api-key-rejected',
      message: 'API key rejected: check the key for this profile',
    });
    expect(toApiError(new NetworkError('api.alegion.com'))).toEqual({
      code: 'network',
      message: 'cannot reach api.alegion.com',
    });
    expect(toApiError(new EngineError('x', 'with secret s3cr3t-value'), ['s3cr3t-value'])).toEqual({
      code: 'x',
      message: 'with secret ••••',
    });
  });

  it('names file-system failures without a stack', () => {
    const error = Object.assign(new Error('ENOENT: no such file, open /a/b'), {
      code: 'ENOENT',
      path: '/a/b',
    });
    expect(toApiError(error)).toEqual({ code: 'file-system', message: 'no such file or folder (/a/b)' });
  });

  it('hides anything unexpected', () => {
    expect(toApiError(new TypeError('x is undefined'))).toEqual({
      code: 'internal',
      message: 'unexpected error in the app; see Diagnostics',
    });
    expect(toApiError('a string')).toMatchObject({ code: 'internal' });
  });
});

describe('dispatch', () => {
  const calls: unknown[][] = [];
  const api = {
    listBatches: async (...args: unknown[]) => {
      calls.push(args);
      return [];
    },
    disconnect: async () => undefined,
  } as unknown as AlegionApi;

  it('knows exactly the contract’s method names', () => {
    expect(isMethodName('listBatches')).toBe(true);
    expect(isMethodName('toString')).toBe(false);
    expect(isMethodName('hasOwnProperty')).toBe(false);
    expect(isMethodName(42)).toBe(false);
  });

  it('refuses arguments that are not a list, or do not parse', async () => {
    expect(await dispatch(api, 'listBatches', 'x')).toMatchObject({
      ok: false,
      error: { code: 'invalid-arguments' },
    });
    const bad = await dispatch(api, 'listBatches', ['nope']);
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } });
    if (!bad.ok) expect(bad.error.message).toContain('not a valid id');
    expect(calls).toEqual([]);
  });

  it('turns undefined results into null (JSON and structured clone carry it)', async () => {
    expect(await dispatch(api, 'disconnect', [])).toEqual({ ok: true, value: null });
  });
});

describe('toApiError for the services’ own errors', () => {
  it('passes on export errors and a busy queue with their messages', async () => {
    const { ExportError } = await import('../../../../main/exports/export-errors.ts');
    const { JournalBusyError } = await import('../../../../main/uploads/journal/journal.ts');
    expect(toApiError(new ExportError('invalid-request', 'no export job 1'))).toEqual({
      code: 'invalid-request',
      message: 'no export job 1',
    });
    expect(toApiError(new JournalBusyError('/s/uploads.sqlite'))).toMatchObject({
      code: 'queue-busy',
      message: expect.stringContaining('already running'),
    });
  });
});
