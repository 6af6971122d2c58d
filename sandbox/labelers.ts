/**
 * Simulated labelers. They work the tasks of enabled batches only: queued -> in-progress -> complete, or
 * exception, which is then canceled, restarted (in-progress again, then complete), or left unresolved in
 * `exception` for good (`unresolvedExceptionRate`). Each task takes
 * `taskSeconds` (a quarter waiting in the queue, the rest in progress), every task in parallel unless `workers`
 * limits how many are worked at once. Each task's
 * outcome and annotation are drawn from the seed and the task's creation number, so a seeded sandbox repeats
 * its choices whatever the timing.
 */
import { randomUUID } from 'node:crypto';
import { annotationFor } from './annotations.ts';
import type { SandboxApp } from './app.ts';
import { randomFor } from './random.ts';
import type { RecordEntity, ResultEntity } from './state.ts';
import { nextSeq } from './state.ts';

/** How often the labelers look for due work, at most. */
const TICK_MS = 25;

interface Labelers {
  /** New work may exist: records were created or a batch was enabled. */
  wake(): void;
  stop(): void;
}

const FINAL = new Set(['complete', 'canceled', 'error']);

/** True when the labelers will never move the record again (an unresolved exception included). */
function isFinal(record: RecordEntity): boolean {
  return (
    FINAL.has(record.status) || (record.status === 'exception' && record.plan === 'exception-unresolved')
  );
}

/** Starts the labelers of one sandbox. */
export function startLabelers(app: SandboxApp, seed: number): Labelers {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  // Records in flight; enabled-batch records are added on wake.
  const active = new Set<RecordEntity>();
  // Records picked up and not final yet: what `workers` limits.
  const busy = new Set<RecordEntity>();
  // The creation sequence number identifies a task for the seeded draws.
  const indexOf = (record: RecordEntity): number => record.seq;

  const complete = (record: RecordEntity, now: number): void => {
    record.status = 'complete';
    record.nextAt = null;
    const workflow = app.state.workflows.get(record.workflowId);
    const asset = record.assetId ? app.state.assets.get(record.assetId) : undefined;
    const random = randomFor(seed ^ 0x5eed, indexOf(record));
    const result: ResultEntity = {
      seq: nextSeq(app.state),
      id: randomUUID(),
      workflowId: record.workflowId,
      batchId: record.batchId,
      inputRecordId: record.id,
      createdAt: new Date(now).toISOString(),
      createdAtMs: now,
      iteration: record.restarted ? 1 : 0,
      resultData: annotationFor(workflow?.kind ?? 'records', asset, random),
    };
    app.state.results.set(result.id, result);
  };

  /** Moves one record as far as the clock allows; returns true when it is final. */
  const advance = (record: RecordEntity, now: number): boolean => {
    const taskMs = app.labelerSettings.taskSeconds * 1000;
    for (let guard = 0; guard < 8; guard++) {
      if (isFinal(record)) return true;
      if (record.nextAt === null) {
        if (record.status !== 'queued' || !app.labelerSettings.enabled) return false;
        const { workers } = app.labelerSettings;
        if (workers !== null && busy.size >= workers) return false;
        busy.add(record);
        record.nextAt = now + taskMs / 4;
      }
      if (record.nextAt > now) return false;
      const at = record.nextAt;
      if (record.status === 'queued') {
        if (record.plan === null) {
          const random = randomFor(seed, indexOf(record));
          const { exceptionRate, cancelRate, unresolvedExceptionRate } = app.labelerSettings;
          if (random() < exceptionRate) {
            const cancel = random() < cancelRate;
            // Drawn after the cancel draw, so seeded runs without unresolved exceptions keep their outcomes.
            const unresolved = random() < unresolvedExceptionRate;
            record.plan = unresolved
              ? 'exception-unresolved'
              : cancel
                ? 'exception-cancel'
                : 'exception-restart';
          } else {
            record.plan = 'complete';
          }
        }
        record.status = 'in-progress';
        record.nextAt = at + (taskMs * 3) / 4;
      } else if (record.status === 'in-progress') {
        if (record.plan !== 'complete' && !record.restarted) {
          record.status = 'exception';
          if (record.plan === 'exception-unresolved') {
            // Nobody reviews it during this run: it stays in `exception`, with no result.
            record.nextAt = null;
            return true;
          }
          record.nextAt = at + taskMs / 2;
        } else {
          complete(record, Math.max(at, Date.now()));
          return true;
        }
      } else if (record.status === 'exception') {
        if (record.plan === 'exception-cancel') {
          record.status = 'canceled';
          record.nextAt = null;
          return true;
        }
        record.restarted = true;
        record.status = 'in-progress';
        record.nextAt = at + (taskMs * 3) / 4;
      }
    }
    return false;
  };

  const tick = (): void => {
    timer = null;
    if (stopped) return;
    const now = Date.now();
    for (const record of active) {
      const batch = app.state.batches.get(record.batchId);
      if (!batch || !app.state.records.has(record.id)) {
        active.delete(record);
        busy.delete(record);
        continue;
      }
      // A disabled batch keeps its tasks where they are; enabling it again wakes them.
      if (!batch.isEnabled) {
        active.delete(record);
        busy.delete(record);
        continue;
      }
      if (advance(record, now)) {
        active.delete(record);
        busy.delete(record);
      }
    }
    if (active.size > 0) schedule();
  };

  const schedule = (): void => {
    if (timer !== null || stopped) return;
    timer = setTimeout(tick, app.labelerSettings.taskSeconds === 0 ? 0 : TICK_MS);
    timer.unref();
  };

  return {
    wake() {
      if (!app.options.labelers) return;
      for (const batch of app.state.batches.values()) {
        if (!batch.isEnabled) continue;
        for (const record of app.state.recordsByBatch.get(batch.id) ?? []) {
          if (!isFinal(record)) active.add(record);
        }
      }
      schedule();
    },
    stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      active.clear();
      busy.clear();
    },
  };
}
