/**
 * The QueueRunner's scheduling alone, with fake steps over a real journal: how many items it works at once, which
 * failures it retries and which it fails at once, and that one item's failure leaves the others going.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useTempJournal } from '../../../../support/temp-journal.ts';
import type { AlegionClient } from '../../../../../main/alegion/types.ts';
import { ContentDedupe } from '../../../../../main/uploads/intake/content-dedupe.ts';
import { advanceItem, getItem, insertFiles } from '../../../../../main/uploads/journal/items.ts';
import { openLinkVault } from '../../../../../main/uploads/journal/link-vault.ts';
import { ensureTarget, openRun } from '../../../../../main/uploads/journal/targets.ts';
import { ItemFailure } from '../../../../../main/uploads/queue/failures.ts';
import { Limiter, TokenBucket } from '../../../../../main/uploads/queue/limits.ts';
import { ProgressTracker } from '../../../../../main/uploads/queue/progress.ts';
import { QueueRunner } from '../../../../../main/uploads/queue/queue-runner.ts';
import type { ItemSteps, RunnerOptions } from '../../../../../main/uploads/queue/queue-runner.ts';
import { RecordLimits } from '../../../../../main/uploads/record-limit.ts';
import type { StepContext } from '../../../../../main/uploads/steps/step-context.ts';

const WORKFLOW = '5f0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a01';
const BATCH = '5f0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1b01';
const SERVER = 'http://127.0.0.1:1|tester';

const OPTIONS: RunnerOptions = {
  server: SERVER,
  probeConcurrency: 3,
  lookahead: 2,
  maxAttempts: 3,
  lingerMs: 10,
  retryBaseMs: 5,
  retryMaxMs: 20,
  endWhenHostUnknown: false,
};

describe('the queue runner with fake steps', () => {
  const temp = useTempJournal('runner-');
  let runner: QueueRunner | undefined;

  // After hooks run last-registered first: the runner stops before the journal under it is closed.
  afterEach(async () => {
    await runner?.stop();
  });

  function queue(names: string[]): number[] {
    const target = ensureTarget(temp.journal, WORKFLOW, { batchId: BATCH }, undefined, SERVER);
    const run = openRun(temp.journal, 'runner').id;
    const files = names.map((name) => ({ path: join(temp.dir, name), name, size: 10, mtimeMs: 1 }));
    insertFiles(temp.journal, run, target, files, false);
    return names.map((name) =>
      Number((temp.journal.db.prepare('SELECT id FROM items WHERE name = ?').get(name) as { id: number }).id),
    );
  }

  function context(putConcurrency: number): StepContext {
    return {
      journal: temp.journal,
      client: {} as AlegionClient,
      api: new Limiter(8),
      puts: new Limiter(putConcurrency),
      bucket: new TokenBucket(0),
      vault: openLinkVault(temp.dir),
      progress: new ProgressTracker(),
      now: Date.now,
      maxFileBytes: 0,
      signedUrlReuseMs: 0,
      recordLimits: new RecordLimits(temp.journal),
      contentDedupe: new ContentDedupe(temp.journal),
    };
  }

  /** Starts a runner over fake steps and resolves once every id is final. */
  async function runUntilFinal(ids: number[], putConcurrency: number, steps: ItemSteps): Promise<void> {
    const settled = new Set<number>();
    let finish: () => void = () => undefined;
    const allFinal = new Promise<void>((resolve) => (finish = resolve));
    runner = new QueueRunner(
      context(putConcurrency),
      OPTIONS,
      {
        changed: () => undefined,
        settled: (done) => {
          for (const id of done) settled.add(id);
          if (ids.every((id) => settled.has(id))) finish();
        },
        modeChanged: () => undefined,
      },
      async () => undefined,
      steps,
    );
    runner.start();
    await allFinal;
  }

  const probeToProbed: ItemSteps['probe'] = async (ctx, item) => {
    advanceItem(ctx.journal, item.id, { state: 'probed' });
  };

  it('works at most the PUT limit plus the lookahead at once, and every item once', async () => {
    const ids = queue(Array.from({ length: 24 }, (_, i) => `file-${i}.png`));
    let inFlight = 0;
    let most = 0;
    const uploads = new Map<number, number>();
    await runUntilFinal(ids, 3, {
      probe: probeToProbed,
      upload: async (ctx, item) => {
        inFlight++;
        most = Math.max(most, inFlight);
        uploads.set(item.id, (uploads.get(item.id) ?? 0) + 1);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        advanceItem(ctx.journal, item.id, { state: 'done' });
      },
    });
    expect(most).toBeLessThanOrEqual(3 + OPTIONS.lookahead);
    expect(most).toBeGreaterThan(1);
    expect([...uploads.values()].every((count) => count === 1)).toBe(true);
    expect(uploads.size).toBe(24);
  });

  it('asks the journal for queued files again only when more may have been queued, not after each upload', async () => {
    const ids = queue(Array.from({ length: 30 }, (_, i) => `photo-${i}.png`));
    let queuedReads = 0;
    const stmt = temp.journal.stmt.bind(temp.journal);
    temp.journal.stmt = (sql: string) => {
      const statement = stmt(sql);
      if (!/^SELECT id FROM items WHERE state = \?/.test(sql)) return statement;
      return new Proxy(statement, {
        get(target, key) {
          if (key !== 'all') return Reflect.get(target, key) as unknown;
          return (...params: unknown[]) => {
            if (params[0] === 'queued') queuedReads += 1;
            return target.all(...(params as never[]));
          };
        },
      });
    };
    const late: number[] = [];
    await runUntilFinal(ids, 2, {
      probe: probeToProbed,
      upload: async (ctx, item) => {
        // Uploads end at different times, each in a turn of its own.
        await new Promise((resolve) => setTimeout(resolve, 1 + (item.id % 7)));
        // A file queued while the others upload is taken up all the same.
        if (item.id === ids[10] && late.length === 0) {
          late.push(...queue(['late.png']));
          runner?.pump();
        }
        advanceItem(ctx.journal, item.id, { state: 'done' });
      },
    });
    await vi.waitFor(() => expect(getItem(temp.journal, late[0]!)?.state).toBe('done'));
    // Reads come when a probe makes room (each takes up to 3 files) and when files are added: 13 here. The 31
    // uploads finishing add none (they made it 28).
    expect(queuedReads).toBeGreaterThan(0);
    expect(queuedReads).toBeLessThanOrEqual(18);
  });

  it('retries a transient failure with backoff, fails an item failure at once, and the others still finish', async () => {
    const [flaky, bad, fine, hopeless] = queue(['flaky.png', 'bad.png', 'fine.png', 'hopeless.png']) as [
      number,
      number,
      number,
      number,
    ];
    const tries = new Map<number, number>();
    await runUntilFinal([flaky, bad, fine, hopeless], 2, {
      probe: probeToProbed,
      upload: async (ctx, item) => {
        const n = (tries.get(item.id) ?? 0) + 1;
        tries.set(item.id, n);
        if (item.id === flaky && n < 3) throw new ItemFailure('the storage answered 503', true);
        if (item.id === hopeless) throw new ItemFailure('the storage answered 503', true);
        if (item.id === bad) throw new ItemFailure('the storage refused the file');
        advanceItem(ctx.journal, item.id, { state: 'done' });
      },
    });
    expect(getItem(temp.journal, flaky)?.state).toBe('done');
    expect(tries.get(flaky)).toBe(3);
    expect(getItem(temp.journal, bad)).toMatchObject({
      state: 'failed',
      reason: 'the storage refused the file',
    });
    expect(tries.get(bad)).toBe(1);
    expect(getItem(temp.journal, hopeless)).toMatchObject({
      state: 'failed',
      reason: 'the storage answered 503 (gave up after 3 attempts)',
    });
    expect(tries.get(hopeless)).toBe(OPTIONS.maxAttempts);
    expect(getItem(temp.journal, fine)?.state).toBe('done');
  });
});
