import { afterEach, describe, expect, it } from 'vitest';
import type { ScanSummary, WorkflowView } from '../../../../common/api.ts';
import { relativeToRoots } from '../../../../renderer/format.ts';
import { defaultBatchName, initialTarget } from '../../../../renderer/views/intake-dialog.tsx';

const WF_IMAGES = '11111111-1111-4111-8111-111111111111';
const WF_TEXT = '22222222-2222-4222-8222-222222222222';
const BATCH = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const workflows = [
  { id: WF_TEXT, name: 'NER', kind: 'text' },
  { id: WF_IMAGES, name: 'Boxes', kind: 'image' },
] as WorkflowView[];
const scan: ScanSummary = {
  scanId: 's1',
  complete: true,
  files: 3,
  bytes: 300,
  byKind: { image: { files: 3, bytes: 300 }, video: { files: 0, bytes: 0 }, text: { files: 0, bytes: 0 } },
  skippedCount: 0,
  skipped: [],
  alreadyUploaded: 0,
  uploadedBefore: {},
  compared: { files: 0, done: 0 },
};

const zone = process.env.TZ;
afterEach(() => {
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
});

describe('defaultBatchName', () => {
  it("uses the user's local time, not UTC", () => {
    process.env.TZ = 'America/New_York';
    // 02:30 UTC on 15 June is 22:30 on 14 June in New York.
    expect(defaultBatchName(new Date('2026-06-15T02:30:00Z'))).toBe('Upload 2026-06-14 22:30');
    process.env.TZ = 'Asia/Kolkata';
    expect(defaultBatchName(new Date('2026-01-01T00:05:00Z'))).toBe('Upload 2026-01-01 05:35');
  });
});

describe('initialTarget', () => {
  it('starts on the batch being looked at, in its workflow', () => {
    const view = { name: 'batch', workflowId: WF_TEXT, batchId: BATCH } as const;
    expect(initialTarget(view, workflows, { [WF_TEXT]: [{ id: BATCH }] }, scan)).toEqual({
      workflowId: WF_TEXT,
      mode: 'existing',
      batchId: BATCH,
    });
  });

  it('starts on a new batch in the workflow that takes what was found, from any other screen', () => {
    expect(initialTarget({ name: 'queue' }, workflows, { [WF_IMAGES]: [{ id: BATCH }] }, scan)).toEqual({
      workflowId: WF_IMAGES,
      mode: 'new',
      batchId: '',
    });
  });

  it('starts on a new batch when the batch looked at is not known (yet) in its workflow', () => {
    const view = { name: 'batch', workflowId: WF_TEXT, batchId: BATCH } as const;
    expect(initialTarget(view, workflows, {}, scan).mode).toBe('new');
  });
});

describe('relativeToRoots', () => {
  it('shows a skipped path from the folder that was added', () => {
    expect(relativeToRoots('/data/shelf/nested/readme.xyz', ['/data/shelf'])).toBe('nested/readme.xyz');
    expect(relativeToRoots('/data/shelf/readme.xyz', ['/data/shelf/'])).toBe('readme.xyz');
    expect(relativeToRoots('C:\\shots\\a\\b.bin', ['C:\\shots'])).toBe('a\\b.bin');
  });

  it('takes the nearest of several added folders, and a file added by itself by its name', () => {
    expect(relativeToRoots('/data/shelf/2024/x.bin', ['/data', '/data/shelf'])).toBe('2024/x.bin');
    expect(relativeToRoots('/data/notes.xyz', ['/data/notes.xyz'])).toBe('notes.xyz');
  });

  it('keeps the whole path outside every added folder (no false match on a shared prefix)', () => {
    expect(relativeToRoots('/data/shelf-2/x.bin', ['/data/shelf'])).toBe('/data/shelf-2/x.bin');
  });
});
