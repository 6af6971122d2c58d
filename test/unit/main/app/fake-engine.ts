/** A recording stand-in for the engine: every contract method resolves with its name, and calls are recorded. */
import { vi } from 'vitest';
import { METHOD_NAMES } from '../../../../common/api.ts';
import type { Engine } from '../../../../main/engine/create-engine.ts';
import { createEventHub } from '../../../../main/engine/events.ts';

/** Creates the fake and the list of calls it received. */
export function fakeEngine(): { engine: Engine; calls: { method: string; args: unknown[] }[] } {
  const calls: { method: string; args: unknown[] }[] = [];
  const engine: Record<string, unknown> = {
    events: createEventHub(),
    knownSecrets: () => ['super-secret-api-key'],
    reportError: vi.fn(),
    close: vi.fn(async () => {}),
  };
  for (const method of METHOD_NAMES) {
    engine[method] = async (...args: unknown[]) => {
      calls.push({ method, args });
      return `${method}-result`;
    };
  }
  return { engine: engine as unknown as Engine, calls };
}
