/** Native ports: dialogs parented to the window, canceled dialogs as empty results, and only real paths shown. */
import { describe, expect, it, vi } from 'vitest';
import { createDialogs, createNotifier } from '../../../../main/app/native.ts';

function fakeDialog(result: { canceled: boolean; filePaths: string[] }) {
  const calls: unknown[][] = [];
  return {
    calls,
    dialog: {
      showOpenDialog: async (...args: unknown[]) => {
        calls.push(args);
        return result;
      },
    },
  };
}

describe('createDialogs', () => {
  it('asks for several files, or several folders, parented to the window', async () => {
    const { dialog, calls } = fakeDialog({ canceled: false, filePaths: ['/a', '/b'] });
    const win = { id: 1 };
    const dialogs = createDialogs(dialog as never, { showItemInFolder: vi.fn() }, () => win as never);
    expect(await dialogs.chooseFiles()).toEqual(['/a', '/b']);
    expect(await dialogs.chooseFolder()).toEqual(['/a', '/b']);
    expect(calls[0]![0]).toBe(win);
    expect((calls[0]![1] as { properties: string[] }).properties).toEqual(['openFile', 'multiSelections']);
    expect((calls[1]![1] as { properties: string[] }).properties).toEqual([
      'openDirectory',
      'multiSelections',
    ]);
  });

  it('returns nothing when the user cancels, and one folder for downloads', async () => {
    const canceled = createDialogs(
      fakeDialog({ canceled: true, filePaths: ['/x'] }).dialog as never,
      { showItemInFolder: vi.fn() },
      () => null,
    );
    expect(await canceled.chooseFiles()).toEqual([]);
    expect(await canceled.chooseDownloadFolder()).toBeNull();
    const chosen = createDialogs(
      fakeDialog({ canceled: false, filePaths: ['/dl'] }).dialog as never,
      { showItemInFolder: vi.fn() },
      () => null,
    );
    expect(await chosen.chooseDownloadFolder()).toBe('/dl');
  });

  it('shows only existing absolute paths in the file manager', async () => {
    const shell = { showItemInFolder: vi.fn() };
    const dialogs = createDialogs(
      fakeDialog({ canceled: true, filePaths: [] }).dialog as never,
      shell,
      () => null,
    );
    await dialogs.showInFolder('relative/file.zip');
    await dialogs.showInFolder('/definitely/not/here.zip');
    expect(shell.showItemInFolder).not.toHaveBeenCalled();
    await dialogs.showInFolder(process.cwd());
    expect(shell.showItemInFolder).toHaveBeenCalledWith(process.cwd());
  });
});

describe('createNotifier', () => {
  it('shows a notification where the OS supports them, and nothing elsewhere', () => {
    const shown: unknown[] = [];
    let supported = true;
    class FakeNotification {
      static isSupported = () => supported;
      readonly options: unknown;
      constructor(options: unknown) {
        this.options = options;
      }
      show() {
        shown.push(this.options);
      }
    }
    const notifier = createNotifier(FakeNotification as never);
    notifier.notify('Batch done', '4 results');
    supported = false;
    notifier.notify('Export ready', 'x.zip');
    expect(shown).toEqual([{ title: 'Batch done', body: '4 results' }]);
  });
});
