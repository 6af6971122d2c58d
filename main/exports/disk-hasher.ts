/**
 * The MD5 of a `.part` file, computed in a worker thread from what is on disk while the download goes on. Hashing
 * on the main thread took as long as reading the socket, so the two could not overlap; the worker reads back each
 * batch after it is written (from the page cache), which also covers a prefix left by an earlier run the same way.
 * The worker's code is plain JavaScript given as a string, so it runs the same from the sources and from a bundle.
 */
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { openSync, readSync, closeSync } = require('node:fs');
const hash = createHash('md5');
const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
let hashed = 0;
let fd = null;
let failure = null;
function advance(upTo) {
  if (fd === null) fd = openSync(workerData.path, 'r');
  while (hashed < upTo) {
    const n = readSync(fd, buffer, 0, Math.min(buffer.length, upTo - hashed), hashed);
    if (n === 0) throw new Error('the partial file ends at ' + hashed + ' bytes, before the ' + upTo + ' written');
    hash.update(buffer.subarray(0, n));
    hashed += n;
  }
}
parentPort.on('message', (message) => {
  try {
    if (failure === null) advance(message.upTo);
  } catch (error) {
    failure = error && error.message ? error.message : String(error);
  }
  if (message.digest) {
    if (fd !== null) closeSync(fd);
    fd = null;
    parentPort.postMessage(failure === null ? { md5: hash.copy().digest('hex'), bytes: hashed } : { failure });
  }
});
`;

export class DiskHasher {
  readonly #worker: Worker;

  constructor(path: string) {
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path } });
    // An idle hasher never keeps the process alive; every use ends with dispose().
    this.#worker.unref();
  }

  /** The file holds `bytes` bytes that are final: hash up to there (in the background). */
  advance(bytes: number): void {
    this.#worker.postMessage({ upTo: bytes });
  }

  /** The MD5 (hex) of the first `bytes` bytes, once the worker has read them. */
  async digest(bytes: number): Promise<string> {
    const answered = new Promise<{ md5?: string; failure?: string }>((resolve, reject) => {
      this.#worker.once('message', resolve);
      this.#worker.once('error', reject);
    });
    this.#worker.postMessage({ upTo: bytes, digest: true });
    const answer = await answered;
    if (answer.failure !== undefined || answer.md5 === undefined) {
      throw new Error(`hashing the partial file failed: ${answer.failure ?? 'no answer'}`);
    }
    return answer.md5;
  }

  /** Stops the worker (the hash so far is dropped). */
  async dispose(): Promise<void> {
    await this.#worker.terminate();
  }
}
