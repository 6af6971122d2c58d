/**
 * Every host path of the contract is found by walking the method's schema, so the headless host's root check
 * reaches it; a schema derived from `LocalPath` for a new method is found too. With a path check, dispatch refuses
 * a call before the engine sees it.
 */
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { LocalPath, METHOD_NAMES, methodArgs } from '../../../../common/api.ts';
import type { AlegionApi } from '../../../../common/api.ts';
import { dispatch } from '../../../../main/engine/dispatch.ts';
import { EngineError } from '../../../../main/engine/errors.ts';
import { pathArguments } from '../../../../main/engine/path-arguments.ts';

const WF = '11111111-1111-4111-8111-111111111111';
const target = { workflowId: WF, newBatch: { name: 'b', isEnabled: true } };

/** One valid call per method that takes a path, with the paths it carries. */
const CALLS_WITH_PATHS: Partial<Record<keyof AlegionApi, { args: unknown[]; paths: string[] }>> = {
  scanPaths: { args: [{ paths: ['/a/one', '/a/two'] }], paths: ['/a/one', '/a/two'] },
  addRecordsFile: { args: [{ path: '/a/records.csv', target }], paths: ['/a/records.csv'] },
  startExport: { args: [{ workflowId: WF, destination: '/a/out' }], paths: ['/a/out'] },
  updateSettings: { args: [{ downloadDir: '/a/downloads' }], paths: ['/a/downloads'] },
  browse: { args: ['/a'], paths: ['/a'] },
  showInFolder: { args: ['/a/file'], paths: ['/a/file'] },
  planRecordsFile: { args: [{ path: '/a/plan.csv', target }], paths: ['/a/plan.csv'] },
  watchFolder: { args: [{ folder: '/a/watched', target }], paths: ['/a/watched'] },
};

describe('pathArguments', () => {
  it.each(Object.entries(CALLS_WITH_PATHS))('finds every path of %s', (method, call) => {
    const schema = methodArgs[method as keyof AlegionApi];
    const parsed = schema.parse(call!.args);
    expect(pathArguments(schema, parsed)).toEqual(call!.paths);
  });

  it('finds none where a method has no path, or where an optional path is absent', () => {
    expect(pathArguments(methodArgs.startExport, methodArgs.startExport.parse([{ workflowId: WF }]))).toEqual(
      [],
    );
    expect(pathArguments(methodArgs.browse, [null])).toEqual([]);
    expect(pathArguments(methodArgs.updateSettings, [{ concurrency: 2 }])).toEqual([]);
    expect(pathArguments(methodArgs.connect, ['/looks/like/a/path'])).toEqual([]);
  });

  it('covers exactly the methods whose schema holds a LocalPath', () => {
    // Independent of the walker: zod's JSON Schema printer shows a path as a string of at most 4096 characters.
    const holding = METHOD_NAMES.filter((method) => {
      const json = JSON.stringify(
        z.toJSONSchema(methodArgs[method], { unrepresentable: 'any', io: 'input' }),
      );
      return json.includes('"maxLength":4096');
    });
    expect([...holding].sort()).toEqual(Object.keys(CALLS_WITH_PATHS).sort());
  });

  it('finds a path in a schema derived from LocalPath, as a new method would declare it', () => {
    const planArgs = z.tuple([
      z.object({
        sources: z.array(LocalPath.refine((p) => p.endsWith('.csv'), 'a CSV file')).min(1),
        into: z.union([LocalPath.describe('folder'), z.literal(false)]),
        extra: z.record(z.string(), LocalPath).optional(),
      }),
    ]);
    const value = planArgs.parse([{ sources: ['/x/a.csv'], into: '/x/out', extra: { k: '/x/k' } }]);
    expect(pathArguments(planArgs, value)).toEqual(['/x/a.csv', '/x/out', '/x/k']);
  });
});

describe('dispatch with a path check', () => {
  it('refuses the call with the check’s sentence before the engine runs', async () => {
    const scanPaths = vi.fn(async () => ({}));
    const api = { scanPaths } as unknown as AlegionApi;
    const checkPath = vi.fn(async (path: string) => {
      if (path.startsWith('/etc')) throw new EngineError('outside-roots', `"${path}" is outside the roots`);
    });
    const refused = await dispatch(api, 'scanPaths', [{ paths: ['/a/ok', '/etc'] }], () => [], checkPath);
    expect(refused).toEqual({
      ok: false,
      error: { code: 'outside-roots', message: '"/etc" is outside the roots' },
    });
    expect(scanPaths).not.toHaveBeenCalled();
    expect(await dispatch(api, 'scanPaths', [{ paths: ['/a/ok'] }], () => [], checkPath)).toMatchObject({
      ok: true,
    });
    expect(checkPath).toHaveBeenCalledWith('/a/ok');
  });
});
