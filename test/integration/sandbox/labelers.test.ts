/**
 * Simulated labelers: only enabled batches are worked; outcomes are reproducible with a seed; exceptions end
 * canceled or restarted-and-complete, or stay unresolved in exception at `unresolvedExceptionRate`; completed tasks
 * carry plausible annotations per media kind.
 */
import { describe, expect, it } from 'vitest';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/seed.ts';
import { startSandbox } from '../../../sandbox/server.ts';
import type { RunningSandbox } from '../../../sandbox/server.ts';
import { FAST_LABELERS, useSandbox } from '../../support/sandbox.ts';
import { connect, labelAssets, uploadAsset, waitFor } from './sandbox-api.ts';

const sandbox = useSandbox(FAST_LABELERS);

const FINAL = new Set(['complete', 'canceled']);

/** A new enabled batch of `count` imported records. */
async function importedBatch(target: RunningSandbox, name: string, count: number) {
  const api = await connect(target);
  const batch = await api.json<{ id: string }>('POST', `/workflows/${SANDBOX_WORKFLOWS.records}/batches`, {
    name,
    isEnabled: true,
  });
  await api.json(
    'POST',
    `/batches/${batch.id}/records/import`,
    Array.from({ length: count }, (_, n) => ({ data: { n } })),
  );
  return { api, batch };
}

/** Imports `count` records into a new enabled batch and returns their final statuses in creation order. */
async function finalStatuses(target: RunningSandbox, count: number): Promise<string[]> {
  const { api, batch } = await importedBatch(target, 'seeded', count);
  return waitFor(async () => {
    const records = await api.json<{ status: string }[]>(
      'GET',
      `/batches/${batch.id}/records?pageSize=1000&sort=%2BcreatedAt`,
    );
    return records.every((r) => FINAL.has(r.status)) ? records.map((r) => r.status) : undefined;
  });
}

