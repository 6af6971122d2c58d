/**
 * Pagination as the tutorial shows it: `page` (1-based), `pageSize`, `sort=+createdAt|-createdAt`, answered with
 * `X-Total-Count` and a `Link` header of absolute URLs (`first`, `prev`, `next`, `last`).
 */
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http.ts';

/** Page size when none is asked for. */
const DEFAULT_PAGE_SIZE = 20;
/** Largest page size accepted. */
const MAX_PAGE_SIZE = 1000;

interface Sortable {
  seq: number;
}

interface Page<T> {
  items: T[];
  headers: Record<string, string>;
}

function positiveInt(name: string, raw: string | null, fallback: number, max: number): number {
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new HttpError(422, `${name} must be a positive integer, got: ${raw}`);
  const value = Number(raw);
  if (value < 1 || value > max) throw new HttpError(422, `${name} must be between 1 and ${max}, got: ${raw}`);
  return value;
}

/** Reads `sort`; `+` arrives as a space when the client did not percent-encode it. */
function readDescending(query: URLSearchParams): boolean {
  const raw = query.get('sort');
  if (raw === null || raw === '') return true;
  const value = raw.trim();
  if (value === '-createdAt') return true;
  if (value === 'createdAt' || value === '+createdAt') return false;
  throw new HttpError(422, `sort must be +createdAt or -createdAt, got: ${raw}`);
}

/** Sorts by creation (ties by sequence), cuts out the asked page and builds the pagination headers. */
export function paginate<T extends Sortable>(
  req: IncomingMessage,
  url: URL,
  items: T[],
  options: { descending?: boolean } = {},
): Page<T> {
  const query = url.searchParams;
  const page = positiveInt('page', query.get('page'), 1, Number.MAX_SAFE_INTEGER);
  const pageSize = positiveInt('pageSize', query.get('pageSize'), DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const descending = options.descending ?? readDescending(query);
  const total = items.length;
  const last = Math.max(1, Math.ceil(total / pageSize));
  const start = (page - 1) * pageSize;
  const pageItems = pageOf(items, start, pageSize, descending);
  const sort = descending ? '-createdAt' : '+createdAt';
  const link = (target: number, rel: string): string =>
    `<${pageUrl(req, url, target, pageSize, sort)}>;rel="${rel}"`;
  const links = [link(1, 'first')];
  if (page > 1) links.push(link(Math.min(page - 1, last), 'prev'));
  if (page < last) links.push(link(page + 1, 'next'));
  links.push(link(last, 'last'));
  return {
    items: pageItems,
    headers: { link: links.join(', '), 'x-total-count': String(total) },
  };
}

/**
 * The items from `start` in the asked order. Listings are almost always already in creation order (maps keep
 * insertion order), so the common case slices without sorting the whole list on every request.
 */
function pageOf<T extends Sortable>(items: T[], start: number, size: number, descending: boolean): T[] {
  let ascending = true;
  for (let i = 1; i < items.length && ascending; i++) {
    if ((items[i - 1] as T).seq > (items[i] as T).seq) ascending = false;
  }
  const ordered = ascending ? items : [...items].sort((a, b) => a.seq - b.seq);
  if (!descending) return ordered.slice(start, start + size);
  const end = ordered.length - start;
  return ordered.slice(Math.max(0, end - size), Math.max(0, end)).reverse();
}

/** The absolute URL of another page of the same listing, keeping the listing's filters. */
function pageUrl(req: IncomingMessage, url: URL, page: number, pageSize: number, sort: string): string {
  const params = new URLSearchParams(url.searchParams);
  params.delete('page');
  params.delete('pageSize');
  params.delete('sort');
  const filters = params.toString();
  const paging = `page=${page}&pageSize=${pageSize}&sort=${encodeURIComponent(sort)}`;
  const host = req.headers.host ?? url.host;
  return `http://${host}${url.pathname}?${filters === '' ? '' : `${filters}&`}${paging}`;
}
