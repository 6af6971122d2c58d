/**
 * The resumable downloader. A signed export link lives seconds, and connections break; so every attempt asks for a
 * fresh link and continues where the `.part` file ends with `Range: bytes=N-`. The MD5 is computed while streaming
 * (over the existing prefix first, after a restart of the process), the size and the ETag are checked at the end,
 * and only then is the file renamed into place: a half-written file never carries the final name.
 */
import { constants } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { AlegionError } from '../alegion/errors.ts';
import { DiskHasher } from './disk-hasher.ts';
import { DownloadError } from './export-errors.ts';
import type { DownloadCheckpoint } from './export-store.ts';
import { PartWriter } from './part-writer.ts';
import { RateMeter } from './rate-meter.ts';
import { refusalReason, storageGet } from './storage-request.ts';
import type { StorageGet, StorageResponse } from './storage-request.ts';

/** Where a transfer stands: bytes so far, the total when known, speed and time left. */
export interface DownloadProgress {
  bytes: number;
  totalBytes: number | undefined;
  bytesPerSecond: number;
  etaSeconds: number | undefined;
}

/** What the downloader reports while it runs. */
export type DownloadEvent =
  | { type: 'start'; fromBytes: number; totalBytes: number | undefined }
  | ({ type: 'progress' } & DownloadProgress)
  | { type: 'interrupted'; reason: string; bytes: number; attempt: number; delayMs: number }
  | { type: 'restart'; reason: string }
  | { type: 'verified'; bytes: number; md5: string; etagChecked: boolean };

export interface ResumableDownloadOptions {
  /** A fresh signed URL (the export's download redirect); called before every attempt. */
  getUrl: () => Promise<string>;
  partPath: string;
  targetPath: string;
  /** What a previous run learnt about the file: a `.part` that matches it is continued, anything else restarted. */
  resume?: { etag?: string | undefined; totalBytes?: number | undefined };
  onEvent?: (event: DownloadEvent) => void;
  /** Persist these so a later process can resume (called when they change, at most every checkpointIntervalMs). */
  onCheckpoint?: (checkpoint: DownloadCheckpoint) => void;
  signal?: AbortSignal;
  /** Consecutive attempts that bring no new byte before giving up (default 8). */
  maxAttemptsWithoutProgress?: number;
  /** First and largest wait between attempts that brought nothing (ms; defaults 250 and 10 000). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** A connection silent for this long counts as broken (ms, default 30 000). */
  idleTimeoutMs?: number;
  progressIntervalMs?: number;
  checkpointIntervalMs?: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  get?: StorageGet;
}

/** The file in place and how it got there. */
interface DownloadResult {
  path: string;
  bytes: number;
  md5: string;
  etag: string | undefined;
  /** True when the ETag was an MD5 and matched the bytes on disk. */
  etagVerified: boolean;
  /** Storage requests made by this call, and how many of them continued a partial file. */
  requests: number;
  resumes: number;
}

/** `"abc"` or `W/"abc"` -> `abc`. */
export function parseEtag(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  return value.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}

/** True when the ETag is a plain MD5 of the body (S3 single-part style), so it can be checked. */
export function isMd5Etag(etag: string | undefined): etag is string {
  return etag !== undefined && /^[0-9a-f]{32}$/i.test(etag);
}

/** Parses `bytes start-end/total` (total may be `*`). */
export function parseContentRange(
  header: string | undefined,
): { start: number; end: number; total: number | undefined } | undefined {
  const match = header?.match(/^bytes (\d+)-(\d+)\/(\d+|\*)$/);
  if (!match) return undefined;
  return {
    start: Number(match[1]),
    end: Number(match[2]),
    total: match[3] === '*' ? undefined : Number(match[3]),
  };
}

