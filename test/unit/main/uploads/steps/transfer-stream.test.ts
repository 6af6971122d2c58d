import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../../../../main/uploads/queue/limits.ts';
import {
  WORKER_MIN_BYTES,
  WorkerHashedFile,
  openTransfer,
} from '../../../../../main/uploads/steps/transfer-stream.ts';

const md5 = (data: Uint8Array): string => createHash('md5').update(data).digest('hex');
const dir = mkdtempSync(join(tmpdir(), 'transfer-stream-'));

function fileOf(name: string, size: number): { path: string; data: Buffer } {
  const data = randomBytes(size);
  const path = join(dir, name);
  writeFileSync(path, data);
  return { path, data };
}

describe('openTransfer', () => {
  it('sends a large file read in the worker, with its buffers reused once sent, and its MD5', async () => {
    const { path, data } = fileOf('large.bin', WORKER_MIN_BYTES + 3 * 1024 * 1024 + 17);
    const transfer = openTransfer(path, data.length);
    expect(transfer.body).toBeInstanceOf(WorkerHashedFile);
    expect(transfer.release).toBeDefined();
    const received: Buffer[] = [];
    for await (const chunk of transfer.body as AsyncIterable<Buffer>) {
      received.push(Buffer.from(chunk));
      // As the socket does once it has sent a chunk: the buffer is read into again.
      transfer.release?.(chunk);
    }
    expect(Buffer.concat(received).equals(data)).toBe(true);
    expect(await transfer.result()).toEqual({ bytes: data.length, md5: md5(data) });
  });

  it('hashes a small file on the main thread', async () => {
    const { path, data } = fileOf('small.bin', 200_000);
    const transfer = openTransfer(path, data.length);
    expect(transfer.body).not.toBeInstanceOf(WorkerHashedFile);
    const received: Buffer[] = [];
    for await (const chunk of transfer.body as AsyncIterable<Buffer>) received.push(chunk);
    expect(Buffer.concat(received).equals(data)).toBe(true);
    expect(await transfer.result()).toEqual({ bytes: data.length, md5: md5(data) });
  });

  it('waits on a limit set while a large file is sent, and still hashes it whole', async () => {
    const { path, data } = fileOf('limited.bin', WORKER_MIN_BYTES + 1000);
    const taken: number[] = [];
    const bucket = new TokenBucket(0);
    const take = bucket.take.bind(bucket);
    bucket.take = (bytes, signal) => {
      taken.push(bytes);
      return take(bytes, signal);
    };
    const transfer = openTransfer(path, data.length, bucket);
    bucket.setRate(1e10);
    let sent = 0;
    for await (const chunk of transfer.body as AsyncIterable<Buffer>) sent += chunk.length;
    expect(sent).toBe(data.length);
    expect(taken.reduce((sum, bytes) => sum + bytes, 0)).toBe(data.length);
    expect(await transfer.result()).toEqual({ bytes: data.length, md5: md5(data) });
  });

  it('fails with the file system error when the file is gone', async () => {
    const transfer = openTransfer(join(dir, 'gone.bin'), WORKER_MIN_BYTES);
    const consume = async (): Promise<void> => {
      for await (const chunk of transfer.body as AsyncIterable<Buffer>) void chunk;
    };
    await expect(consume()).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(transfer.result()).rejects.toThrow(/not read to its end/);
  });

  it('reports the bytes actually read when the file is shorter than queued', async () => {
    const { path, data } = fileOf('shrunk.bin', WORKER_MIN_BYTES + 10);
    const transfer = openTransfer(path, data.length + 5000);
    for await (const chunk of transfer.body as AsyncIterable<Buffer>) void chunk;
    expect((await transfer.result()).bytes).toBe(data.length);
  });
});
