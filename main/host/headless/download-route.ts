/**
 * The browser host's download route: streams a file the engine wrote or offered (registered in its saved files)
 * as an attachment, to a request carrying a good signed link or the token (download-links.ts). Anything else —
 * no such id, a bad or expired signature, a file gone from the disk — is refused without saying which.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DOWNLOAD_PATH_PREFIX } from './download-links.ts';
import type { DownloadLinks } from './download-links.ts';
import { refuse } from './http-front.ts';

export interface DownloadSource {
  links: DownloadLinks;
  find(fileId: string): { path: string; name: string } | null;
}

/** `filename*` as RFC 6266 wants it (UTF-8, percent-encoded), with a plain ASCII fallback. */
function disposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** True when the path is the download route's (then the request has been answered). */
export async function serveDownload(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  source: DownloadSource,
): Promise<boolean> {
  if (!path.startsWith(DOWNLOAD_PATH_PREFIX)) return false;
  let fileId: string;
  try {
    fileId = decodeURIComponent(path.slice(DOWNLOAD_PATH_PREFIX.length));
  } catch {
    refuse(res, 404, 'not found');
    return true;
  }
  const file = source.links.allows(req, fileId) ? source.find(fileId) : null;
  const info = file ? await stat(file.path).catch(() => null) : null;
  if (!file || !info?.isFile()) {
    refuse(res, 404, 'not found, or the link expired: ask the app for the download again');
    return true;
  }
  res.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': String(info.size),
    'content-disposition': disposition(file.name),
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  const stream = createReadStream(file.path);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
  return true;
}