function headerNumber(value: string | string[] | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

function describeFailure(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Downloads with resume, verifies, and renames into place. Keeps the `.part` when canceled or failing. */
export async function downloadResumable(options: ResumableDownloadOptions): Promise<DownloadResult> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number, signal?: AbortSignal) => delay(ms, undefined, { signal }));
  const get = options.get ?? storageGet;
  const maxStalled = options.maxAttemptsWithoutProgress ?? 8;
  const retryBaseMs = options.retryBaseMs ?? 250;
  const retryMaxMs = options.retryMaxMs ?? 10_000;
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  const progressIntervalMs = options.progressIntervalMs ?? 250;
  const checkpointIntervalMs = options.checkpointIntervalMs ?? 1000;
  const emit = (event: DownloadEvent): void => options.onEvent?.(event);
  const { signal } = options;

  let etag = options.resume?.etag;
  let totalBytes = options.resume?.totalBytes;
  let bytes = 0;
  const meter = new RateMeter();
  let lastProgressAt = -Infinity;
  let lastSampleAt = -Infinity;
  let lastCheckpointAt = -Infinity;
  let requests = 0;
  let resumes = 0;

  // Read-write without O_APPEND: writes go to explicit offsets, so a truncate-and-restart is exact.
  const file: FileHandle = await open(options.partPath, constants.O_RDWR | constants.O_CREAT, 0o644);
  // The MD5 of what is on disk, read back in the hashing worker (see disk-hasher.ts) as each batch is written.
  let hasher = new DiskHasher(file.fd);

  const checkpoint = (force: boolean): void => {
    const at = now();
    if (!force && at - lastCheckpointAt < checkpointIntervalMs) return;
    lastCheckpointAt = at;
    options.onCheckpoint?.({ bytes, totalBytes, etag });
  };
  const progress = (force: boolean): void => {
    const at = now();
    // Sampling at most every 50 ms keeps the meter's window small at any speed.
    if (force || at - lastSampleAt >= 50) {
      meter.sample(at, bytes);
      lastSampleAt = at;
    }
    if (!force && at - lastProgressAt < progressIntervalMs) return;
    lastProgressAt = at;
    emit({
      type: 'progress',
      bytes,
      totalBytes,
      bytesPerSecond: meter.bytesPerSecond(),
      etaSeconds: meter.etaSeconds(totalBytes),
    });
  };
  const restart = async (reason: string): Promise<void> => {
    emit({ type: 'restart', reason });
    await file.truncate(0);
    hasher.dispose();
    hasher = new DiskHasher(file.fd);
    bytes = 0;
    etag = undefined;
    totalBytes = undefined;
    checkpoint(true);
  };

  try {
    // Continue a .part only when a previous run recorded what it belongs to; an unknown prefix is not trusted.
    const existing = (await file.stat()).size;
    if (existing > 0 && etag !== undefined && (totalBytes === undefined || existing <= totalBytes)) {
      hasher.advance(existing);
      bytes = existing;
    } else if (existing > 0) {
      await restart('the partial file does not match what was recorded');
    }
    emit({ type: 'start', fromBytes: bytes, totalBytes });

    let stalled = 0;
    let integrityRetries = 1;
    /** Why the last attempt stopped: the storage's words, or the network's. */
    let lastReason = '';
    for (;;) {
      if (totalBytes !== undefined && bytes >= totalBytes) {
        const verdict = await verify(options.partPath, bytes, totalBytes, etag, hasher);
        if (verdict.ok) {
          progress(true);
          emit({ type: 'verified', bytes, md5: verdict.md5, etagChecked: isMd5Etag(etag) });
          await file.sync();
          await file.close();
          await rename(options.partPath, options.targetPath);
          return {
            path: options.targetPath,
            bytes,
            md5: verdict.md5,
            etag,
            etagVerified: isMd5Etag(etag),
            requests,
            resumes,
          };
        }
        if (integrityRetries-- > 0) {
          await restart(verdict.reason);
          continue;
        }
        throw new DownloadError('integrity', `downloaded file failed verification: ${verdict.reason}`);
      }
      if (signal?.aborted) throw canceled(signal.reason);
      if (stalled >= maxStalled) {
        throw new DownloadError(
          'download-failed',
          `download gave up after ${stalled} attempts without progress at ${bytes} bytes (${lastReason}); rerun to resume`,
        );
      }
      const startBytes = bytes;
      let reason: string | undefined;
      let response: StorageResponse | undefined;
      try {
        const url = await options.getUrl();
        const headers: Record<string, string> = { 'accept-encoding': 'identity' };
        if (bytes > 0) {
          headers.range = `bytes=${bytes}-`;
          if (etag !== undefined) headers['if-range'] = `"${etag}"`;
        }
        requests += 1;
        response = await get(url, { headers, signal, idleTimeoutMs });
        reason = await handleResponse(response, url);
      } catch (error) {
        response?.discard();
        if (signal?.aborted) throw canceled(error);
        if (error instanceof DownloadError) throw error;
        // The API said no for good (export gone, credentials rejected): do not retry it blindly.
        if (error instanceof AlegionError && !error.retryable) throw error;
        reason = describeFailure(error);
      }
      if (reason === undefined) continue;
      lastReason = reason;
      checkpoint(true);
      stalled = bytes > startBytes ? 0 : stalled + 1;
      const delayMs = stalled === 0 ? 0 : Math.min(retryMaxMs, retryBaseMs * 2 ** (stalled - 1));
      emit({ type: 'interrupted', reason, bytes, attempt: requests, delayMs });
      if (delayMs > 0) {
        try {
          await sleep(delayMs, signal);
        } catch (error) {
          throw canceled(error);
        }
      }
    }
  } catch (error) {
    await file.close().catch(() => undefined);
    throw error;
  } finally {
    hasher.dispose();
  }

  /** Streams one answer into the file. Returns why it stopped early, or undefined when it ended as expected. */
  async function handleResponse(response: StorageResponse, url: string): Promise<string | undefined> {
    const { status } = response;
    if (status === 403) return refusalReason(response, url);
    if (status === 404 || status === 410) {
      response.discard();
      throw new DownloadError('download-gone', `the export file is no longer in storage (HTTP ${status})`);
    }
    if (status === 416) {
      response.discard();
      const range = parseContentRange(headerText(response.headers['content-range']));
      if (range?.total !== undefined && range.total === bytes) {
        totalBytes = range.total;
        return undefined;
      }
      await restart('the storage refused the resume offset');
      return 'range not satisfiable';
    }
    if (status === 429 || status >= 500) {
      response.discard();
      return `storage answered HTTP ${status}`;
    }
    const responseEtag = parseEtag(response.headers.etag);
    if (status === 206) {
      const range = parseContentRange(headerText(response.headers['content-range']));
      if (!range || range.start !== bytes) {
        response.discard();
        await restart('the storage answered a different range than asked for');
        return 'unexpected Content-Range';
      }
      if (etag !== undefined && responseEtag !== undefined && responseEtag !== etag) {
        response.discard();
        await restart('the file in storage changed since the download began');
        return 'ETag changed';
      }
      etag = responseEtag ?? etag;
      totalBytes = range.total ?? totalBytes;
      if (bytes > 0) resumes += 1;
    } else if (status === 200) {
      if (bytes > 0) await restart('the storage ignored the range request and sent the whole file');
      etag = responseEtag;
      totalBytes = headerNumber(response.headers['content-length']);
    } else {
      response.discard();
      throw new DownloadError('download-failed', `storage answered HTTP ${status}`);
    }
    checkpoint(true);
    const writer = new PartWriter({
      file,
      offset: bytes,
      flushIntervalMs: progressIntervalMs,
      now,
      onWritten: (written) => {
        hasher.advance(written);
        bytes = written;
        progress(false);
        checkpoint(false);
      },
    });
    let broken: unknown;
    try {
      for await (const chunk of response.body) {
        if (writer.failed) break;
        await writer.push(chunk);
      }
    } catch (error) {
      broken = error;
    }
    // Bytes that arrived before a break are good bytes: keep them, so the resume asks only for the rest.
    try {
      await writer.finish();
    } catch (error) {
      // A full disk stays full however often the network is asked again: say so, and keep the .part to resume.
      if (isOutOfSpace(error)) {
        throw new DownloadError(
          'download-failed',
          `the disk is full: ${options.partPath} could not be written; free some space, then rerun to resume the download`,
          { cause: error },
        );
      }
      // Nothing after a failed write may be written (it would leave a gap); the next attempt resumes from disk.
      return `writing the partial file failed: ${describeFailure(error)}`;
    }
    if (broken !== undefined) {
      if (signal?.aborted) throw canceled(broken);
      return `connection broke: ${describeFailure(broken)}`;
    }
    if (totalBytes === undefined) totalBytes = bytes;
    return bytes < totalBytes ? 'the connection closed early' : undefined;
  }
}

/** No space left on the device, or the user's disk quota is used up. */
function isOutOfSpace(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function canceled(cause: unknown): DownloadError {
  return new DownloadError('canceled', 'download canceled; the partial file is kept for a later resume', {
    cause,
  });
}

async function verify(
  path: string,
  bytes: number,
  totalBytes: number,
  etag: string | undefined,
  hasher: DiskHasher,
): Promise<{ ok: true; md5: string } | { ok: false; reason: string }> {
  const size = (await stat(path)).size;
  if (size !== totalBytes || bytes !== totalBytes) {
    return { ok: false, reason: `size ${size} bytes, expected ${totalBytes}` };
  }
  const md5 = await hasher.digest(bytes);
  if (isMd5Etag(etag) && etag.toLowerCase() !== md5) {
    return { ok: false, reason: `MD5 ${md5} does not match the storage ETag ${etag}` };
  }
  return { ok: true, md5 };
}

/** Removes a `.part` file that will never be resumed (a failed or abandoned export). */
export async function discardPart(partPath: string): Promise<void> {
  await rm(partPath, { force: true });
}
