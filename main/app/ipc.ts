/**
 * The only module that touches `ipcMain`. One handler per contract method: it checks that the sender is the app's
 * own top-level page (served from `app://renderer`), validates the arguments with the method's zod tuple, and only
 * then calls the engine. Results and errors travel as an envelope, so the renderer always gets `{ code, message }`.
 * Events go to the window on one channel each.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import { EVENT_NAMES, METHOD_NAMES } from '../../common/api.ts';
import { eventChannel, invokeChannel } from '../../common/ipc-channels.ts';
import type { Engine } from '../engine/create-engine.ts';
import { dispatch } from '../engine/dispatch.ts';
import type { Envelope } from '../engine/dispatch.ts';
import { isAppUrl } from './window.ts';

/** True when a message comes from the app's own page in a top-level frame (not an iframe, not another origin). */
export function senderTrusted(frame: Pick<WebFrameMain, 'url' | 'parent'> | null | undefined): boolean {
  if (!frame) return false;
  if (frame.parent !== null) return false;
  return isAppUrl(frame.url);
}

const UNTRUSTED: Envelope = { ok: false, error: { code: 'untrusted-sender', message: 'request refused' } };

/** Handles one invoke: sender check, argument validation, engine call. Exposed for tests. */
export async function handleInvoke(
  engine: Engine,
  method: string,
  event: Pick<IpcMainInvokeEvent, 'senderFrame'>,
  args: unknown[],
): Promise<Envelope> {
  if (!senderTrusted(event.senderFrame)) return UNTRUSTED;
  return dispatch(engine, method, args, () => engine.knownSecrets());
}

/** Registers every method's handler; returns a function that removes them. */
export function registerIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, engine: Engine): () => void {
  for (const method of METHOD_NAMES) {
    ipcMain.handle(invokeChannel(method), (event, ...args: unknown[]) =>
      handleInvoke(engine, method, event, args),
    );
  }
  return () => {
    for (const method of METHOD_NAMES) ipcMain.removeHandler(invokeChannel(method));
  };
}

/** Forwards every engine event to the window (only while it shows the app's page). */
export function forwardEvents(
  engine: Engine,
  contents: Pick<WebContents, 'send' | 'isDestroyed' | 'getURL'>,
): () => void {
  const known = new Set<string>(EVENT_NAMES);
  return engine.events.onAny((event, payload) => {
    if (!known.has(event) || contents.isDestroyed() || !isAppUrl(contents.getURL())) return;
    contents.send(eventChannel(event), payload);
  });
}
