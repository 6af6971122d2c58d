import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../../../common/byte-size.ts';
import {
  formatProgressLine,
  formatSeconds,
  TransferAverage,
} from '../../../../main/exports/progress-text.ts';

describe('progress line', () => {
  it('shows size, percent, current speed and time left while running', () => {
    expect(
      formatProgressLine({
        bytes: 1_500_000,
        totalBytes: 3_000_000,
        bytesPerSecond: 1_200_000,
        etaSeconds: 1.25,
        done: false,
      }),
    ).toBe('downloaded 1.50 MB of 3.00 MB (50%), 1.20 MB/s, ETA 1s');
  });

  it('leaves out the speed and the time left while they are unknown (no "0 B/s", no "ETA ?")', () => {
    const line = formatProgressLine({
      bytes: 10,
      totalBytes: 1000,
      bytesPerSecond: 0,
      etaSeconds: undefined,
      done: false,
    });
    expect(line).toBe('downloaded 10 B of 1.00 KB (1%)');
  });

  it('sums a finished transfer up with its average throughput and no time left', () => {
    const line = formatProgressLine({
      bytes: 3_000_000,
      totalBytes: 3_000_000,
      bytesPerSecond: 1_500_000,
      etaSeconds: 0,
      done: true,
    });
    expect(line).toBe('downloaded 3.00 MB of 3.00 MB (100%), 1.50 MB/s average');
    expect(line).not.toMatch(/ETA/);
  });

  it('prints sizes and durations for people', () => {
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1_500_000)).toBe('1.50 MB');
    expect(formatSeconds(7.2)).toBe('7s');
    expect(formatSeconds(185)).toBe('3m05s');
    expect(formatSeconds(3720)).toBe('1h02m');
    expect(formatSeconds(undefined)).toBe('?');
  });
});

describe('TransferAverage', () => {
  it('averages the bytes received in this run over the time since it started', () => {
    const average = new TransferAverage();
    average.start(1000, 0);
    average.observe(1500, 400_000);
    average.observe(3000, 2_000_000);
    expect(average.received()).toBe(2_000_000);
    expect(average.bytesPerSecond(3000)).toBe(1_000_000);
  });

  it('does not count bytes a resumed transfer already had on disk', () => {
    const average = new TransferAverage();
    average.start(0, 5_000_000);
    average.observe(2000, 6_000_000);
    expect(average.received()).toBe(1_000_000);
    expect(average.bytesPerSecond(2000)).toBe(500_000);
  });

  it('counts a restart from zero as new bytes, never as negative ones', () => {
    const average = new TransferAverage();
    average.start(0, 0);
    average.observe(1000, 300);
    average.observe(1500, 0);
    average.observe(2000, 700);
    expect(average.received()).toBe(1000);
    expect(average.bytesPerSecond(2000)).toBe(500);
  });

  it('has no figure before any time has passed', () => {
    const average = new TransferAverage();
    expect(average.bytesPerSecond(0)).toBeUndefined();
    average.start(100, 0);
    average.observe(100, 50);
    expect(average.bytesPerSecond(100)).toBeUndefined();
  });
});
