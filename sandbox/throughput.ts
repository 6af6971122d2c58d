/**
 * Measures how many requests per second a tight client loop gets through the sandbox: one keep-alive client,
 * `concurrency` requests in flight, a mix of authenticated GETs (batch, records page) for `seconds`.
 *
 * Run: node sandbox/throughput.ts [seconds=5] [concurrency=8]
 */
import { Agent, request } from 'node:http';
import { SANDBOX_WORKFLOWS } from './seed.ts';
import { startSandbox } from './server.ts';

function call(
  agent: Agent,
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs the measurement and prints one line per phase. */
export async function measureThroughput(seconds: number, concurrency: number): Promise<number> {
  const sandbox = await startSandbox({ port: 0, labelers: false });
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  try {
    const key = { 'x-api-key': sandbox.options.apiKey, 'content-type': 'application/json' };
    const login = await call(
      agent,
      `${sandbox.baseUrl}/login`,
      'POST',
      key,
      '{"username":"sandbox","password":"sandbox"}',
    );
    const token = (JSON.parse(login.text) as { access_token: string }).access_token;
    const headers = { ...key, authorization: `Bearer ${token}` };
    const batch = JSON.parse(
      (
        await call(
          agent,
          `${sandbox.baseUrl}/workflows/${SANDBOX_WORKFLOWS.records}/batches`,
          'POST',
          headers,
          '{"name":"throughput"}',
        )
      ).text,
    ) as { id: string };
    const records = JSON.stringify(Array.from({ length: 100 }, (_, n) => ({ data: { n } })));
    await call(agent, `${sandbox.baseUrl}/batches/${batch.id}/records/import`, 'POST', headers, records);
    const urls = [
      `${sandbox.baseUrl}/batches/${batch.id}`,
      `${sandbox.baseUrl}/batches/${batch.id}/records?pageSize=20`,
    ];
    const deadline = Date.now() + seconds * 1000;
    let done = 0;
    let failed = 0;
    const worker = async (): Promise<void> => {
      while (Date.now() < deadline) {
        const response = await call(agent, urls[done % urls.length] ?? '', 'GET', headers);
        if (response.status === 200) done++;
        else failed++;
      }
    };
    const started = Date.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    const perSecond = Math.round(done / ((Date.now() - started) / 1000));
    process.stdout.write(
      `sandbox throughput: ${perSecond} requests/s (${done} ok, ${failed} failed, ${concurrency} in flight, ${seconds} s)\n`,
    );
    return perSecond;
  } finally {
    agent.destroy();
    await sandbox.close();
  }
}

if (import.meta.main) {
  await measureThroughput(Number(process.argv[2] ?? 5), Number(process.argv[3] ?? 8));
}
