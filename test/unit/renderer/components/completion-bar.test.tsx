import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import {
  CompletionBar,
  completionLabel,
  completionSplit,
  type CompletionSplit,
} from '../../../../renderer/components/completion-bar.tsx';

const total = (s: CompletionSplit): number => s.complete + s.exception + s.canceled + s.pending;

describe('completion bar split', () => {
  it('splits a finished batch of mostly exceptions and canceled records, not as all complete', () => {
    const s = completionSplit({ records: 24, results: 7, exceptions: 10, canceled: 7 });
    expect(s.complete).toBeCloseTo(29.2, 10);
    expect(s.exception).toBeCloseTo(41.6, 10);
    expect(s.canceled).toBeCloseTo(29.2, 10);
    expect(s.pending).toBe(0);
    expect(total(s)).toBeCloseTo(100, 10);
  });

  it('leaves what is not final yet as the pending part', () => {
    const s = completionSplit({ records: 10, results: 2, exceptions: 1, canceled: 1 });
    expect(s).toEqual({ complete: 20, exception: 10, canceled: 10, pending: 60 });
  });

  it('sums to 100 for thirds and other shares that do not round evenly', () => {
    for (const [records, results, exceptions, canceled] of [
      [3, 1, 1, 1],
      [7, 1, 2, 3],
      [20_000, 19_997, 1, 1],
      [999, 333, 333, 0],
    ] as const) {
      const s = completionSplit({ records, results, exceptions, canceled });
      expect(total(s), `${records}/${results}/${exceptions}/${canceled}`).toBeCloseTo(100, 10);
      for (const part of Object.values(s)) expect(part).toBeGreaterThanOrEqual(0);
    }
  });

  it('shows an empty track, never NaN, for a batch with no records', () => {
    const s = completionSplit({ records: 0, results: 0, exceptions: 0, canceled: 0 });
    expect(s).toEqual({ complete: 0, exception: 0, canceled: 0, pending: 100 });
    const junk = completionSplit({ records: Number.NaN, results: 5, exceptions: 1, canceled: 1 });
    for (const part of Object.values(junk)) expect(Number.isNaN(part)).toBe(false);
  });

  it('never overflows when the counts run ahead of the records', () => {
    const s = completionSplit({ records: 10, results: 8, exceptions: 5, canceled: 5 });
    expect(s).toEqual({ complete: 80, exception: 20, canceled: 0, pending: 0 });
  });
});

describe('completion bar label and markup', () => {
  it('reads each part aloud, with singulars', () => {
    expect(completionLabel({ records: 24, results: 7, exceptions: 10, canceled: 7 })).toBe(
      '7 complete, 10 exceptions, 7 canceled of 24 records',
    );
    expect(completionLabel({ records: 1, results: 0, exceptions: 1, canceled: 0 })).toBe(
      '0 complete, 1 exception, 0 canceled of 1 record',
    );
    expect(completionLabel({ records: 12_000, results: 11_000, exceptions: 0, canceled: 0 })).toBe(
      '11,000 complete, 0 exceptions, 0 canceled of 12,000 records',
    );
  });

  it('renders the thin sidebar bar as phrasing content with its label and three coloured segments', () => {
    const html = renderToStaticMarkup(
      <CompletionBar counts={{ records: 24, results: 7, exceptions: 10, canceled: 7 }} />,
    );
    expect(html.startsWith('<span class="bar"')).toBe(true);
    expect(html).toContain('role="img"');
    expect(html).toContain('aria-label="7 complete, 10 exceptions, 7 canceled of 24 records"');
    expect(html).toContain('<span class="complete" style="width:29.2%">');
    expect(html).toContain('<span class="exception" style="width:41.6%">');
    expect(html).toContain('<span class="canceled" style="width:29.2%">');
    expect(html).not.toContain('Not final yet');
  });

  it('renders the large batch-view bar with its legend', () => {
    const html = renderToStaticMarkup(
      <CompletionBar counts={{ records: 4, results: 1, exceptions: 1, canceled: 1 }} large legend />,
    );
    expect(html).toContain('class="bar large"');
    for (const word of ['Complete', 'Exception', 'Canceled', 'Not final yet']) expect(html).toContain(word);
  });
});
