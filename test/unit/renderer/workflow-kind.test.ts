import { describe, expect, it } from 'vitest';
import type { ScanSummary, WorkflowUse, WorkflowView } from '../../../common/api.ts';
import { guessKind, kindNote, kindWarning, suggestWorkflow } from '../../../renderer/workflow-kind.ts';

const wf = (id: string, name: string, description: string | null = null): WorkflowView => ({
  id,
  name,
  description,
  kind: null,
});
const RECORDS = wf('r', 'General records', 'Answer a question about each JSON input record (no asset).');
const BOXES = wf('i', 'Image boxes');
const SHELVES = wf('s', 'Shelf audit');
const TRACK = wf('v', 'Vehicle tracking');
const workflows = [RECORDS, BOXES, SHELVES, TRACK];

function use(
  workflowId: string,
  taken: Partial<WorkflowUse['taken']>,
  lastAddedAt: string | null,
): WorkflowUse {
  return { workflowId, taken: { image: 0, video: 0, text: 0, record: 0, ...taken }, lastAddedAt };
}

function scan(images: number, videos = 0): ScanSummary {
  return {
    scanId: 's',
    complete: true,
    files: images + videos,
    bytes: 0,
    byKind: {
      image: { files: images, bytes: 0 },
      video: { files: videos, bytes: 0 },
      text: { files: 0, bytes: 0 },
    },
    skippedCount: 0,
    skipped: [],
    alreadyUploaded: 0,
    uploadedBefore: {},
    compared: { files: 0, done: 0 },
  };
}

describe('the kind of files a workflow takes', () => {
  it('comes from what it took before, else from its name', () => {
    expect(guessKind(SHELVES, use('s', { image: 40, video: 1 }, null))).toEqual({
      kind: 'image',
      source: 'history',
      sent: 41,
    });
    expect(guessKind(RECORDS, undefined)).toMatchObject({ kind: 'records', source: 'name' });
    expect(guessKind(TRACK, undefined)).toMatchObject({ kind: 'video', source: 'name' });
    expect(guessKind(SHELVES, undefined)).toEqual({ kind: null, source: null, sent: 0 });
    expect(kindNote(guessKind(SHELVES, use('s', { image: 40 }, null)))).toBe(
      'Takes images: 40 items sent to it before.',
    );
  });

  it('picks a workflow that took the files’ kind before over one whose name says so, and never the records one', () => {
    expect(suggestWorkflow(workflows, [], scan(5), null)).toBe('i');
    const uses = [use('s', { image: 12 }, '2026-01-02T00:00:00Z')];
    expect(suggestWorkflow(workflows, uses, scan(5), null)).toBe('s');
    // The batch being looked at wins.
    expect(suggestWorkflow(workflows, uses, scan(5), 'v')).toBe('v');
    // Nothing fits: the last used of the workflows of unknown kind, else the first of them.
    expect(suggestWorkflow([RECORDS, SHELVES, wf('x', 'Misc')], [], scan(0, 0), null)).toBe('s');
  });

  it('warns before files of a kind the workflow never took, and before files for a records workflow', () => {
    const shelves = use('s', { image: 12 }, null);
    expect(kindWarning(SHELVES, guessKind(SHELVES, shelves), shelves, scan(3))).toBeNull();
    expect(kindWarning(SHELVES, guessKind(SHELVES, shelves), shelves, scan(3, 2))).toBe(
      'Shelf audit has only taken images before: check that it should get the 2 videos.',
    );
    expect(kindWarning(RECORDS, guessKind(RECORDS, undefined), undefined, scan(5))).toContain(
      'takes no files',
    );
    expect(kindWarning(SHELVES, guessKind(SHELVES, undefined), undefined, scan(5))).toBeNull();
  });
});
