/**
 * The caps that stop a zip bomb: how many files, how many bytes in all, and how far an entry may expand.
 *
 * The ratio: Deflate cannot expand data more than about 1032 times, and what an export holds (JSON, PNG, JPEG,
 * video) compresses 2 to 20 times; even very repetitive JSON stays well under 100. So an entry that comes out more
 * than 100 times larger than it went in is a bomb, not a result, once it is past 8 MiB (below that, a small file
 * of zeros or spaces is harmless whatever its ratio). The same rule applies to the archive as a whole, which stops
 * a bomb spread over thousands of small entries long before the total cap. It is checked on the sizes declared in
 * the central directory before anything is written, and on the bytes actually inflated while extracting: an entry
 * is stopped the moment its output passes what it declared.
 */

/** Caps that stop a zip bomb. */
export interface ExtractLimits {
  /** Most files (directories not counted). Default 200,000. */
  maxFiles: number;
  /** Most bytes written in total, after decompression. Default 16 GiB. */
  maxTotalBytes: number;
  /** Most an entry (or the whole archive) may expand: uncompressed / compressed bytes. Default 100. */
  maxRatio: number;
  /** Uncompressed bytes below which the ratio is not checked. Default 8 MiB. */
  ratioFreeBytes: number;
}

export const DEFAULT_EXTRACT_LIMITS: ExtractLimits = {
  maxFiles: 200_000,
  maxTotalBytes: 16 * 1024 ** 3,
  maxRatio: 100,
  ratioFreeBytes: 8 * 1024 ** 2,
};

/** Why `uncompressed` bytes out of `compressed` exceed the ratio, or undefined when they do not. */
export function ratioProblem(
  uncompressed: number,
  compressed: number,
  limits: ExtractLimits,
): string | undefined {
  if (uncompressed <= limits.ratioFreeBytes) return undefined;
  if (uncompressed <= limits.maxRatio * compressed) return undefined;
  const ratio = compressed === 0 ? 'without limit' : `${Math.round(uncompressed / compressed)} times`;
  return `expands ${ratio} (${compressed} bytes to ${uncompressed}), more than the ${limits.maxRatio} times a real file does`;
}
