import { describe, expect, it } from 'vitest';
import { EVENT_NAMES, METHOD_NAMES, methodArgs, subscriptionName } from '../../../common/api.ts';

const WORKFLOW = 'c226197c-17c5-4cc6-9529-0098ae771148';

describe('methodArgs', () => {
  it('refuses a malformed id with a message that says what an id looks like', () => {
    const parsed = methodArgs.listBatches.safeParse(['not-an-id']);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain('UUID');
  });

  it('requires exactly one of an existing batch or a new batch name', () => {
    const both = {
      scanId: 's1',
      target: { workflowId: WORKFLOW, batchId: WORKFLOW, newBatch: { name: 'b', isEnabled: true } },
    };
    const neither = { scanId: 's1', target: { workflowId: WORKFLOW } };
    const one = { scanId: 's1', target: { workflowId: WORKFLOW, newBatch: { name: 'b', isEnabled: false } } };
    expect(methodArgs.queueScan.safeParse([both]).success).toBe(false);
    expect(methodArgs.queueScan.safeParse([neither]).success).toBe(false);
    expect(methodArgs.queueScan.parse([one])[0].reupload).toBe(false);
  });

  it('caps page sizes so the renderer never asks for everything at once', () => {
    expect(methodArgs.listQueue.safeParse([{ limit: 100_000 }]).success).toBe(false);
    expect(methodArgs.listQueue.parse([{}])[0]).toMatchObject({ offset: 0, limit: 100 });
  });

  it('refuses extra arguments and wrong types', () => {
    expect(methodArgs.getQueueTotals.safeParse(['extra']).success).toBe(false);
    expect(methodArgs.setBatchEnabled.safeParse([WORKFLOW, 'yes']).success).toBe(false);
    expect(
      methodArgs.saveProfile.safeParse([{ name: 'p', apiUrl: 'file:///etc/passwd', username: 'u' }]).success,
    ).toBe(false);
  });

  it('has a schema for every method and a subscription name for every event', () => {
    expect(METHOD_NAMES.length).toBeGreaterThan(30);
    expect(new Set(EVENT_NAMES.map(subscriptionName)).size).toBe(EVENT_NAMES.length);
    expect(subscriptionName('queueProgress')).toBe('onQueueProgress');
  });
});
