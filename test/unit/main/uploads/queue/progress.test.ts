import { describe, expect, it } from 'vitest';
import { ProgressTracker, etaSeconds } from '../../../../../main/uploads/queue/progress.ts';
import { classifyFailure, ItemFailure } from '../../../../../main/uploads/queue/failures.ts';
import {
  ApiKeyRejectedError,
  LoginRejectedError,
  NetworkError,
  NotFoundError,
  OutcomeUnknownError,
  RequestRejectedError,
} from '../../../../../main/alegion/errors.ts';

describe('ProgressTracker', () => {
  it('averages throughput over time, tracks bytes in flight and forgets finished transfers', () => {
    let now = 0;
    const tracker = new ProgressTracker(() => now);
    tracker.start(1, 10_000_000);
    tracker.start(2, 10_000_000);
    for (let step = 1; step <= 100; step++) {
      now += 100;
      tracker.update(1, step * 50_000);
      tracker.update(2, step * 50_000);
      tracker.tick();
    }
    // 2 × 50 kB per 100 ms = 1 MB/s once the average has settled.
    expect(tracker.throughput).toBeGreaterThan(900_000);
    expect(tracker.throughput).toBeLessThan(1_100_000);
    expect(tracker.inFlightBytes).toBe(10_000_000);
    expect(tracker.transfers()).toHaveLength(2);
    tracker.end(1);
    tracker.end(2);
    expect(tracker.transfers()).toHaveLength(0);
    expect(tracker.of(1)).toBeUndefined();
  });

  it('tells the ETA from remaining bytes and throughput', () => {
    expect(etaSeconds(1000, 100)).toBe(10);
    expect(etaSeconds(0, 0)).toBe(0);
    expect(etaSeconds(10, 0)).toBeNull();
  });
});

describe('classifyFailure', () => {
  it('pauses the queue for global conditions, waits out the network, retries transients, fails the rest', () => {
    expect(classifyFailure(new ApiKeyRejectedError()).kind).toBe('global');
    expect(classifyFailure(new LoginRejectedError()).kind).toBe('global');
    expect(classifyFailure(new NotFoundError('workflow', 'w')).kind).toBe('global');
    expect(classifyFailure(Object.assign(new Error('database or disk is full'), { errcode: 13 }))).toEqual({
      kind: 'global',
      message: 'the disk is full: free some space, then resume',
    });
    expect(classifyFailure(new NetworkError('api.example')).kind).toBe('network');
    expect(classifyFailure(new OutcomeUnknownError('createAsset')).kind).toBe('transient');
    expect(classifyFailure(new ItemFailure('etag mismatch', true)).kind).toBe('transient');
    expect(classifyFailure(new RequestRejectedError('createAsset', 400, 'bad type'))).toEqual({
      kind: 'item',
      message: 'createAsset was rejected (HTTP 400): bad type',
    });
    expect(classifyFailure(Object.assign(new Error('x'), { code: 'ENOENT' }))).toEqual({
      kind: 'item',
      message: 'vanished: it no longer exists',
    });
    expect(classifyFailure(new DOMException('stop', 'AbortError')).kind).toBe('aborted');
  });
});
