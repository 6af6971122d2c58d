import { describe, expect, it } from 'vitest';
import { planFrom } from '../../../../../main/host/commands/upload-flags.ts';

const WORKFLOW = '5f0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a01';
const BATCH = '11111111-2222-4333-8444-555555555555';

describe('upload command plan', () => {
  it('keys a run by its arguments, so the same command resumes and another one does not', () => {
    const a = planFrom(['./photos', './more'], { workflow: WORKFLOW, newBatch: 'test', enabled: true });
    const b = planFrom(['./more', './photos'], { workflow: WORKFLOW, newBatch: 'test', enabled: true });
    const c = planFrom(['./photos'], { workflow: WORKFLOW, newBatch: 'test', enabled: true });
    expect(a.runKey).toBe(b.runKey);
    expect(c.runKey).not.toBe(a.runKey);
    // Another server or account: another run (its items and batch are not this one's).
    const flags = { workflow: WORKFLOW, newBatch: 'test', enabled: true };
    const one = planFrom(['./photos'], flags, 'ana@http://127.0.0.1:4010/v1');
    expect(planFrom(['./photos'], flags, 'ana@http://127.0.0.1:4010/v1').runKey).toBe(one.runKey);
    expect(planFrom(['./photos'], flags, 'ana@http://127.0.0.1:4011/v1').runKey).not.toBe(one.runKey);
    expect(planFrom(['./photos'], flags, 'bo@http://127.0.0.1:4010/v1').runKey).not.toBe(one.runKey);
    expect(a.target).toEqual({ workflowId: WORKFLOW, newBatch: { name: 'test', isEnabled: true } });
    expect(planFrom(['x'], { workflow: WORKFLOW, batch: BATCH, kind: 'video' }).target).toEqual({
      workflowId: WORKFLOW,
      batchId: BATCH,
      declaredKind: 'video',
    });
  });

  it('refuses unclear requests with one specific line each', () => {
    expect(() => planFrom(['x'], { workflow: 'nope', newBatch: 'b' })).toThrow(
      '--workflow "nope" is not an id',
    );
    expect(() => planFrom(['x'], { workflow: WORKFLOW })).toThrow(
      'give either --batch <id> or --new-batch <name>',
    );
    expect(() => planFrom(['x'], { workflow: WORKFLOW, batch: BATCH, newBatch: 'b' })).toThrow('give either');
    expect(() => planFrom([], { workflow: WORKFLOW, newBatch: 'b' })).toThrow('nothing to upload');
    expect(() => planFrom(['x'], { workflow: WORKFLOW, newBatch: 'b', records: 'r.jsonl' })).toThrow(
      'give either paths or --records <file>, not both',
    );
    expect(() => planFrom(['x'], { workflow: WORKFLOW, batch: BATCH, enabled: true })).toThrow(
      '--enabled applies to --new-batch only',
    );
    expect(() => planFrom(['x'], { workflow: WORKFLOW, newBatch: '  ' })).toThrow('--new-batch needs a name');
  });
});
