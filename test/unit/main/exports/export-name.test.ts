import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlegionClient } from '../../../../main/alegion/types.ts';
import {
  exportLabel,
  labelledExportName,
  localStamp,
  MAX_STEM_BYTES,
  safeFileStem,
} from '../../../../main/exports/export-name.ts';
import { planExport } from '../../../../main/exports/export-plan.ts';

const W = '4cf60bf4-7092-4cfe-b7b8-e17f6674663d';
const B = 'e8a530d4-9490-424c-99ee-8cf1cc79cd54';
const B2 = '0f7c47a4-1d1e-4a7b-9f55-2c3c1b0b9e11';
/** 29 November 2026, 18:37:56 on this machine's clock, whatever its zone. */
const LOCAL = new Date(2026, 10, 29, 18, 37, 56).getTime();

describe('safeFileStem', () => {
  it.each([
    ['Shelf photos', 'Shelf photos'],
    ['a/b\\c:d*e?f"g<h>i|j', 'a b c d e f g h i j'],
    ['tabs\tand\nnew lines\u0007', 'tabs and new lines'],
    ['trailing dots and spaces. . ', 'trailing dots and spaces'],
    ['..hidden', 'hidden'],
    ['Étiquettes 東京', 'Étiquettes 東京'],
    ['CON', '_CON'],
    ['lpt1.batch', '_lpt1.batch'],
    ['', 'results'],
    [' ./\\. ', 'results'],
  ])('%j becomes %j', (text, stem) => {
    expect(safeFileStem(text)).toBe(stem);
  });

  it('caps the name in UTF-8 bytes without cutting a character in half', () => {
    const stem = safeFileStem('東'.repeat(100));
    expect(Buffer.byteLength(stem, 'utf8')).toBeLessThanOrEqual(MAX_STEM_BYTES);
    expect(stem).toBe('東'.repeat(Math.floor(MAX_STEM_BYTES / 3)));
    // A cut that lands before a space or dot drops it too (no trailing space or dot after the cut).
    expect(safeFileStem(`${'a'.repeat(MAX_STEM_BYTES - 1)} b`)).toBe('a'.repeat(MAX_STEM_BYTES - 1));
  });
});

describe('export file names', () => {
  it('reads the local time as date and time, with no colon', () => {
    expect(localStamp(LOCAL)).toBe('2026-11-29 18-37-56');
    expect(localStamp(new Date(2027, 0, 2, 3, 4, 5).getTime())).toBe('2027-01-02 03-04-05');
  });

  it('names a zip or gzipped json after what it covers', () => {
    expect(labelledExportName('Round trip', 'zip', LOCAL)).toBe('Round trip results 2026-11-29 18-37-56.zip');
    expect(labelledExportName('Q4: cars/trucks?', 'json', LOCAL)).toBe(
      'Q4 cars trucks results 2026-11-29 18-37-56.json.gz',
    );
  });

  describe('in a plan', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'export-name-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('uses the label, and a new name when that file (or its partial download) is already there', async () => {
      const plan = (): string =>
        planExport({ workflowId: W, batchIds: [B], outDir: dir, label: 'Round trip' }, undefined, LOCAL)
          .filename;
      expect(plan()).toBe('Round trip results 2026-11-29 18-37-56.zip');
      await writeFile(join(dir, 'Round trip results 2026-11-29 18-37-56.zip'), 'x');
      expect(plan()).toBe('Round trip results 2026-11-29 18-37-56-2.zip');
      await writeFile(join(dir, 'Round trip results 2026-11-29 18-37-56-2.zip.part'), 'x');
      expect(plan()).toBe('Round trip results 2026-11-29 18-37-56-3.zip');
    });

    it('keeps the same request the same job whatever it is named', () => {
      const a = planExport({ workflowId: W, batchIds: [B], outDir: dir, label: 'One' }, undefined, LOCAL);
      const b = planExport({ workflowId: W, batchIds: [B], outDir: dir }, undefined, LOCAL);
      expect(a.fingerprint).toBe(b.fingerprint);
    });

    it('keeps a name the user gave', () => {
      expect(
        planExport(
          { workflowId: W, outDir: dir, label: 'Round trip', filename: 'mine.zip' },
          undefined,
          LOCAL,
        ).filename,
      ).toBe('mine.zip');
    });
  });
});

describe('exportLabel', () => {
  async function* listing<T>(items: T[]): AsyncGenerator<T> {
    for (const item of items) yield await Promise.resolve(item);
  }
  const client = (overrides: Partial<AlegionClient> = {}): AlegionClient =>
    ({
      getBatch: async (id: string) => ({ id, name: 'Shelf photos', workflowId: W }),
      listWorkflows: () =>
        listing([
          { id: 'other', name: 'Other' },
          { id: W, name: 'Retail shelves' },
        ]),
      ...overrides,
    }) as unknown as AlegionClient;

  it('says the batch for one batch, the workflow for all, and how many for several', async () => {
    expect(await exportLabel(client(), W, [B])).toBe('Shelf photos');
    expect(await exportLabel(client(), W, [])).toBe('Retail shelves');
    expect(await exportLabel(client(), W, [B, B2])).toBe('Retail shelves 2 batches');
  });

  it('gives nothing when the platform fails or is slow, so the export keeps its plain name', async () => {
    const failing = client({
      getBatch: async () => {
        throw new Error('503');
      },
    });
    expect(await exportLabel(failing, W, [B])).toBeUndefined();
    const slow = client({ getBatch: () => new Promise(() => undefined) });
    expect(await exportLabel(slow, W, [B], 20)).toBeUndefined();
    expect(await exportLabel(client(), 'missing', [])).toBeUndefined();
  });
});
