import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cursorAfter, planExport } from '../../../../main/exports/export-plan.ts';

const W = '4cf60bf4-7092-4cfe-b7b8-e17f6674663d';
const B = 'e8a530d4-9490-424c-99ee-8cf1cc79cd54';
const NOW = Date.parse('2026-11-29T16:05:03.123Z');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plan-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('planExport', () => {
  it('names the file after the workflow and the time, .zip or .json.gz', () => {
    expect(planExport({ workflowId: W, outDir: dir }, undefined, NOW).filename).toBe(
      'results-4cf60bf4-20261129T160503Z.zip',
    );
    expect(planExport({ workflowId: W, outDir: dir, format: 'json' }, undefined, NOW).filename).toBe(
      'results-4cf60bf4-20261129T160503Z.json.gz',
    );
  });

  it('never picks a name whose file or .part is already there', async () => {
    await writeFile(join(dir, 'mine.zip'), 'x');
    await writeFile(join(dir, 'mine-2.zip.part'), 'x');
    expect(planExport({ workflowId: W, outDir: dir, filename: 'mine.zip' }, undefined, NOW).filename).toBe(
      'mine-3.zip',
    );
  });

  it('uses the cursor only when "since last" is asked for', () => {
    const cursor = '2026-01-01T00:00:00Z';
    expect(planExport({ workflowId: W, outDir: dir, sinceLast: true }, cursor, NOW).minCreatedAt).toBe(
      cursor,
    );
    expect(planExport({ workflowId: W, outDir: dir }, cursor, NOW).minCreatedAt).toBeUndefined();
  });

  it('gives the same fingerprint to the same request made later, whatever the generated name', () => {
    const a = planExport({ workflowId: W, batchIds: [B], outDir: dir }, undefined, NOW);
    const b = planExport({ workflowId: W, batchIds: [B, B], outDir: `${dir}/.` }, undefined, NOW + 60_000);
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.filename).not.toBe(b.filename);
    const c = planExport({ workflowId: W, batchIds: [B], outDir: dir, format: 'json' }, undefined, NOW);
    expect(c.fingerprint).not.toBe(a.fingerprint);
  });

  it.each([
    [{ workflowId: 'nope' }, /workflow id "nope" is not a UUID/],
    [{ workflowId: W, batchIds: ['x'] }, /batch id "x" is not a UUID/],
    [{ workflowId: W, minCreatedAt: 'yesterday' }, /"yesterday" is not an ISO-8601 time/],
    [{ workflowId: W, minCreatedAt: '2026-01-01T00:00:00' }, /with a zone/],
    [{ workflowId: W, sinceLast: true, minCreatedAt: '2026-01-01T00:00:00Z' }, /either/],
    [
      { workflowId: W, minCreatedAt: '2026-02-01T00:00:00Z', maxCreatedAt: '2026-01-01T00:00:00Z' },
      /is after the maximum/,
    ],
    [{ workflowId: W, format: 'json' as const, extract: true }, /only zip exports can be extracted/],
    [{ workflowId: W, filename: '../x.zip' }, /plain name/],
    [{ workflowId: W, filename: 'x.json' }, /must end in .zip/],
    [{ workflowId: W, format: 'json' as const, filename: 'x.zip' }, /\.json or \.json\.gz/],
  ])('refuses %j with a clear message', (request, message) => {
    expect(() => planExport({ outDir: dir, ...request }, undefined, NOW)).toThrow(message);
  });
});

describe('cursorAfter', () => {
  it('is the export time, or the upper bound when that is earlier', () => {
    expect(cursorAfter('2026-01-02T00:00:00Z', undefined)).toBe('2026-01-02T00:00:00Z');
    expect(cursorAfter('2026-01-02T00:00:00Z', '2026-01-01T00:00:00Z')).toBe('2026-01-01T00:00:00Z');
    expect(cursorAfter('2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z')).toBe('2026-01-02T00:00:00Z');
  });
});
