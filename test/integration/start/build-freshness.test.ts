/**
 * `npm start` skips the build only when every output is newer than every input: a changed, added or removed source,
 * a changed config or a missing output each mean "build".
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BUILD_OUTPUTS, buildIsFresh } from '../../../scripts/build-freshness.ts';

let root: string;
const T0 = new Date('2026-01-01T00:00:00Z');
const T1 = new Date('2026-01-01T00:01:00Z');
const T2 = new Date('2026-01-01T00:02:00Z');

function put(path: string, at: Date): void {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, path);
  utimesSync(full, at, at);
}

/** A project whose sources date from T0 and whose build from T1. */
function builtProject(): void {
  root = mkdtempSync(join(tmpdir(), 'alegion-fresh-'));
  for (const source of ['main/app/index.ts', 'renderer/app.tsx', 'common/api.ts', 'package.json'])
    put(source, T0);
  for (const dir of ['main/app', 'main', 'renderer', 'common']) utimesSync(join(root, dir), T0, T0);
  for (const output of BUILD_OUTPUTS) put(output, T1);
}

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('buildIsFresh', () => {
  it('is fresh when the build is newer than every source', () => {
    builtProject();
    expect(buildIsFresh(root)).toBe(true);
  });

  it('is stale when a source or a config changed after the build', () => {
    builtProject();
    put('renderer/app.tsx', T2);
    expect(buildIsFresh(root)).toBe(false);
    builtProject();
    put('package.json', T2);
    expect(buildIsFresh(root)).toBe(false);
  });

  it('is stale when a source was added or removed (its folder changed) after the build', () => {
    builtProject();
    utimesSync(join(root, 'main/app'), T2, T2);
    expect(buildIsFresh(root)).toBe(false);
  });

  it('is stale when any output is missing', () => {
    builtProject();
    rmSync(join(root, BUILD_OUTPUTS[1]!));
    expect(buildIsFresh(root)).toBe(false);
  });
});
