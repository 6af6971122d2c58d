/**
 * Compression methods of zip entries. Only Stored (0) and Deflate (8) are extracted: they are what the platform's
 * exports and nearly every archiver write, and what yauzl reads. Any other method is named, with what to do, rather
 * than reported as a number. Adding bzip2 would take a dependency (seek-bzip is the pure-JavaScript decoder), and
 * Deflate64 one more still; exports never use either.
 */

/** Methods this app extracts. */
const EXTRACTABLE_METHODS = new Set([0, 8]);

/** Names of the other methods of the zip specification (APPNOTE 4.4.5) that archivers actually write. */
const METHOD_NAMES: Record<number, string> = {
  1: 'Shrink',
  6: 'Implode',
  9: 'Deflate64',
  12: 'bzip2',
  14: 'LZMA',
  93: 'Zstandard',
  95: 'XZ',
  96: 'JPEG',
  97: 'WavPack',
  98: 'PPMd',
  99: 'AES encryption',
};

/** The name of a compression method, e.g. "bzip2" or "method 77". */
function methodName(method: number): string {
  return METHOD_NAMES[method] ?? `method ${method}`;
}

/** Why an entry with this method cannot be extracted (with what to do), or undefined when it can. */
export function unsupportedMethodReason(method: number): string | undefined {
  if (EXTRACTABLE_METHODS.has(method)) return undefined;
  return `is compressed with ${methodName(method)}, which this app cannot extract; re-create the export or extract it with 7-Zip`;
}