describe('simulated labelers', () => {
  it('work at most `workers` tasks at once, so the tasks finish one after the other at a steady rate', async () => {
    const target = await startSandbox({ port: 0, taskSeconds: 0.2, exceptionRate: 0, seed: 3 });
    try {
      target.setLabelers({ workers: 2 });
      const { api, batch } = await importedBatch(target, 'team of two', 10);
      let mostAtOnce = 0;
      await waitFor(async () => {
        const byStatus = target.stats().recordsByBatch[batch.id] ?? {};
        mostAtOnce = Math.max(mostAtOnce, byStatus['in-progress'] ?? 0);
        return byStatus.complete === 10 ? true : undefined;
      });
      expect(mostAtOnce).toBeGreaterThan(0);
      expect(mostAtOnce).toBeLessThanOrEqual(2);
      const results = await api.json<{ createdAt: string }[]>(
        'GET',
        `/exports/workflows/${SANDBOX_WORKFLOWS.records}/results?batchIds=${batch.id}&pageSize=100`,
      );
      const times = results.map((r) => Date.parse(r.createdAt)).sort((a, b) => a - b);
      // Two at a time, 0.2 s each: the ten results come in five pairs, at least 0.8 s from the first to the last.
      expect(times).toHaveLength(10);
      expect((times[9] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(800 - 30);
    } finally {
      await target.close();
    }
  });

  it('repeat their choices for the same seed, and end every exception canceled or complete', async () => {
    const options = { port: 0, taskSeconds: 0, exceptionRate: 0.5, cancelRate: 0.5, seed: 42 };
    const runs: string[][] = [];
    for (let i = 0; i < 2; i++) {
      const target = await startSandbox(options);
      try {
        runs.push(await finalStatuses(target, 60));
        const stats = target.stats();
        expect(stats.results).toBe(runs[i]?.filter((s) => s === 'complete').length);
      } finally {
        await target.close();
      }
    }
    expect(runs[0]).toEqual(runs[1]);
    const canceled = runs[0]?.filter((s) => s === 'canceled').length ?? 0;
    // 60 tasks at 50% exceptions and 50% cancels: some are canceled, most complete.
    expect(canceled).toBeGreaterThan(0);
    expect(canceled).toBeLessThan(60);
  });

  it('leave a seeded share of exceptions unresolved, reproducibly, with batch counts matching the stats', async () => {
    const options = {
      port: 0,
      taskSeconds: 0,
      exceptionRate: 0.5,
      cancelRate: 0.5,
      unresolvedExceptionRate: 0.5,
      seed: 7,
    };
    const runs: Record<string, number>[] = [];
    for (let i = 0; i < 2; i++) {
      const target = await startSandbox(options);
      try {
        const api = await connect(target);
        const batch = await api.json<{ id: string }>(
          'POST',
          `/workflows/${SANDBOX_WORKFLOWS.records}/batches`,
          { name: 'unresolved', isEnabled: true },
        );
        await api.json(
          'POST',
          `/batches/${batch.id}/records/import`,
          Array.from({ length: 80 }, (_, n) => ({ data: { n } })),
        );
        const byStatus = await waitFor(async () => {
          const counts = target.stats().recordsByBatch[batch.id] ?? {};
          const final = (counts.complete ?? 0) + (counts.canceled ?? 0) + (counts.exception ?? 0);
          return final === 80 ? counts : undefined;
        });
        // Final means final: a later look finds the same counts, and no result for an unresolved exception.
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(target.stats().recordsByBatch[batch.id]).toEqual(byStatus);
        expect(byStatus.exception).toBeGreaterThan(0);
        expect(byStatus.canceled).toBeGreaterThan(0);
        expect(byStatus.complete).toBeGreaterThan(0);
        expect(target.stats().results).toBe(byStatus.complete);
        const summaries = await api.json<(Record<string, number> & { id: string })[]>(
          'GET',
          `/workflows/${SANDBOX_WORKFLOWS.records}/batches`,
        );
        expect(summaries.find((s) => s.id === batch.id)).toMatchObject({
          complete: byStatus.complete,
          exceptions: byStatus.exception,
          canceled: byStatus.canceled,
          queued: 0,
          inProgress: 0,
        });
        runs.push(byStatus);
      } finally {
        await target.close();
      }
    }
    expect(runs[0]).toEqual(runs[1]);
  });

  it('work only enabled batches, and show exception while an exception is pending', async () => {
    const target = await startSandbox({
      port: 0,
      taskSeconds: 0.4,
      exceptionRate: 1,
      cancelRate: 0,
      seed: 3,
    });
    try {
      const api = await connect(target);
      const batch = await api.json<{ id: string }>(
        'POST',
        `/workflows/${SANDBOX_WORKFLOWS.records}/batches`,
        {
          name: 'off',
        },
      );
      await api.json('POST', `/batches/${batch.id}/records/import`, [{ data: { a: 1 } }]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(target.stats().recordsByBatch[batch.id]).toEqual({ queued: 1 });
      await api.json('PUT', `/batches/${batch.id}`, { isEnabled: true });
      await waitFor(async () => {
        const exceptions = await api.call(
          'GET',
          `/batches/${batch.id}/records?status=exception&page=1&pageSize=1`,
        );
        return exceptions.headers.get('x-total-count') === '1' ? true : undefined;
      });
      const result = await waitFor(async () => {
        const results = await api.json<{ iteration: number }[]>('GET', `/batches/${batch.id}/results`);
        return results[0];
      });
      // A restarted task completes on its second iteration.
      expect(result.iteration).toBe(1);
      const [summary] = await api.json<Record<string, number>[]>(
        'GET',
        `/workflows/${SANDBOX_WORKFLOWS.records}/batches`,
      );
      expect(summary).toMatchObject({ complete: 1, exceptions: 0, canceled: 0 });
    } finally {
      await target.close();
    }
  });

  it('can be paused and sped up through /__sandbox/labelers', async () => {
    const target = sandbox();
    const post = (body: unknown) =>
      fetch(`${target.origin}/__sandbox/labelers`, {
        method: 'POST',
        headers: { 'x-api-key': target.options.apiKey, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post({ enabled: false })).status).toBe(200);
    const api = await connect(target);
    const batch = await api.json<{ id: string }>('POST', `/workflows/${SANDBOX_WORKFLOWS.records}/batches`, {
      name: 'paused',
      isEnabled: true,
    });
    await api.json('POST', `/batches/${batch.id}/records/import`, [{ data: { a: 1 } }]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(target.stats().recordsByBatch[batch.id]).toEqual({ queued: 1 });
    expect(await (await post({ enabled: true, taskSeconds: 0 })).json()).toMatchObject({
      enabled: true,
      taskSeconds: 0,
    });
    await waitFor(async () => (target.stats().recordsByBatch[batch.id]?.complete === 1 ? true : undefined));
    expect((await post({ taskSeconds: -1 })).status).toBe(422);
    expect((await post({ unresolvedExceptionRate: 1.5 })).status).toBe(422);
    // Every task an exception, every exception unresolved: the next record stays in exception.
    expect(await (await post({ exceptionRate: 1, unresolvedExceptionRate: 1 })).json()).toMatchObject({
      exceptionRate: 1,
      unresolvedExceptionRate: 1,
    });
    await api.json('POST', `/batches/${batch.id}/records/import`, [{ data: { a: 2 } }]);
    await waitFor(async () => (target.stats().recordsByBatch[batch.id]?.exception === 1 ? true : undefined));
    target.setLabelers({ exceptionRate: 0, unresolvedExceptionRate: 0 });
  });

  it('annotate images with boxes, video with frames, text with spans and records with answers', async () => {
    const api = await connect(sandbox());
    const kinds = [
      { workflowId: SANDBOX_WORKFLOWS.image, type: 'image', fileName: 'a.jpg', key: 'boxes' },
      { workflowId: SANDBOX_WORKFLOWS.video, type: 'video', fileName: 'a.mp4', key: 'frames' },
      { workflowId: SANDBOX_WORKFLOWS.text, type: 'text', fileName: 'a.txt', key: 'spans' },
    ];
    for (const kind of kinds) {
      const asset = await uploadAsset(api, {
        name: `annotated ${kind.type}`,
        fileName: kind.fileName,
        type: kind.type,
        content: Buffer.from('Alice works at Acme in Paris. '.repeat(20)),
      });
      await labelAssets(api, kind.workflowId, [asset.id]);
      const exported = await exportJson(api, kind.workflowId);
      const mine = exported.find((r) => r.inputRecord.assetId === asset.id);
      expect(mine?.resultData).toHaveProperty(kind.key);
      expect((mine?.resultData as Record<string, unknown[]>)[kind.key]?.length).toBeGreaterThan(0);
    }
    const batch = await api.json<{ id: string }>('POST', `/workflows/${SANDBOX_WORKFLOWS.records}/batches`, {
      name: 'answers',
      isEnabled: true,
    });
    await api.json('POST', `/batches/${batch.id}/records/import`, [{ data: { q: 'x' }, metadata: 'ext-1' }]);
    await waitFor(async () =>
      sandbox().stats().recordsByBatch[batch.id]?.complete === 1 ? true : undefined,
    );
    const records = await exportJson(api, SANDBOX_WORKFLOWS.records);
    const answered = records.find((r) => r.inputRecord.metadata === 'ext-1');
    expect(answered?.resultData).toHaveProperty('answers');
  });
});

interface ExportedResult {
  inputRecord: { assetId: string | null; metadata: string | null };
  resultData: unknown;
}

async function exportJson(
  api: Awaited<ReturnType<typeof connect>>,
  workflowId: string,
): Promise<ExportedResult[]> {
  const created = await api.json<{ id: string }>('POST', '/exports/record-result-exports', {
    fileType: 'json',
    filename: 'plain.json',
    workflowId,
  });
  await waitFor(async () => {
    const current = await api.json<{ status: string }>('GET', `/exports/record-result-exports/${created.id}`);
    return current.status === 'ready' ? true : undefined;
  });
  const location = (
    await api.call('GET', `/exports/record-result-exports/${created.id}/download`)
  ).headers.get('location');
  return (await (await fetch(location ?? '')).json()) as ExportedResult[];
}
