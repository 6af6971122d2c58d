import { describe, expect, it } from 'vitest';
import { computeCompletion, sameCompletion } from '../../../../main/doneness/completion.ts';
import { nextInterval } from '../../../../main/doneness/polling.ts';

const base = { workflowId: 'w', batchId: 'b' };

describe('computeCompletion', () => {
  it('counts results plus exception and canceled against the records', () => {
    const snapshot = computeCompletion({ ...base, records: 40, results: 30, exceptionOrCanceled: 4 });
    expect(snapshot).toMatchObject({ records: 40, final: 34, remaining: 6, percentFinal: 85, done: false });
  });

  it('is done exactly when results + exception + canceled reach the records', () => {
    expect(computeCompletion({ ...base, records: 10, results: 7, exceptionOrCanceled: 2 }).done).toBe(false);
    const done = computeCompletion({ ...base, records: 10, results: 7, exceptionOrCanceled: 3 });
    expect(done).toMatchObject({ done: true, final: 10, remaining: 0, percentFinal: 100 });
  });

  it('never shows more than 100 % when results outnumber records (re-worked tasks)', () => {
    const snapshot = computeCompletion({ ...base, records: 3, results: 5, exceptionOrCanceled: 0 });
    expect(snapshot).toMatchObject({ final: 3, remaining: 0, percentFinal: 100, done: true });
  });

  it('calls an empty batch not done, at 0 %', () => {
    expect(computeCompletion({ ...base, records: 0, results: 0, exceptionOrCanceled: 0 })).toMatchObject({
      done: false,
      percentFinal: 0,
    });
  });

  it('uses the records the caller knows it sent when the listing lags behind', () => {
    const snapshot = computeCompletion({
      ...base,
      records: 5,
      results: 5,
      exceptionOrCanceled: 0,
      expectedRecords: 8,
    });
    expect(snapshot).toMatchObject({ records: 8, done: false, percentFinal: 62.5 });
  });

  it('rounds percent down, so 99.99 % never reads as 100', () => {
    expect(
      computeCompletion({ ...base, records: 10_000, results: 9_999, exceptionOrCanceled: 0 }).percentFinal,
    ).toBe(99.9);
  });
});

describe('sameCompletion', () => {
  const counts = {
    complete: 1,
    inProgress: 2,
    queued: 0,
    archived: 0,
    archiving: 0,
    adminReview: 0,
    content: 0,
    exceptions: 0,
    canceled: 0,
  };
  const a = computeCompletion({
    ...base,
    records: 3,
    results: 1,
    exceptionOrCanceled: 0,
    batchCounts: counts,
  });

  it('sees no change in equal numbers', () => {
    expect(
      sameCompletion(
        a,
        computeCompletion({
          ...base,
          records: 3,
          results: 1,
          exceptionOrCanceled: 0,
          batchCounts: { ...counts },
        }),
      ),
    ).toBe(true);
  });

  it('sees a change in any count, batch count field included, and against nothing', () => {
    expect(sameCompletion(undefined, a)).toBe(false);
    expect(sameCompletion(a, { ...a, results: 2 })).toBe(false);
    expect(sameCompletion(a, { ...a, batchCounts: { ...counts, inProgress: 1, queued: 1 } })).toBe(false);
    expect(sameCompletion(a, { ...a, batchCounts: undefined })).toBe(false);
  });
});

describe('nextInterval', () => {
  const options = { minMs: 1_000, maxMs: 8_000, idleFactor: 2, maxErrorMs: 60_000 };

  it('goes back to the fastest interval on a change', () => {
    expect(nextInterval(8_000, 'changed', options)).toBe(1_000);
  });

  it('slows down while idle, up to the maximum', () => {
    expect(nextInterval(1_000, 'unchanged', options)).toBe(2_000);
    expect(nextInterval(6_000, 'unchanged', options)).toBe(8_000);
  });

  it('backs off on errors beyond the idle maximum, up to the error maximum', () => {
    expect(nextInterval(8_000, 'failed', options)).toBe(16_000);
    expect(nextInterval(50_000, 'failed', options)).toBe(60_000);
  });
});
