/**
 * The storage side of the sandbox (the CDN/S3 behind signed URLs): asset PUTs streamed to disk with their MD5
 * computed on the way, and export downloads with HEAD, Range and ETag. Neither needs the API key or a token;
 * the URL's signature is the authorization. Refusals answer as S3 does, with an XML `Code` and `Message`: an
 * expired link `AccessDenied` + "Request has expired", and a PUT carrying a Content-Type `SignatureDoesNotMatch`,
 * because its upload URLs are signed without one (as S3's SigV2 signs that header, which the tutorial's
 * `curl --upload-file` never sends).
 */
import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { closeSync, createReadStream, openSync, writeSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { SandboxApp } from './app.ts';
import { accessDeniedXml, checkSignedUrl } from './signing.ts';
import type { SignedScope } from './signing.ts';

/** Path prefix of asset upload URLs. */
export const ASSET_STORAGE_PREFIX = '/tenant-assets/sandbox/';
/** Path prefix of export download URLs. */
export const EXPORT_STORAGE_PREFIX = '/record-result-exports/';

/** Where an asset's file lives. */
export function assetFilePath(app: SandboxApp, assetId: string): string {
  return join(app.dataDir, 'assets', assetId);
}

/** Where an export's file lives. */
export function exportFilePath(app: SandboxApp, exportId: string): string {
  return join(app.dataDir, 'exports', exportId);
}

function sendXml(res: ServerResponse, status: number, code: string, message: string): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function refuse(app: SandboxApp, scope: SignedScope, url: URL, res: ServerResponse): boolean {
  const problem = checkSignedUrl(app.signingKey, scope, url);
  if (problem === null) return false;
  const body = accessDeniedXml(problem);
  res.writeHead(403, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  res.end(body);
  return true;
}

/** A pass-through that counts bytes and destroys the connection once `cutAfter` bytes went by. */
function meter(onBytes: (n: number) => void, cutAfter: number | null, cut: () => void): Transform {
  let seen = 0;
  let done = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (done) {
        callback();
        return;
      }
      if (cutAfter !== null && seen + chunk.length >= cutAfter) {
        done = true;
        const keep = chunk.subarray(0, Math.max(0, cutAfter - seen));
        seen += keep.length;
        onBytes(keep.length);
        callback(null, keep);
        cut();
        return;
      }
      seen += chunk.length;
      onBytes(chunk.length);
      callback(null, chunk);
    },
  });
}

/** `PUT /tenant-assets/sandbox/{assetId}?Expires&Signature`: stores the body, answers its MD5 as ETag. */
export async function handleAssetPut(
  app: SandboxApp,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  if (req.method !== 'PUT') {
    sendXml(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    return;
  }
  if (refuse(app, 'PUT', url, res)) return;
  if (req.headers['content-type'] !== undefined) {
    sendXml(
      res,
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    );
    return;
  }
  const assetId = url.pathname.slice(ASSET_STORAGE_PREFIX.length);
  const asset = app.state.assets.get(assetId);
  if (!asset) {
    sendXml(res, 404, 'NoSuchKey', 'The specified key does not exist.');
    return;
  }
  const counters = app.state.counters;
  counters.putsReceived++;
  const faults = app.faults;
  const cutAfter = faults.putCutRate > 0 && app.random() < faults.putCutRate ? faults.putCutAfterBytes : null;
  const target = assetFilePath(app, assetId);
  const partial = `${target}.${process.hrtime.bigint()}.part`;
  const md5 = createHash('md5');
  const fd = openSync(partial, 'w');
  let received: ReceivedBody;
  try {
    received = await receiveBody(req, fd, md5, cutAfter, () => {
      counters.putsCut++;
      req.socket.destroy();
    });
  } finally {
    closeSync(fd);
  }
  if (!received.complete || req.socket.destroyed) {
    await rm(partial, { force: true });
    if (!res.headersSent && !req.socket.destroyed)
      sendXml(res, 400, 'IncompleteBody', 'The request body ended early.');
    return;
  }
  const size = received.size;
  const etag = md5.digest('hex');
  const current = app.state.assets.get(assetId);
  if (!current) {
    await rm(partial, { force: true });
    sendXml(res, 404, 'NoSuchKey', 'The specified key does not exist.');
    return;
  }
  await rename(partial, target);
  current.file = { size, md5: etag };
  counters.putsCompleted++;
  counters.etagsIssued++;
  res.writeHead(200, { etag: `"${etag}"`, 'content-length': 0, server: 'SandboxS3' });
  res.end();
}

/** What arrived of a PUT body: its byte count, and whether it ended whole. */
interface ReceivedBody {
  size: number;
  complete: boolean;
}

/**
 * Writes a PUT body to `fd` as each socket chunk arrives, hashing it on the way, and cuts it after `cutAfter`
 * bytes when a fault asks for that. Writes are synchronous: this storage is a stand-in sharing the machine with
 * the client it measures, and a write stream's trips through the thread pool cost it more than the write itself
 * (a 1 GiB PUT took 8 CPU-s through a three-stage stream pipeline, about 3 this way).
 */
function receiveBody(
  req: IncomingMessage,
  fd: number,
  md5: Hash,
  cutAfter: number | null,
  cut: () => void,
): Promise<ReceivedBody> {
  return new Promise((resolve) => {
    let size = 0;
    let settled = false;
    const finish = (complete: boolean): void => {
      if (settled) return;
      settled = true;
      resolve({ size, complete });
    };
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      const cutting = cutAfter !== null && size + chunk.length >= cutAfter;
      const part = cutting ? chunk.subarray(0, Math.max(0, cutAfter - size)) : chunk;
      try {
        for (let written = 0; written < part.length; ) written += writeSync(fd, part, written);
      } catch {
        finish(false);
        req.socket.destroy();
        return;
      }
      md5.update(part);
      size += part.length;
      if (cutting) {
        finish(false);
        cut();
      }
    });
    req.on('end', () => finish(true));
    req.on('error', () => finish(false));
    // Closed before its end: the client went away mid-body.
    req.on('close', () => finish(false));
  });
}

