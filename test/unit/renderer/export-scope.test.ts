import { describe, expect, it } from 'vitest';
import type { BatchView, WorkflowView } from '../../../common/api.ts';
import { exportScopeLabel } from '../../../renderer/store/exports-slice.ts';
import { defaultExportWorkflow } from '../../../renderer/views/export-form.tsx';

const EMPTY_WF = '11111111-1111-4111-8111-111111111111';
const WF = '22222222-2222-4222-8222-222222222222';

function workflow(id: string, name: string): WorkflowView {
  return { id, name, description: null, kind: 'image' };
}

function batch(id: string, name: string): BatchView {
  return {
    id,
    name,
    workflowId: WF,
    isEnabled: true,
    createdAt: '2026-11-29T18:00:00Z',
    counts: {
      complete: 0,
      inProgress: 0,
      queued: 0,
      archived: 0,
      archiving: 0,
      adminReview: 0,
      content: 0,
      exceptions: 0,
      canceled: 0,
    },
    completion: null,
  };
}

const workflows = [workflow(EMPTY_WF, 'Sandbox general research'), workflow(WF, 'Sandbox image boxes')];
const ids = ['b1000000-0000-4000-8000-000000000001', 'b2000000-0000-4000-8000-000000000002'];
const batches = {
  [EMPTY_WF]: [],
  [WF]: [batch(ids[0] as string, 'Round trip'), batch(ids[1] as string, 'Shelf photos')],
};

describe('what an export covers, in the history', () => {
  it('names the workflow and its batches', () => {
    expect(exportScopeLabel(workflows, batches, { workflowId: WF, batchIds: [ids[0] as string] })).toBe(
      'Sandbox image boxes · Round trip',
    );
    expect(exportScopeLabel(workflows, batches, { workflowId: WF, batchIds: ids })).toBe(
      'Sandbox image boxes · Round trip and Shelf photos',
    );
    expect(exportScopeLabel(workflows, batches, { workflowId: WF, batchIds: [] })).toBe(
      'Sandbox image boxes · all batches',
    );
  });

  it('counts the batches past two, and shows short ids for what is no longer listed', () => {
    const gone = 'c3000000-0000-4000-8000-000000000003';
    expect(exportScopeLabel(workflows, batches, { workflowId: WF, batchIds: [...ids, gone] })).toBe(
      'Sandbox image boxes · Round trip, Shelf photos and 1 more batch',
    );
    expect(exportScopeLabel([], {}, { workflowId: WF, batchIds: [gone] })).toBe(
      'Workflow 22222222 · batch c3000000',
    );
  });
});

describe('the workflow a new export starts on', () => {
  it('is the first workflow that has batches, not simply the first', () => {
    expect(defaultExportWorkflow(workflows, batches)).toBe(WF);
  });

  it('is the first workflow when none has batches, and nothing when there are none', () => {
    expect(defaultExportWorkflow(workflows, { [EMPTY_WF]: [] })).toBe(EMPTY_WF);
    expect(defaultExportWorkflow([], {})).toBe('');
  });
});
