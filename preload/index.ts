/**
 * The renderer's only door to the main process, and the only module that touches `ipcRenderer`. It exposes
 * `window.alegion`: one named function per contract method, one `on<Event>` per event (returning its unsubscribe
 * function, never handing out the IPC event object), and `pathsForDroppedFiles`. Nothing else.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { IpcRenderer, IpcRendererEvent } from 'electron';
import { EVENT_NAMES, METHOD_NAMES, subscriptionName } from '../common/api.ts';
import type { ApiErrorPayload } from '../common/api.ts';
import { eventChannel, invokeChannel } from '../common/ipc-channels.ts';

type Envelope = { ok: true; value: unknown } | { ok: false; error: ApiErrorPayload };

/** Builds the object exposed as `window.alegion`. */
export function buildBridge(
  ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>,
  getPathForFile: (file: File) => string,
): Record<string, unknown> {
  const bridge: Record<string, unknown> = {};
  for (const method of METHOD_NAMES) {
    const channel = invokeChannel(method);
    bridge[method] = async (...args: unknown[]): Promise<unknown> => {
      const envelope = (await ipc.invoke(channel, ...args)) as Envelope;
      if (envelope.ok) return envelope.value;
      // A plain object survives the context bridge intact (an Error would lose its code).
      throw { code: envelope.error.code, message: envelope.error.message };
    };
  }
  for (const event of EVENT_NAMES) {
    const channel = eventChannel(event);
    bridge[subscriptionName(event)] = (listener: (payload: unknown) => void): (() => void) => {
      const handler = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
      ipc.on(channel, handler);
      return () => {
        ipc.removeListener(channel, handler);
      };
    };
  }
  bridge.pathsForDroppedFiles = (files: readonly File[]): string[] =>
    Array.from(files)
      .map((file) => getPathForFile(file))
      .filter((path) => path.length > 0);
  return bridge;
}

contextBridge.exposeInMainWorld(
  'alegion',
  buildBridge(ipcRenderer, (file) => webUtils.getPathForFile(file)),
);
