import { describe, expect, it } from 'vitest';
import { decideWatchedFile } from '../../../../main/watch/watch-decision.ts';

const v1 = { size: 10, mtimeMs: 1000 };
const v2 = { size: 12, mtimeMs: 2000 };

describe('what a complete watched file becomes', () => {
  it('queues a file the journal has never seen, or one that failed', () => {
    expect(decideWatchedFile(null, v1, false)).toBe('queue');
    expect(decideWatchedFile({ state: 'failed', ...v1 }, v1, false)).toBe('queue');
  });
  it('leaves a file already on its way to the queue', () => {
    expect(decideWatchedFile({ state: 'pending', ...v1 }, v2, false)).toBe('in-queue');
    expect(decideWatchedFile({ state: 'pending', ...v1 }, v1, true)).toBe('in-queue');
  });
  it('never sends the same version twice, even with re-upload', () => {
    expect(decideWatchedFile({ state: 'done', ...v1 }, v1, false)).toBe('already-handled');
    expect(decideWatchedFile({ state: 'done', ...v1 }, v1, true)).toBe('already-handled');
    expect(decideWatchedFile({ state: 'canceled', ...v1 }, v1, false)).toBe('already-handled');
  });
  it('reports a file changed after its upload, and sends it only with re-upload', () => {
    expect(decideWatchedFile({ state: 'done', ...v1 }, v2, false)).toBe('changed-after-upload');
    expect(decideWatchedFile({ state: 'done', ...v1 }, { ...v1, mtimeMs: 1001 }, false)).toBe(
      'changed-after-upload',
    );
    expect(decideWatchedFile({ state: 'done', ...v1 }, v2, true)).toBe('queue');
  });
  it('queues a canceled file once it has changed', () => {
    expect(decideWatchedFile({ state: 'canceled', ...v1 }, v2, false)).toBe('queue');
  });
});
