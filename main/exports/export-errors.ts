/**
 * Errors of the export side. Messages are written for a person, name what to do next, and never contain a signed
 * URL's query string.
 */

/** Stable codes, safe to show or to branch on. */
type ExportErrorCode =
  | 'invalid-request'
  | 'busy'
  | 'export-failed'
  | 'export-timeout'
  | 'download-failed'
  | 'download-gone'
  | 'integrity'
  | 'canceled'
  | 'unsafe-archive'
  | 'archive-too-large'
  | 'target-exists';

/** Base class of everything the export runner, downloader and extractor throw on purpose. */
export class ExportError extends Error {
  readonly code: ExportErrorCode;
  constructor(code: ExportErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'ExportError';
    this.code = code;
  }
}

/** The server reported the export as failed (or in a status that will never become ready). */
export class ExportFailedError extends ExportError {
  readonly exportId: string;
  readonly status: string;
  constructor(exportId: string, status: string) {
    super(
      'export-failed',
      `export ${exportId} ended with status "${status}" on the server; create a new export`,
    );
    this.name = 'ExportFailedError';
    this.exportId = exportId;
    this.status = status;
  }
}

/** The download could not be completed or its bytes did not verify. */
export class DownloadError extends ExportError {
  constructor(code: ExportErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
    this.name = 'DownloadError';
  }
}

/** A zip entry would land outside the target, is a link or a device, or the archive exceeds the caps. */
export class UnsafeArchiveError extends ExportError {
  constructor(code: 'unsafe-archive' | 'archive-too-large', message: string) {
    super(code, message);
    this.name = 'UnsafeArchiveError';
  }
}

/** A URL without its query string and credentials: what may appear in a message about a signed link. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
