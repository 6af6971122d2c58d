import { describe, expect, it } from 'vitest';
import {
  estimateText,
  formatLabelingRate,
  formatTimeLeft,
} from '../../../../renderer/views/labeling-estimate.tsx';

describe('labeling estimate in words', () => {
  it('says how many more labeled records an estimate needs, one or many', () => {
    expect(estimateText({ state: 'waiting', recordsNeeded: 7 })).toBe(
      'Estimate after 7 more records are labeled',
    );
    expect(estimateText({ state: 'waiting', recordsNeeded: 1 })).toBe(
      'Estimate after 1 more record is labeled',
    );
    expect(estimateText({ state: 'waiting', recordsNeeded: 0 })).toBe('Estimating the labeling rate…');
  });

  it('gives the rate, the time left and the time of day of the finish', () => {
    const finish = new Date(2026, 0, 5, 14, 5);
    const text = estimateText({
      state: 'ready',
      perMinute: 41.6,
      secondsLeft: 725,
      finishAt: finish.toISOString(),
    });
    const clock = finish.toLocaleTimeString('en-US', { hour: '2-digit', minute: '2-digit' });
    expect(text).toBe(`Labeling ~42 records/min · done in about 12 min (around ${clock})`);
  });

  it('words slow rates per hour and long waits in hours', () => {
    expect(formatLabelingRate(2.25)).toBe('~2.3 records/min');
    expect(formatLabelingRate(0.25)).toBe('~15 records/hour');
    expect(formatLabelingRate(1234.4)).toBe('~1,234 records/min');
    expect(formatTimeLeft(30)).toBe('in under a minute');
    expect(formatTimeLeft(89 * 60)).toBe('in about 89 min');
    expect(formatTimeLeft(125 * 60)).toBe('in about 2 h 05 min');
  });
});
