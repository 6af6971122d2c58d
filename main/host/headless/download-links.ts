/**
 * Download links of the browser host. A file the engine wrote or offered downloads from
 * `/download/<id>?expires=<ms>&sig=<mac>`: an HMAC over the id and expiry, keyed by the host's token, that lives a
 * minute. The link never carries the token itself, so a link that leaks (history, a log, a Referer) grants that
 * one file for that minute only. A request may present the token in the `x-alegion-token` header instead.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { DownloadLinkPort } from '../../engine/index.ts';
import { tokenMatches } from './guard.ts';

export const DOWNLOAD_PATH_PREFIX = '/download/';
const DOWNLOAD_TOKEN_HEADER = 'x-alegion-token';
/** How long a link stays good: long enough to click, short enough to be worthless once it leaks. */
export const DOWNLOAD_LINK_MS = 60_000;

export interface DownloadLinks extends DownloadLinkPort {
  /** True when the request may download `fileId`: a good, unexpired signature, or the token in the header. */
  allows(req: IncomingMessage, fileId: string): boolean;
}

export function createDownloadLinks(token: string, now: () => number = Date.now): DownloadLinks {
  const mac = (fileId: string, expires: number): Buffer =>
    createHmac('sha256', `download-link:${token}`).update(`${fileId}\n${expires}`).digest();
  return {
    link(fileId) {
      const expires = now() + DOWNLOAD_LINK_MS;
      const sig = mac(fileId, expires).toString('base64url');
      return `${DOWNLOAD_PATH_PREFIX}${encodeURIComponent(fileId)}?expires=${expires}&sig=${sig}`;
    },
    allows(req, fileId) {
      const header = req.headers[DOWNLOAD_TOKEN_HEADER];
      if (typeof header === 'string') return tokenMatches(header, token);
      const query = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
      const expires = Number(query.get('expires'));
      const sig = Buffer.from(query.get('sig') ?? '', 'base64url');
      if (!Number.isSafeInteger(expires) || expires < now() || expires > now() + DOWNLOAD_LINK_MS)
        return false;
      const expected = mac(fileId, expires);
      return sig.length === expected.length && timingSafeEqual(sig, expected);
    },
  };
}
