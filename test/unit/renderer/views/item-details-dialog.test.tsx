import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ItemDetails } from '../../../../common/api.ts';
import type { OpenItemDetails } from '../../../../renderer/store/item-details-slice.ts';
import {
  ItemDetailsContent,
  formatLocalTime,
  stepLabel,
} from '../../../../renderer/views/item-details-dialog.tsx';

function details(history: ItemDetails['history'], state: ItemDetails['item']['state']): ItemDetails {
  return {
    item: {
      id: 3,
      path: '/data/shelves/shelf-003.jpg',
      name: 'shelf-003.jpg',
      kind: 'image',
      size: 1_234_567,
      state,
      bytesSent: state === 'done' ? 1_234_567 : 0,
      speed: 0,
      error: state === 'failed' ? 'vanished: it no longer exists' : null,
      workflowId: '11111111-1111-4111-8111-111111111111',
      batchId: null,
      assetId: state === 'done' ? '22222222-2222-4222-8222-222222222222' : null,
      recordId: null,
      updatedAt: '2026-11-29T10:00:07.000Z',
    },
    workflowName: null,
    batchName: 'June shelves',
    queuedAt: '2026-11-29T10:00:00.000Z',
    video: null,
    history,
    historyTotal: history.length,
    labeling: null,
  };
}

/** The dialog body's markup for a state of the open dialog. */
function render(open: OpenItemDetails): string {
  return renderToStaticMarkup(<ItemDetailsContent open={open} />);
}

describe('item details dialog', () => {
  it('has a loading look and an error look with "Try again"', () => {
    const loading = render({ id: 3, status: 'loading', details: null, error: null });
    expect(loading).toContain('Reading this file&#x27;s history…');
    expect(loading).toContain('aria-live="polite"');
    const failed = render({
      id: 3,
      status: 'error',
      details: null,
      error: 'That file is no longer in the queue.',
    });
    expect(failed).toContain('role="alert"');
    expect(failed).toContain('That file is no longer in the queue.');
    expect(failed).toContain('Try again');
  });

  it('says so when nothing went wrong, with formatted numbers and the ids it has', () => {
    const html = render({ id: 3, status: 'ready', details: details([], 'done'), error: null });
    expect(html).toContain('The upload had no error: every step went through on its first try.');
    expect(html).toContain('1.23 MB of 1.23 MB');
    expect(html).toContain('June shelves');
    // No workflow name from the platform: its id is shown instead.
    expect(html).toContain('11111111-1111-4111-8111-111111111111');
    expect(html).toContain('22222222-2222-4222-8222-222222222222');
  });

  it('shows the labeling outcome of the file’s record: a canceled one never reads as all well', () => {
    const outcome = (status: string): string =>
      render({
        id: 3,
        status: 'ready',
        details: { ...details([], 'done'), labeling: { status, recordId: 'r-1', createdAt: null } },
        error: null,
      });
    const canceled = outcome('canceled');
    expect(canceled).toMatch(
      /<dt>Labeling<\/dt><dd data-testid="item-labeling"><span class="badge failed">Canceled<\/span>/,
    );
    expect(canceled).toContain('it will have no result');
    expect(canceled).not.toContain('Nothing went wrong');
    expect(outcome('complete')).toContain('>Complete</span>');
    expect(outcome('in-progress')).toContain('>In progress</span>');
    expect(outcome('queued')).toContain('>Queued</span>');
    expect(outcome('exception')).toContain('>Exception</span>');
    // The record id learnt from the listing is shown, with its copy button.
    expect(canceled).toContain('aria-label="Copy record id"');
    expect(render({ id: 3, status: 'ready', details: details([], 'done'), error: null })).not.toContain(
      'Labeling',
    );
  });

  it('lists each attempt with its local time, step in words and message, and the failed file’s reason', () => {
    const html = render({
      id: 3,
      status: 'ready',
      details: details(
        [
          { at: '2026-11-29T10:00:05.000Z', step: 'intake', attempt: 1, message: 'the file changed' },
          {
            at: '2026-11-29T10:00:06.000Z',
            step: 'uploading',
            attempt: 2,
            message: 'vanished: it no longer exists',
          },
        ],
        'failed',
      ),
      error: null,
    });
    expect(html.match(/data-testid="history-entry"/g)).toHaveLength(2);
    expect(html).toContain('2 tries of this file ended in an error.');
    expect(html).toContain('Checking the file');
    expect(html).toContain('Uploading');
    expect(html).toContain(`>${formatLocalTime('2026-11-29T10:00:06.000Z')}<`);
    // The reason as the row words it, and the last attempt's message worded the same way.
    const reason = /data-testid="item-reason">([^<]+)</.exec(html)?.[1];
    const messages = [...html.matchAll(/<td class="message">([^<]+)</g)].map((m) => m[1]);
    expect(reason).toBeTruthy();
    expect(messages).toHaveLength(2);
    expect(messages[1]).toBe(reason);
  });

  it('shows a video’s frame rate and frame count, a variable rate marked as the average; none for an image', () => {
    const video = (fps: number, variable: boolean): ItemDetails => ({
      ...details([], 'done'),
      video: { fps, frameCount: 1234, variable },
    });
    const rateOf = (html: string): string | undefined =>
      /data-testid="item-frame-rate">([^<]+)</.exec(html)?.[1];
    const vfr = render({ id: 3, status: 'ready', details: video(39 / 1.8, true), error: null });
    expect(rateOf(vfr)).toBe('21.67 fps (variable; average)');
    expect(vfr).toContain('1,234');
    const ntsc = render({ id: 3, status: 'ready', details: video(30000 / 1001, false), error: null });
    expect(rateOf(ntsc)).toBe('29.97 fps');
    expect(rateOf(render({ id: 3, status: 'ready', details: video(25, false), error: null }))).toBe('25 fps');
    const image = render({ id: 3, status: 'ready', details: details([], 'done'), error: null });
    expect(image).not.toContain('Frame rate');
  });

  it('formats times in local time to the second, and names unknown steps as they are', () => {
    expect(formatLocalTime('2026-11-29T10:00:05.000Z')).toMatch(/^Nov \d{1,2}, 2026, \d{2}:\d{2}:05 [AP]M$/);
    expect(formatLocalTime('not a time')).toBe('—');
    expect(stepLabel('recording')).toBe('Sending record');
    expect(stepLabel('something-new')).toBe('something-new');
  });
});
