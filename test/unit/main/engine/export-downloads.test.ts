/**
 * An export's files are offered only as its record says: a finished job's archive, or a file inside its extracted
 * folder; a path leading out of the folder (by `..` or by a symbolic link), a folder, an unfinished job and an
 * unknown one are refused with a plain message.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportJobView } from '../../../../common/api.ts';
import { exportFiles, offerExportFile } from '../../../../main/engine/export-downloads.ts';
import { createSavedFiles } from '../../../../main/engine/saved-files.ts';

let dir: string;
let jobs: ExportJobView[];

function job(id: string, over: Partial<ExportJobView>): ExportJobView {
  return {
    id,
    workflowId: 'w',
    batchIds: [],
    filename: `${id}.zip`,
    format: 'zip',
    status: 'done',
    recordResultCount: 1,
    bytes: 1,
    totalBytes: 1,
    throughput: 0,
    etaSeconds: null,
    path: null,
    extractedTo: null,
    error: null,
    createdAt: '2026-12-01T00:00:00Z',
    ...over,
  };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'export-downloads-'));
  await mkdir(join(dir, 'out', 'a', 'images'), { recursive: true });
  await writeFile(join(dir, 'out', 'a.zip'), 'zip');
  await writeFile(join(dir, 'out', 'a', 'results.json'), '[]');
  await writeFile(join(dir, 'out', 'a', 'images', 'one.png'), 'png');
  await writeFile(join(dir, 'secret.txt'), 'not part of any export');
  await symlink(join(dir, 'secret.txt'), join(dir, 'out', 'a', 'link.txt'));
  jobs = [
    job('done', { path: join(dir, 'out', 'a.zip'), extractedTo: join(dir, 'out', 'a') }),
    job('running', { status: 'downloading', path: join(dir, 'out', 'a.zip') }),
  ];
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('export downloads', () => {
  it('offers the archive and each extracted file, registered for download', async () => {
    const saved = createSavedFiles(() => ({ link: (id) => `/download/${id}` }));
    const archive = await offerExportFile(jobs, saved, 'done', undefined);
    expect(saved.find(archive.id)?.path).toBe(join(dir, 'out', 'a.zip'));
    expect(archive.href).toBe(`/download/${archive.id}`);
    // A symbolic link is not listed: only the export's own files are.
    expect(await exportFiles(jobs, 'done')).toEqual([join('images', 'one.png'), 'results.json']);
    const one = await offerExportFile(jobs, saved, 'done', join('images', 'one.png'));
    expect(saved.find(one.id)?.name).toBe('one.png');
  });

  it('refuses what the export did not write, and jobs not finished', async () => {
    const saved = createSavedFiles(() => null);
    await expect(offerExportFile(jobs, saved, 'done', '../secret.txt')).rejects.toThrow(
      /not a file of that export/,
    );
    await expect(offerExportFile(jobs, saved, 'done', 'link.txt')).rejects.toThrow(
      /not a file of that export/,
    );
    await expect(offerExportFile(jobs, saved, 'done', 'images')).rejects.toThrow(/not a file of that export/);
    await expect(offerExportFile(jobs, saved, 'running', undefined)).rejects.toThrow(/not finished/);
    await expect(offerExportFile(jobs, saved, 'nope', undefined)).rejects.toThrow(/not finished/);
  });
});
