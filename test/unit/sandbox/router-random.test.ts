import { describe, expect, it } from 'vitest';
import type { Route } from '../../../sandbox/app.ts';
import { randomFor, seededRandom } from '../../../sandbox/random.ts';
import { createRouter } from '../../../sandbox/router.ts';
import { entryNames } from '../../../sandbox/export-files.ts';
import type { AssetEntity } from '../../../sandbox/state.ts';

const route = (method: string, path: string): Route => ({
  method,
  path,
  auth: 'token',
  handler: () => undefined,
});

describe('router', () => {
  const match = createRouter([
    route('GET', '/v1/batches/:batchId'),
    route('PUT', '/v1/batches/:batchId'),
    route('GET', '/v1/batches/:batchId/records'),
  ]);

  it('matches params (decoded), HEAD as GET, and tells wrong methods from unknown paths', () => {
    expect(match('GET', '/v1/batches/a%20b')).toMatchObject({ kind: 'found', params: { batchId: 'a b' } });
    expect(match('HEAD', '/v1/batches/x/records')).toMatchObject({ kind: 'found' });
    expect(match('DELETE', '/v1/batches/x')).toEqual({ kind: 'wrong-method', allowed: ['GET', 'PUT'] });
    expect(match('GET', '/v1/batches/')).toEqual({ kind: 'none' });
    expect(match('GET', '/v1/batches/x/other')).toEqual({ kind: 'none' });
  });
});

describe('seeded randomness', () => {
  it('repeats for a seed and differs across seeds and task numbers', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect(seededRandom(8)()).not.toBe(first[0]);
    expect(randomFor(7, 1)()).toBe(randomFor(7, 1)());
    expect(randomFor(7, 1)()).not.toBe(randomFor(7, 2)());
    for (const value of first) expect(value >= 0 && value < 1).toBe(true);
  });
});

describe('zip entry names', () => {
  const asset = (name: string | null, fileName: string | null) =>
    ({ id: 'id-1', name, fileName }) as AssetEntity;

  it('names <asset-name>.json and <asset-name>.<extension>, safely', () => {
    expect(entryNames(asset('cars-1900 from api', 'cars-1900.mp4'), 'r')).toEqual({
      json: 'cars-1900 from api.json',
      file: 'cars-1900 from api.mp4',
    });
    expect(entryNames(asset('cat.jpg', 'cat.jpg'), 'r')).toEqual({ json: 'cat.jpg.json', file: 'cat.jpg' });
    expect(entryNames(asset('../evil/x', 'x.png'), 'r')).toEqual({
      json: '__evil_x.json',
      file: '__evil_x.png',
    });
    expect(entryNames(undefined, 'record-1')).toEqual({ json: 'record-1.json', file: null });
  });
});
