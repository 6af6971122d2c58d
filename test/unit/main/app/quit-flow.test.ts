/**
 * The way out, over fakes of the app: Quit while uploads run asks first and "Keep uploading" keeps everything
 * running; going ahead releases everything, closes the engine, and only then installs a downloaded update or exits;
 * the installer's own quit goes through; repeated requests while asking add nothing; closing the last window quits
 * or stays in the tray with its note once.
 */
import { describe, expect, it, vi } from 'vitest';
import type { MessageBoxOptions } from 'electron';
import type { QueueTotals } from '../../../../common/api.ts';
import { lastWindowClosedHandler, trayNoticeMemory } from '../../../../main/app/close-to-tray.ts';
import { installQuitFlow } from '../../../../main/app/quit-flow.ts';
import { emptyTotals } from '../../../../main/engine/parts.ts';
import { totalsWith, watchOf } from './work-fixtures.ts';

function fakeApp(options: { totals: QueueTotals; shuttingDown?: boolean; update?: boolean }) {
  const steps: string[] = [];
  let beforeQuit: (event: { preventDefault(): void }) => void = () => {};
  let answer: (response: number) => void = () => {};
  let engineClosed: () => void = () => {};
  const state = { totals: options.totals };
  installQuitFlow({
    onBeforeQuit: (listener) => (beforeQuit = listener),
    totals: () => state.totals,
    systemShuttingDown: () => options.shuttingDown ?? false,
    ask: (question: MessageBoxOptions) => {
      steps.push(`ask: ${question.message}`);
      return new Promise((resolve) => (answer = (response) => resolve({ response })));
    },
    release: () => steps.push('release'),
    closeEngine: () => {
      steps.push('close engine');
      return new Promise((resolve) => (engineClosed = resolve));
    },
    installOnQuit: () => {
      steps.push(options.update ? 'install update' : 'no update');
      return options.update ?? false;
    },
    exit: (code) => steps.push(`exit ${code}`),
  });
  /** A quit request; returns whether the app's default quit was held back. */
  const requestQuit = (): boolean => {
    let held = false;
    beforeQuit({ preventDefault: () => (held = true) });
    return held;
  };
  return { steps, state, requestQuit, answer: (r: number) => answer(r), engineClosed: () => engineClosed() };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the quit flow', () => {
  it('quits at once when idle: release, close the engine, then exit', async () => {
    const app = fakeApp({ totals: emptyTotals() });
    expect(app.requestQuit()).toBe(true);
    expect(app.steps).toEqual(['release', 'close engine']);
    app.engineClosed();
    await tick();
    expect(app.steps).toEqual(['release', 'close engine', 'no update', 'exit 0']);
  });

  it('asks while uploads run; Keep uploading keeps everything running and a later Quit asks again', async () => {
    const app = fakeApp({ totals: totalsWith({ active: 2 }) });
    expect(app.requestQuit()).toBe(true);
    // A second request while the question is open asks nothing more.
    expect(app.requestQuit()).toBe(true);
    expect(app.steps).toEqual(['ask: 2 files are still uploading. Quit anyway?']);
    app.answer(1);
    await tick();
    expect(app.steps).toHaveLength(1);
    app.requestQuit();
    expect(app.steps).toHaveLength(2);
    app.answer(0);
    await tick();
    expect(app.steps.slice(2)).toEqual(['release', 'close engine']);
  });

  it('installs a downloaded update only after the engine closed, and lets the installer quit the app', async () => {
    const app = fakeApp({ totals: totalsWith({ waiting: 3 }), update: true });
    app.requestQuit();
    app.answer(0);
    await tick();
    expect(app.steps).not.toContain('install update');
    app.engineClosed();
    await tick();
    expect(app.steps.slice(-2)).toEqual(['close engine', 'install update']);
    expect(app.steps).not.toContain('exit 0');
    // The installer quits the app: that request is not held back.
    expect(app.requestQuit()).toBe(false);
    expect(app.steps.filter((s) => s === 'release')).toHaveLength(1);
  });

  it('asks nothing when the system shuts down', () => {
    const app = fakeApp({ totals: totalsWith({ active: 1 }), shuttingDown: true });
    app.requestQuit();
    expect(app.steps).toEqual(['release', 'close engine']);
  });
});

describe('closing the last window', () => {
  function handler(work: Parameters<typeof lastWindowClosedHandler>[0]['work']) {
    const values = new Map<string, unknown>();
    const notes: string[] = [];
    const quit = vi.fn();
    const close = lastWindowClosedHandler({
      work,
      memory: trayNoticeMemory({ get: (k) => values.get(k), set: (k, v) => values.set(k, v) }),
      notifier: { notify: (title, body) => notes.push(`${title}: ${body}`) },
      quit,
    });
    return { close, notes, quit };
  }

  it('quits when idle', () => {
    const h = handler({ current: () => ({ totals: emptyTotals(), watches: [] }) });
    h.close();
    expect(h.quit).toHaveBeenCalledTimes(1);
    expect(h.notes).toEqual([]);
  });

  it('stays in the tray while a folder is watched, with the note the first time only', () => {
    const h = handler({ current: () => ({ totals: emptyTotals(), watches: [watchOf('/cam')] }) });
    h.close();
    h.close();
    expect(h.quit).not.toHaveBeenCalled();
    expect(h.notes).toEqual([
      'Alegion Uploader goes on in the tray: 1 folder is watched. Open the app or quit it from the tray icon.',
    ]);
  });
});
