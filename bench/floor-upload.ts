/**
 * The protocol's floor for many small files: the same requests as the engine (login, batch, then per file
 * register, open session, PUT, close; records in chunks of 1,000), from a minimal client with keep-alive and the
 * engine's concurrency, and nothing else: no journal, no hashing, no probing, no progress, no retries.
 *
 * Usage: node bench/floor-upload.ts --list FILE --workflow ID --batch-name NAME --type image
 *          [--api-concurrency N] [--put-concurrency N]      (credentials from ALEGION_* variables)
 * Prints `{ "batchId": ..., "files": N }`.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    list: { type: 'string' },
    workflow: { type: 'string' },
    'batch-name': { type: 'string' },
    type: { type: 'string', default: 'image' },
    'api-concurrency': { type: 'string', default: '8' },
    'put-concurrency': { type: 'string', default: '8' },
  },
});
const env = process.env;
const apiUrl = env.ALEGION_API_URL ?? '';
if (!values.list || !values.workflow || !values['batch-name'] || !apiUrl) {
  process.stderr.write(
    'usage: floor-upload.ts --list FILE --workflow ID --batch-name NAME (ALEGION_* set)\n',
  );
  process.exit(2);
}
const apiConcurrency = Number(values['api-concurrency']);
const putConcurrency = Number(values['put-concurrency']);
const agent = new Agent({ keepAlive: true, maxSockets: apiConcurrency + putConcurrency });

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function send(
  method: string,
  url: string,
  headers: Record<string, string | number>,
  body?: Buffer | string | NodeJS.ReadableStream,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const reply = { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) };
        if (reply.status >= 400)
          reject(new Error(`${method} ${new URL(url).pathname} answered ${reply.status}`));
        else resolve(reply);
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) req.end(body);
    else body.pipe(req);
  });
}

/** A counting semaphore: at most `limit` holders at once. */
function limiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

const login = await send(
  'POST',
  `${apiUrl}/login`,
  { 'x-api-key': env.ALEGION_API_KEY ?? '', 'content-type': 'application/json' },
  JSON.stringify({ username: env.ALEGION_USERNAME, password: env.ALEGION_PASSWORD }),
);
const token = (JSON.parse(login.body.toString()) as { access_token: string }).access_token;
const auth = { 'x-api-key': env.ALEGION_API_KEY ?? '', authorization: `Bearer ${token}` };
const api = limiter(apiConcurrency);
const put = limiter(putConcurrency);
const apiJson = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
  const reply = await api(() =>
    send(
      method,
      `${apiUrl}${path}`,
      { ...auth, 'content-type': 'application/json' },
      body === undefined ? undefined : JSON.stringify(body),
    ),
  );
  return (reply.body.length > 0 ? JSON.parse(reply.body.toString()) : null) as T;
};

const batch = await apiJson<{ id: string }>('POST', `/workflows/${values.workflow}/batches`, {
  name: values['batch-name'],
  isEnabled: false,
});
const files = (await readFile(values.list, 'utf8')).split('\n').filter((line) => line !== '');
const closed: string[] = [];
const posts: Promise<unknown>[] = [];
const flush = (): void => {
  const assetIds = closed.splice(0, 1000);
  if (assetIds.length > 0) posts.push(apiJson('POST', `/batches/${batch.id}/records/assets`, { assetIds }));
};

let next = 0;
const worker = async (): Promise<void> => {
  while (next < files.length) {
    const file = files[next++] as string;
    const name = basename(file);
    const asset = await apiJson<{ id: string }>('POST', '/assets', {
      name,
      fileName: name,
      type: values.type,
    });
    const session = await apiJson<{ url: string }>('POST', `/assets/${asset.id}/upload`);
    const { size } = await stat(file);
    await put(() => send('PUT', session.url, { 'content-length': size }, createReadStream(file)));
    await apiJson('DELETE', `/assets/${asset.id}/upload`);
    closed.push(asset.id);
    if (closed.length >= 1000) flush();
  }
};
// Enough workers to keep both limits busy: a worker waiting on a PUT slot does not hold an API slot.
await Promise.all(Array.from({ length: Math.max(apiConcurrency, putConcurrency) }, worker));
flush();
await Promise.all(posts);
agent.destroy();
process.stdout.write(`${JSON.stringify({ batchId: batch.id, files: files.length })}\n`);
