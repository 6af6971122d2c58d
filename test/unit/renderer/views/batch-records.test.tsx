import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { RecordView } from '../../../../common/api.ts';
import type { RecordsState } from '../../../../renderer/store/catalog-slice.ts';
import { RecordRow, RecordsPanel, statusLabel } from '../../../../renderer/views/batch-records.tsx';

const BATCH = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const ASSET = '72956bf0-ed27-4517-af58-7d84632fec21';

function record(overrides: Partial<RecordView> = {}): RecordView {
  return {
    id: '3bb2a814-5ab0-45de-82da-4b7b7dd0cacf',
    status: 'exception',
    metadata: null,
    assetId: ASSET,
    createdAt: '2026-11-29T18:37:00Z',
    ...overrides,
  };
}

function ready(items: RecordView[]): RecordsState {
  return { batchId: BATCH, status: 'ready', items, total: items.length, error: null };
}

function row(r: RecordView): string {
  return renderToStaticMarkup(<RecordRow record={r} index={0} top={0} />);
}

function panel(records: RecordsState | null, empty: boolean, done: boolean): string {
  return renderToStaticMarkup(
    <RecordsPanel records={records} empty={empty} done={done} onRetry={() => undefined} batchName="Shelf" />,
  );
}

describe('exception and canceled records', () => {
  it('reads the platform’s statuses as words', () => {
    expect(statusLabel('exception')).toBe('Exception');
    expect(statusLabel('canceled')).toBe('Canceled');
    expect(statusLabel('in-progress')).toBe('In progress');
  });

  it('names a record by the file this app uploaded, with its folder, the asset id only in the tooltip', () => {
    const html = row(record({ fileName: 'shelf-003.png', folder: '/data/shelf/nested' }));
    expect(html).toContain('<div class="record-file-name">shelf-003.png</div>');
    // The folder as the queue shows it, whole in its tooltip.
    expect(html).toContain('title="/data/shelf/nested">…/shelf/nested</div>');
    expect(html).toContain(`title="Asset ${ASSET}"`);
    expect(html).toContain('>Exception</span>');
    expect(html).not.toContain('>exception<');
  });

  it('shows a record from elsewhere by its asset id, with its id and metadata', () => {
    const html = row(record({ status: 'canceled', metadata: '{"sku":"42"}' }));
    expect(html).toContain(`>Asset ${ASSET}</span>`);
    expect(html).toContain('3bb2a814-5ab0-45de-82da-4b7b7dd0cacf');
    expect(html).toContain('{&quot;sku&quot;:&quot;42&quot;}');
    expect(html).toContain('>Canceled</span>');
    expect(row(record({ assetId: null }))).toContain('No file');
    expect(row(record({ fileName: 'a.png', folder: 'C:\\scans\\2026\\june' }))).toContain(
      '>…\\2026\\june</div>',
    );
  });

  it('puts a File column first, sorted by creation time at first (aria-sort), and lists every record', () => {
    const many = Array.from({ length: 300 }, (_, i) =>
      record({
        id: `r-${i}`,
        fileName: `shelf-${i}.jpg`,
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
      }),
    );
    const html = panel(ready(many), false, true);
    expect(html).toMatch(/<div role="columnheader" aria-sort="none"><button[^>]*>File/);
    expect(html).toMatch(/<div role="columnheader" aria-sort="ascending"><button[^>]*>Created/);
    // Every record counts in the table, though only those in view are rendered.
    expect(html).toContain('aria-rowcount="301"');
    const rendered = html.match(/data-testid="record-row"/g) ?? [];
    expect(rendered.length).toBeGreaterThan(0);
    expect(rendered.length).toBeLessThan(40);
    expect(html).toContain('300 of 300 shown');
    expect(html).not.toContain('The export has them all');
  });

  it('says how far the list has loaded while its pages arrive', () => {
    const html = panel({ ...ready([record()]), total: 1200 }, false, false);
    expect(html).toContain('Loading: 1 of 1,200 records…');
  });

  it('offers each id to copy, named after its file', () => {
    const html = row(record({ fileName: 'shelf-003.png' }));
    expect(html).toContain('aria-label="Copy record id of shelf-003.png"');
    expect(html).toContain('aria-label="Copy asset id of shelf-003.png"');
  });

  it('says a batch with no records has none yet, and offers to add files, instead of "every record has a result"', () => {
    const html = panel(ready([]), true, false);
    expect(html).toContain('No records in this batch yet');
    expect(html).toContain('Add files…');
    expect(html).not.toContain('has a result');
  });

  it('says every final record has a result only once the batch is done', () => {
    expect(panel(ready([]), false, true)).toContain('Every final record in this batch has a result.');
    const running = panel(ready([]), false, false);
    expect(running).toContain('None so far');
    expect(running).not.toContain('has a result');
  });

  it('has a loading and an error look', () => {
    expect(panel(null, false, false)).toContain('Loading exception and canceled records…');
    const failed = panel(
      { batchId: BATCH, status: 'error', items: [], total: 0, error: 'the platform answered 503' },
      false,
      false,
    );
    expect(failed).toContain('role="alert"');
    expect(failed).toContain('the platform answered 503');
  });
});
