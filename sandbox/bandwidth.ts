/**
 * A bandwidth cap in front of the sandbox, like one network link to the platform: a TCP relay on the listen port
 * forwards every connection to the sandbox's own server, and every byte in each direction (request headers and
 * bodies, answers, uploads to storage and downloads from it) passes one pacer per direction shared by every
 * connection. So four uploads at once share the cap, as they would share a user's uplink.
 */
import { createConnection, createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Paces bytes to a rate, first come first served: each chunk is let through once the link would have carried it
 * after every chunk reserved before it (a virtual clock, so timer granularity never loses bandwidth).
 */
class LinkPacer {
  private readonly bytesPerMs: number;
  /** When (performance.now() ms) the link is free again. */
  private freeAt = 0;

  constructor(megabitsPerSecond: number) {
    this.bytesPerMs = (megabitsPerSecond * 1_000_000) / 8 / 1000;
  }

  /** Resolves once `bytes` have gone through the link. */
  carry(bytes: number): Promise<void> {
    const now = performance.now();
    this.freeAt = Math.max(this.freeAt, now) + bytes / this.bytesPerMs;
    const wait = this.freeAt - now;
    return wait < 1 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, wait));
  }
}

function paced(pacer: LinkPacer): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      void pacer.carry(chunk.length).then(() => callback(null, chunk));
    },
  });
}

/** A relay that listens and caps what it forwards. */
interface BandwidthCap {
  port: number;
  close(): Promise<void>;
}

/**
 * Listens on `port` (127.0.0.1) and relays each connection to `targetPort`, `megabitsPerSecond` per direction
 * for all connections together. Closing either side closes the other.
 */
export async function startBandwidthCap(
  port: number,
  targetPort: number,
  megabitsPerSecond: number,
): Promise<BandwidthCap> {
  const upstream = new LinkPacer(megabitsPerSecond);
  const downstream = new LinkPacer(megabitsPerSecond);
  const clients = new Set<Socket>();
  const server: Server = createServer((client) => {
    clients.add(client);
    const sandboxSide = createConnection({ host: '127.0.0.1', port: targetPort });
    client.setNoDelay(true);
    sandboxSide.setNoDelay(true);
    client.on('close', () => clients.delete(client));
    const closeBoth = (): void => {
      client.destroy();
      sandboxSide.destroy();
    };
    // A direction that ends passes its end on (a half-close); one that fails, as when the sandbox drops a
    // connection, drops both sides. Errors are the peers' business, not the relay's.
    void pipeline(client, paced(upstream), sandboxSide).catch(closeBoth);
    void pipeline(sandboxSide, paced(downstream), client).catch(closeBoth);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const client of clients) client.destroy();
      await stopped;
    },
  };
}
