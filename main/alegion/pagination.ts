/**
 * Pagination of the API's listings: `Link` headers (`rel="next"`) and `X-Total-Count`. The iteration itself is in
 * `paginated()`, which takes the page fetcher as a dependency.
 */
import type { Paginated } from './types.ts';

/** Parses an RFC 8288 `Link` header into a map of rel -> URL (the first link of each rel wins). */
export function parseLinkHeader(header: string | undefined): Map<string, string> {
  const links = new Map<string, string>();
  if (!header) return links;
  // Each link is `<url>; param=value; ...`; URLs may contain commas, so split on the `<` that opens each link.
  const pattern = /<([^>]*)>\s*((?:;\s*[^;,<]+)*)/g;
  for (const match of header.matchAll(pattern)) {
    const url = match[1] ?? '';
    const params = match[2] ?? '';
    const rel = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(params)?.[1];
    if (!rel) continue;
    for (const name of rel.trim().toLowerCase().split(/\s+/)) {
      if (!links.has(name)) links.set(name, url);
    }
  }
  return links;
}

/** Reads `X-Total-Count`; undefined when it is absent or not a non-negative integer. */
export function parseTotalCount(header: string | undefined): number | undefined {
  if (header === undefined || !/^\s*\d+\s*$/.test(header)) return undefined;
  return Number(header);
}

/** One fetched page: its items and the URL of the next page, if any. */
export interface Page<T> {
  items: T[];
  next: string | undefined;
}

/**
 * A lazy listing: iterating fetches the first page, then follows `next` until there is none (or a page is empty,
 * or a URL repeats, which would otherwise loop forever). `count` is the cheap total.
 */
export function paginated<T>(
  firstUrl: string,
  fetchPage: (url: string) => Promise<Page<T>>,
  count: () => Promise<number>,
): Paginated<T> {
  return {
    count,
    async *[Symbol.asyncIterator]() {
      const seen = new Set<string>();
      let url: string | undefined = firstUrl;
      while (url !== undefined && !seen.has(url)) {
        seen.add(url);
        const page: Page<T> = await fetchPage(url);
        yield* page.items;
        if (page.items.length === 0) break;
        url = page.next;
      }
    },
  };
}

/** Collects every item of a listing into an array (for small listings: workflows, batches). */
export async function collect<T>(listing: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of listing) items.push(item);
  return items;
}

/**
 * Resolves a `next` link against the page it came from and checks that it stays on the API's origin: following a
 * link to another host would hand it the API key and the token. Returns undefined when the link leaves the origin.
 */
export function sameOriginLink(
  link: string | undefined,
  pageUrl: string,
  origin: string,
): string | undefined {
  if (link === undefined) return undefined;
  let resolved: URL;
  try {
    resolved = new URL(link, pageUrl);
  } catch {
    return undefined;
  }
  return resolved.origin === origin ? resolved.href : undefined;
}
