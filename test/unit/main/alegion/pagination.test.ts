import { describe, expect, it } from 'vitest';
import {
  collect,
  paginated,
  parseLinkHeader,
  parseTotalCount,
  sameOriginLink,
} from '../../../../main/alegion/pagination.ts';
import type { Page } from '../../../../main/alegion/pagination.ts';

describe('parseLinkHeader', () => {
  it('reads the tutorial example, one link per rel', () => {
    const header = [
      '<https://api.alegion.com/v1/batches/b/records?page=1&pageSize=20&sort=-createdAt>;rel="first"',
      '<https://api.alegion.com/v1/batches/b/records?page=1&pageSize=20&sort=-createdAt>;rel="prev"',
      '<https://api.alegion.com/v1/batches/b/records?page=3&pageSize=20&sort=-createdAt>;rel="next"',
      '<https://api.alegion.com/v1/batches/b/records?page=3&pageSize=20&sort=-createdAt>;rel="last"',
    ].join(',\n');
    const links = parseLinkHeader(header);
    expect(links.get('next')).toBe(
      'https://api.alegion.com/v1/batches/b/records?page=3&pageSize=20&sort=-createdAt',
    );
    expect(links.get('first')).toContain('page=1');
    expect([...links.keys()]).toEqual(['first', 'prev', 'next', 'last']);
  });

  it('keeps commas inside URLs, accepts unquoted and multiple rels and spaces around parameters', () => {
    const links = parseLinkHeader(
      '<http://h/x?status=exception,canceled&page=2> ; rel=next, <http://h/y>; rel="last prev"',
    );
    expect(links.get('next')).toBe('http://h/x?status=exception,canceled&page=2');
    expect(links.get('last')).toBe('http://h/y');
    expect(links.get('prev')).toBe('http://h/y');
  });

  it('returns nothing for a missing or empty header', () => {
    expect(parseLinkHeader(undefined).size).toBe(0);
    expect(parseLinkHeader('').size).toBe(0);
  });
});

describe('parseTotalCount', () => {
  it('reads non-negative integers only', () => {
    expect(parseTotalCount('42')).toBe(42);
    expect(parseTotalCount('0')).toBe(0);
    expect(parseTotalCount(undefined)).toBeUndefined();
    expect(parseTotalCount('-1')).toBeUndefined();
    expect(parseTotalCount('many')).toBeUndefined();
  });
});

describe('paginated', () => {
  const pages: Record<string, Page<number>> = {
    p1: { items: [1, 2], next: 'p2' },
    p2: { items: [3, 4], next: 'p3' },
    p3: { items: [5], next: undefined },
  };

  it('follows next links and yields every item once, in order', async () => {
    const fetched: string[] = [];
    const listing = paginated(
      'p1',
      async (url) => {
        fetched.push(url);
        return pages[url] ?? { items: [], next: undefined };
      },
      async () => 5,
    );
    expect(await collect(listing)).toEqual([1, 2, 3, 4, 5]);
    expect(fetched).toEqual(['p1', 'p2', 'p3']);
    expect(await listing.count()).toBe(5);
  });

  it('stops on an empty page and on a link that loops back', async () => {
    const looping = paginated(
      'a',
      async (url) => ({ items: [url], next: url === 'a' ? 'b' : 'a' }),
      async () => 0,
    );
    expect(await collect(looping)).toEqual(['a', 'b']);
    const empty = paginated(
      'a',
      async () => ({ items: [], next: 'b' }),
      async () => 0,
    );
    expect(await collect(empty)).toEqual([]);
  });

  it('fetches nothing until iterated, and only as far as the caller reads', async () => {
    let calls = 0;
    const listing = paginated(
      'p1',
      async (url) => {
        calls += 1;
        return pages[url] ?? { items: [], next: undefined };
      },
      async () => 5,
    );
    expect(calls).toBe(0);
    for await (const item of listing) {
      if (item === 2) break;
    }
    expect(calls).toBe(1);
  });
});

describe('sameOriginLink', () => {
  const page = 'https://api.alegion.com/v1/workflows?page=1';
  const origin = 'https://api.alegion.com';

  it('resolves relative links and keeps links on the API origin', () => {
    expect(sameOriginLink('/v1/workflows?page=2', page, origin)).toBe(
      'https://api.alegion.com/v1/workflows?page=2',
    );
    expect(sameOriginLink('https://api.alegion.com/v1/workflows?page=3', page, origin)).toBe(
      'https://api.alegion.com/v1/workflows?page=3',
    );
    expect(sameOriginLink(undefined, page, origin)).toBeUndefined();
  });

  it('refuses links to another host, scheme or port (they would receive the key and token)', () => {
    expect(sameOriginLink('https://evil.example.com/v1/workflows?page=2', page, origin)).toBeUndefined();
    expect(sameOriginLink('http://api.alegion.com/v1/workflows?page=2', page, origin)).toBeUndefined();
    expect(sameOriginLink('https://api.alegion.com:8443/v1/workflows', page, origin)).toBeUndefined();
  });
});
