/**
 * Arguments are parsed once, by the dispatcher: the engine's parsed methods get the schema's defaults applied, a
 * host's call does not go through the checked methods as well, and an in-process caller is refused as a host is.
 */
import { describe, expect, it } from 'vitest';
import type { ParsedApi } from '../../../../common/api.ts';
import { checkedApi, dispatch } from '../../../../main/engine/dispatch.ts';
import { EngineError } from '../../../../main/engine/errors.ts';

const WF = '11111111-2222-4333-8444-555555555555';

/** A parsed implementation that records what each method received. */
function recordingParsed(): { parsed: ParsedApi; calls: { method: string; args: unknown[] }[] } {
  const calls: { method: string; args: unknown[] }[] = [];
  const record =
    (method: string) =>
    async (...args: unknown[]): Promise<null> => {
      calls.push({ method, args });
      return null;
    };
  const parsed = {
    listQueue: record('listQueue'),
    startExport: record('startExport'),
    listTransfers: record('listTransfers'),
  } as unknown as ParsedApi;
  return { parsed, calls };
}

describe('checked methods for in-process callers', () => {
  it('hand the parsed method its arguments with the defaults applied', async () => {
    const { parsed, calls } = recordingParsed();
    const api = checkedApi(parsed);
    await api.listQueue({ groups: ['done'] });
    await api.startExport({ workflowId: WF });
    await api.listTransfers({});
    expect(calls).toEqual([
      { method: 'listQueue', args: [{ offset: 0, limit: 100, groups: ['done'] }] },
      {
        method: 'startExport',
        args: [{ workflowId: WF, batchIds: [], format: 'zip', sinceLast: false, extract: false }],
      },
      { method: 'listTransfers', args: [{ history: false }] },
    ]);
  });

  it('refuse malformed arguments as the dispatcher does, without calling the method', async () => {
    const { parsed, calls } = recordingParsed();
    const refused = await checkedApi(parsed)
      .listQueue({ limit: 0 })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(EngineError);
    const viaDispatch = await dispatch(parsed, 'listQueue', [{ limit: 0 }]);
    expect(viaDispatch.ok).toBe(false);
    if (viaDispatch.ok) return;
    expect({ code: (refused as EngineError).code, message: (refused as EngineError).message }).toEqual(
      viaDispatch.error,
    );
    expect(viaDispatch.error.code).toBe('invalid-arguments');
    expect(calls).toEqual([]);
  });
});

describe('dispatch to an engine', () => {
  it('calls its parsed method once with the parsed arguments, never its checked one', async () => {
    const { parsed, calls } = recordingParsed();
    let checkedCalls = 0;
    const engine = {
      ...checkedApi(parsed),
      listQueue: async () => {
        checkedCalls += 1;
        return null;
      },
      parsed,
    };
    const envelope = await dispatch(engine, 'listQueue', [{ search: 'cat' }]);
    expect(envelope).toEqual({ ok: true, value: null });
    expect(checkedCalls).toBe(0);
    expect(calls).toEqual([{ method: 'listQueue', args: [{ offset: 0, limit: 100, search: 'cat' }] }]);
  });
});
