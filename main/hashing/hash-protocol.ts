/**
 * Messages between the main thread and the hashing worker. Every request names a job (one running MD5) and a
 * sequence number; the worker answers each request once, in the order it got them.
 */

/**
 * Reads up to `length` bytes of the open file `fd` at `position` into `buffer` (handed over; a new one when it is
 * missing or too small), hashes them, and hands the buffer back.
 */
interface ReadRequest {
  op: 'read';
  job: number;
  seq: number;
  fd: number;
  position: number;
  length: number;
  buffer: ArrayBuffer | undefined;
}

/** The hex MD5 of everything the job hashed; the job is forgotten afterwards. */
interface DigestRequest {
  op: 'digest';
  job: number;
  seq: number;
}

/** Forgets a job without a digest (canceled, failed, or restarted from byte 0). */
interface DropRequest {
  op: 'drop';
  job: number;
  seq: number;
}

/**
 * Reads a small file whole in one go (open, read, fstat, close, all in the worker), hashing it when asked: the
 * bytes come back with the size and modification time the file had once read. Its job is used for nothing else.
 */
interface ReadWholeRequest {
  op: 'readWhole';
  job: number;
  seq: number;
  path: string;
  /** The size queued: one byte more is read, so a file that grew shows it. */
  size: number;
  hash: boolean;
  /** Where the bytes go (at least size + 1 long; only size + 1 bytes are read), handed over and back. */
  buffer: ArrayBuffer;
}

export type HashRequest = ReadRequest | DigestRequest | DropRequest | ReadWholeRequest;

/** A failed request: the error's message and its errno code, so fs errors keep their meaning. */
interface HashFailure {
  job: number;
  seq: number;
  ok: false;
  message: string;
  code: string | undefined;
}

/**
 * A done request: read answers carry their buffer back and the bytes read, digest answers the MD5, a whole read
 * all of these and the file's size and modification time after the read.
 */
interface HashSuccess {
  job: number;
  seq: number;
  ok: true;
  buffer?: ArrayBuffer;
  bytes?: number;
  md5?: string;
  statSize?: number;
  mtimeMs?: number;
}

export type HashReply = HashSuccess | HashFailure;
