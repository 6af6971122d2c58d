import { describe, expect, it } from 'vitest';
import {
  baseName,
  errorMessage,
  formatBytes,
  formatCount,
  formatDuration,
  formatPercent,
  formatSpeed,
  plural,
  addedFrom,
  ratio,
  shortFolder,
} from '../../../renderer/format.ts';

describe('formatters', () => {
  it('groups thousands and rounds counts', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(99.6)).toBe('100');
    expect(formatCount(Number.NaN)).toBe('—');
  });

  it('formats sizes in decimal units with three significant digits', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1536)).toBe('1.54 KB');
    expect(formatBytes(12_345_678)).toBe('12.3 MB');
    expect(formatBytes(999_600)).toBe('1.00 MB');
    expect(formatBytes(2e9)).toBe('2.00 GB');
    expect(formatBytes(-1)).toBe('—');
  });

  it('formats speeds, and shows a dash for none', () => {
    expect(formatSpeed(2_500_000)).toBe('2.50 MB/s');
    expect(formatSpeed(0)).toBe('—');
  });

  it('formats durations as their two largest units', () => {
    expect(formatDuration(45)).toBe('45s');
    expect(formatDuration(125)).toBe('2m 05s');
    expect(formatDuration(3700)).toBe('1h 01m');
    expect(formatDuration(90_000)).toBe('1d 1h');
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('—');
  });

  it('never shows 100% before the end, and clamps', () => {
    expect(formatPercent(999, 1000)).toBe('99%');
    expect(formatPercent(1000, 1000)).toBe('100%');
    expect(formatPercent(5, 0)).toBe('0%');
    expect(formatPercent(12, 10)).toBe('100%');
    expect(ratio(1, 4)).toBe(0.25);
    expect(ratio(1, 0)).toBe(0);
  });

  it('pluralises with thousands', () => {
    expect(plural(1, 'file')).toBe('1 file');
    expect(plural(1200, 'file')).toBe('1,200 files');
    expect(plural(2, 'batch', 'batches')).toBe('2 batches');
  });

  it('takes the last part of a path for either separator', () => {
    expect(baseName('/data/a/b.jpg')).toBe('b.jpg');
    expect(baseName('C:\\data\\x.png')).toBe('x.png');
    expect(baseName('/data/folder/')).toBe('folder');
  });

  it('shortens the folder of a file to its last two parts, keeping the separator', () => {
    expect(shortFolder('/home/ana/shoot/day-2/a.jpg')).toBe('…/shoot/day-2');
    expect(shortFolder('/data/a.jpg')).toBe('/data');
    expect(shortFolder('/data/set/a.jpg')).toBe('/data/set');
    expect(shortFolder('/a.jpg')).toBe('/');
    expect(shortFolder('C:\\in\\a.jpg')).toBe('C:\\in');
    expect(shortFolder('C:\\in\\x\\y\\a.jpg')).toBe('…\\x\\y');
    expect(shortFolder('a.jpg')).toBe('');
  });

  it('names the folder a file was added from without repeating the folders in its name', () => {
    expect(addedFrom('/home/ana/shoot/day-2/nested/a.jpg', 'nested/a.jpg')).toBe('…/shoot/day-2');
    expect(addedFrom('/home/ana/shoot/day-2/a.jpg', 'a.jpg')).toBe('…/shoot/day-2');
    expect(addedFrom('C:\\in\\sub\\a.jpg', 'sub/a.jpg')).toBe('C:\\in');
    expect(addedFrom('/data/x/a.jpg', 'other.jpg')).toBe('/data/x');
    expect(addedFrom('/data/xa.jpg', 'a.jpg')).toBe('/data');
  });

  it('shows the first line of a rejection, never a stack', () => {
    const error = new Error('The platform rejected the API key.\n    at foo (bar.ts:1:1)');
    expect(errorMessage(error)).toBe('The platform rejected the API key.');
    expect(errorMessage({ code: 'x', message: 'Disk full.' })).toBe('Disk full.');
    expect(errorMessage(new Error("Error invoking remote method 'connect': Error: Bad key"))).toBe('Bad key');
    expect(errorMessage(undefined)).toMatch(/no reason/);
  });
});
