/**
 * Pagination as the tutorial shows it: `Link` (first, prev, next, last; absolute URLs), `X-Total-Count`, `page`,
 * `pageSize`, `sort`, and the records `status` filter.
 */
import { describe, expect, it } from 'vitest';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/seed.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { connect } from './sandbox-api.ts';

// No labelers: records stay queued, so counts are exact.
const sandbox = useSandbox({ labelers: false });

function links(header: string | null): Record<string, string> {
  const result: Record<string, string> = {};
  for (const part of (header ?? '').split(',')) {
    const match = /<([^>]+)>;\s*rel="(\w+)"/.exec(part.trim());
    if (match?.[1] && match[2]) result[match[2]] = match[1];
  }
  return result;
}

describe('pagination', () => {
  it('pages a listing of 42 records like the tutorial example', async () => {
    const api = await connect(sandbox());
    const batch = await api.json<{ id: string }>('POST', `/workflows/${SANDBOX_WORKFLOWS.records}/batches`, {
      name: 'pages',
    });
    const records = Array.from({ length: 42 }, (_, i) => ({ data: { n: i }, metadata: `m${i}` }));
    await api.json('POST', `/batches/${batch.id}/records/import`, records);

    const response = await api.call('GET', `/batches/${batch.id}/records?page=2&pageSize=20&sort=-createdAt`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-total-count')).toBe('42');
    const base = `${sandbox().baseUrl}/batches/${batch.id}/records`;
    expect(links(response.headers.get('link'))).toEqual({
      first: `${base}?page=1&pageSize=20&sort=-createdAt`,
      prev: `${base}?page=1&pageSize=20&sort=-createdAt`,
      next: `${base}?page=3&pageSize=20&sort=-createdAt`,
      last: `${base}?page=3&pageSize=20&sort=-createdAt`,
    });
    const page2 = (await response.json()) as { metadata: string }[];
    expect(page2.map((r) => r.metadata)).toEqual(Array.from({ length: 20 }, (_, i) => `m${21 - i}`));

    // Following next from page 1 visits every record exactly once.
    const seen: string[] = [];
    let url: string | undefined = `${base}?pageSize=20&sort=%2BcreatedAt`;
    while (url) {
      const pageResponse: Response = await fetch(url, { headers: api.headers });
      seen.push(...((await pageResponse.json()) as { metadata: string }[]).map((r) => r.metadata));
      url = links(pageResponse.headers.get('link')).next;
    }
    expect(seen).toEqual(records.map((r) => r.metadata));

    // `+` unencoded arrives as a space and still means ascending.
    const ascending = await api.json<{ metadata: string }[]>(
      'GET',
      `/batches/${batch.id}/records?pageSize=1&sort=+createdAt`,
    );
    expect(ascending.map((r) => r.metadata)).toEqual(['m0']);
    const beyond = await api.call('GET', `/batches/${batch.id}/records?page=9&pageSize=20`);
    expect(await beyond.json()).toEqual([]);
    expect(links(beyond.headers.get('link')).last).toContain('page=3&');
  });

  it('filters records by comma-separated status and keeps filters in Link URLs', async () => {
    const api = await connect(sandbox());
    const batch = await api.json<{ id: string }>('POST', `/workflows/${SANDBOX_WORKFLOWS.records}/batches`, {
      name: 'filter',
    });
    await api.json('POST', `/batches/${batch.id}/records/import`, [{ data: { a: 1 } }, { data: { a: 2 } }]);
    const none = await api.call(
      'GET',
      `/batches/${batch.id}/records?status=exception,canceled&page=1&pageSize=1`,
    );
    expect(none.headers.get('x-total-count')).toBe('0');
    const queued = await api.call(
      'GET',
      `/batches/${batch.id}/records?status=queued,complete&page=1&pageSize=1`,
    );
    expect(queued.headers.get('x-total-count')).toBe('2');
    expect(links(queued.headers.get('link')).next).toContain('status=queued%2Ccomplete&page=2&pageSize=1');
  });

  it('rejects page sizes and sorts it does not know with 422', async () => {
    const api = await connect(sandbox());
    for (const query of ['pageSize=0', 'pageSize=1001', 'page=0', 'page=x', 'sort=name']) {
      const response = await api.call('GET', `/workflows?${query}`);
      expect(response.status).toBe(422);
    }
    const workflows = await api.call('GET', '/workflows?sort=%2BcreatedAt');
    expect(workflows.headers.get('x-total-count')).toBe('4');
    expect(((await workflows.json()) as { id: string }[]).map((w) => w.id)).toEqual(
      Object.values(SANDBOX_WORKFLOWS),
    );
  });

  it('finds assets by exact name, type and statuses', async () => {
    const api = await connect(sandbox());
    await api.json('POST', '/assets', { name: 'dup', fileName: 'dup.jpg', type: 'image' });
    await api.json('POST', '/assets', { name: 'dup', fileName: 'dup.jpg', type: 'image' });
    await api.json('POST', '/assets', { name: 'dup2', fileName: 'dup2.mp4', type: 'video' });
    const byName = await api.call('GET', '/assets?name=dup');
    expect(byName.headers.get('x-total-count')).toBe('2');
    expect(sandbox().stats().duplicateAssets).toBe(1);
    const byType = await api.json<unknown[]>('GET', '/assets?type=video&statuses=uploading,uploaded');
    expect(byType).toHaveLength(1);
    const none = await api.json<unknown[]>('GET', '/assets?name=dup&statuses=uploaded');
    expect(none).toEqual([]);
  });
});
