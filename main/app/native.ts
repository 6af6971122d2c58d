/**
 * The native pieces the engine reaches through ports: desktop notifications, file dialogs (parented to the
 * window) and the file manager.
 */
import { isAbsolute } from 'node:path';
import { existsSync } from 'node:fs';
import type { BrowserWindow, Dialog, Notification, OpenDialogOptions, Shell } from 'electron';
import type { DialogsPort, NotifierPort } from '../engine/ports.ts';

interface NotificationClass {
  isSupported(): boolean;
  new (options: { title: string; body: string }): Pick<Notification, 'show'>;
}

/** Notifications through the OS (silently skipped where the OS has none). */
export function createNotifier(NotificationCtor: NotificationClass): NotifierPort {
  return {
    notify(title, body) {
      if (NotificationCtor.isSupported()) new NotificationCtor({ title, body }).show();
    },
  };
}

/** Native dialogs and "show in folder". */
export function createDialogs(
  dialog: Pick<Dialog, 'showOpenDialog'>,
  shell: Pick<Shell, 'showItemInFolder'>,
  window: () => BrowserWindow | null,
): DialogsPort {
  const open = async (options: OpenDialogOptions): Promise<string[]> => {
    const parent = window();
    const result = parent
      ? await dialog.showOpenDialog(parent, options)
      : await dialog.showOpenDialog(options);
    return result.canceled ? [] : result.filePaths;
  };
  return {
    chooseFiles: () => open({ title: 'Add files', properties: ['openFile', 'multiSelections'] }),
    chooseFolder: () => open({ title: 'Add folder', properties: ['openDirectory', 'multiSelections'] }),
    async chooseDownloadFolder() {
      const [folder] = await open({
        title: 'Download folder',
        properties: ['openDirectory', 'createDirectory'],
      });
      return folder ?? null;
    },
    async showInFolder(path) {
      // Only real, absolute paths reach the file manager.
      if (isAbsolute(path) && existsSync(path)) shell.showItemInFolder(path);
    },
  };
}
