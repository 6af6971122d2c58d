/**
 * The way out of the app, as one flow: a quit request (tray, menu, OS) is held while uploads run and the user is
 * asked (quit-confirmation.ts); once it goes ahead, everything is released, the engine closes, and only then a
 * downloaded update installs (update-policy.ts) or the process exits. A second request while asking or closing adds
 * nothing.
 */
import type { MessageBoxOptions } from 'electron';
import type { QueueTotals } from '../../common/api.ts';
import { QUIT_BUTTON, quitQuestion } from './quit-confirmation.ts';

interface QuitFlowDeps {
  /** Registers the app's `before-quit` listener. */
  onBeforeQuit(listener: (event: { preventDefault(): void }) => void): void;
  totals(): QueueTotals;
  systemShuttingDown(): boolean;
  ask(question: MessageBoxOptions): Promise<{ response: number }>;
  /** Stops the tray, IPC, timers and listeners, before the engine closes. */
  release(): void;
  closeEngine(): Promise<void>;
  /** Runs a downloaded update's installer (which quits the app); false when there is none. */
  installOnQuit(): boolean;
  exit(code: number): void;
}

/** Installs the flow on the app's `before-quit`. */
export function installQuitFlow(deps: QuitFlowDeps): void {
  let asking = false;
  let closing = false;
  const shutDown = (): void => {
    closing = true;
    deps.release();
    // The installer runs only now that the engine has closed: never while an upload runs.
    void deps
      .closeEngine()
      .catch(() => {})
      .finally(() => {
        if (!deps.installOnQuit()) deps.exit(0);
      });
  };
  deps.onBeforeQuit((event) => {
    // The installer's own quit, after the engine closed, goes through.
    if (closing) return;
    event.preventDefault();
    if (asking) return;
    const question = quitQuestion(deps.totals(), deps.systemShuttingDown());
    if (!question) {
      shutDown();
      return;
    }
    asking = true;
    void deps
      .ask(question)
      .then(
        ({ response }) => {
          if (response === QUIT_BUTTON) shutDown();
        },
        () => {},
      )
      .finally(() => {
        asking = false;
      });
  });
}
