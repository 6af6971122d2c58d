/**
 * What probing a video yields, shared by the container parsers, and the error they throw for a file they cannot
 * read.
 */

/** What the register call needs to know about a video. */
export interface VideoProbe {
  /**
   * Frames per second. For a constant rate, the exact rate the container stores (30000/1001 for NTSC "29.97", not
   * 29.97 rounded). For a variable rate, the average: (frames − 1) / (last timestamp − first timestamp), the
   * timestamps in presentation order.
   */
  fps: number;
  /** True when the frames are not evenly spaced in time, so `fps` is the average. */
  variableFrameRate: boolean;
  /** Every frame the decoder would show, counted exactly. */
  frameCount: number;
  durationSeconds: number;
  /** Codec name, e.g. "AVC", "HEVC", "VP9". */
  codec?: string;
  width?: number;
  height?: number;
  /**
   * The MD5 of every byte the probe read, and how many, when it had to read the file whole anyway (a container with
   * neither index nor duration). It is the file's MD5 when `bytes` is the size the file was queued with.
   */
  hashed?: { md5: string; bytes: number };
  /** Bytes the probe read off the disk. */
  bytesRead: number;
}

/** A video that cannot be probed; the message is the item's failure reason. */
export class ProbeError extends Error {
  override name = 'ProbeError';
}

/** The start of every message about a file that is not a readable video. */
export const CORRUPT = 'corrupt or unsupported video';
