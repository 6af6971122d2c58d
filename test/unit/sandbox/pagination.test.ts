import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../sandbox/http.ts';
import { paginate } from '../../../sandbox/pagination.ts';

const req = { headers: { host: 'sandbox.test:4010' } } as unknown as IncomingMessage;
const items = Array.from({ length: 42 }, (_, i) => ({ seq: i + 1 }));
const page = (query: string) => paginate(req, new URL(`http://x/v1/batches/b/records?${query}`), items);

describe('paginate', () => {
  it('cuts the asked page, newest first by default, with the total', () => {
    const result = page('page=3&pageSize=20');
    expect(result.items.map((i) => i.seq)).toEqual([2, 1]);
    expect(result.headers['x-total-count']).toBe('42');
  });

  it('links first, prev, next and last with absolute URLs that keep filters', () => {
    const { headers } = page('status=queued&page=2&pageSize=20&sort=%2BcreatedAt');
    const base = 'http://sandbox.test:4010/v1/batches/b/records?status=queued&';
    expect(headers.link).toBe(
      [
        `<${base}page=1&pageSize=20&sort=%2BcreatedAt>;rel="first"`,
        `<${base}page=1&pageSize=20&sort=%2BcreatedAt>;rel="prev"`,
        `<${base}page=3&pageSize=20&sort=%2BcreatedAt>;rel="next"`,
        `<${base}page=3&pageSize=20&sort=%2BcreatedAt>;rel="last"`,
      ].join(', '),
    );
  });

  it('omits prev on the first page and next on the last', () => {
    expect(page('page=1').headers.link).not.toContain('rel="prev"');
    expect(page('page=3').headers.link).not.toContain('rel="next"');
    expect(paginate(req, new URL('http://x/v1/w'), []).headers.link).toContain(
      'page=1&pageSize=20&sort=-createdAt>;rel="last"',
    );
  });

  it('reads an unencoded + (a space) as ascending', () => {
    expect(page('sort=+createdAt&pageSize=1').items).toEqual([{ seq: 1 }]);
  });

  it('rejects bad paging values with 422', () => {
    for (const query of ['page=0', 'pageSize=1001', 'pageSize=-1', 'page=1.5', 'sort=-name']) {
      expect(() => page(query)).toThrow(HttpError);
    }
  });
});