interface ByteRange {
  start: number;
  end: number;
}

/** Parses a single `bytes=` range; null means "serve it all", 'unsatisfiable' means `416`. */
function parseRange(header: string | undefined, size: number): ByteRange | null | 'unsatisfiable' {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

function contentTypeOf(filename: string, fileType: string): string {
  if (filename.endsWith('.gz')) return 'application/gzip';
  return fileType === 'zip' ? 'application/zip' : 'application/json';
}

/** `GET|HEAD /record-result-exports/{exportId}/{filename}?Expires&Signature`: the export file. */
export async function handleExportDownload(
  app: SandboxApp,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendXml(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    return;
  }
  if (refuse(app, 'GET', url, res)) return;
  const exportId = url.pathname.slice(EXPORT_STORAGE_PREFIX.length).split('/')[0] ?? '';
  const entity = app.state.exports.get(exportId);
  if (!entity?.file) {
    sendXml(res, 404, 'NoSuchKey', 'The specified key does not exist.');
    return;
  }
  const counters = app.state.counters;
  counters.downloadRequests++;
  const { size, md5 } = entity.file;
  const etag = `"${md5}"`;
  const ifRange = req.headers['if-range'];
  const rangeHeader = ifRange === undefined || ifRange === etag ? req.headers.range : undefined;
  const range = parseRange(rangeHeader, size);
  const headers: Record<string, string | number> = {
    'accept-ranges': 'bytes',
    etag,
    'content-type': contentTypeOf(entity.filename, entity.fileType),
    'last-modified': new Date(entity.createdAt).toUTCString(),
  };
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...headers, 'content-range': `bytes */${size}`, 'content-length': 0 });
    res.end();
    return;
  }
  if (range) counters.downloadRangeRequests++;
  const start = range?.start ?? 0;
  const end = range?.end ?? size - 1;
  const length = Math.max(0, end - start + 1);
  if (range) headers['content-range'] = `bytes ${start}-${end}/${size}`;
  headers['content-length'] = length;
  res.writeHead(range ? 206 : 200, headers);
  if (req.method === 'HEAD' || length === 0) {
    res.end();
    return;
  }
  const faults = app.faults;
  const cutAfter =
    faults.downloadCutRate > 0 && app.random() < faults.downloadCutRate ? faults.downloadCutAfterBytes : null;
  let served = 0;
  const counting = meter(
    (n) => {
      served += n;
      counters.downloadBytesServed += n;
      // Marked as the last byte goes out, not once the response has finished: a client that has read the whole
      // body may ask for the export's status before this side has seen the response finish.
      if (served === length && end === size - 1 && entity.status === 'ready') entity.status = 'downloaded';
    },
    cutAfter,
    () => {
      counters.downloadsCut++;
      // Let the bytes already written reach the socket, then drop the connection mid-body.
      setImmediate(() => res.socket?.destroy());
    },
  );
  try {
    await pipeline(createReadStream(exportFilePath(app, exportId), { start, end }), counting, res);
  } catch {
    // The client went away or the connection was cut: what was served is counted above.
  }
}
