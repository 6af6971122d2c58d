/**
 * The watched folders in the store: the list follows the engine's pushes, a folder picked in the host's folder browser
 * lands in the "Watch a folder" dialog (not in the add dialog), the native chooser where there is one, and start and
 * stop through the bridge with the engine's refusal kept for the dialog.
 */
import { describe, expect, it } from 'vitest';
import type { HostInfo, WatchedFolderView } from '../../../../common/api.ts';
import { watchCounts, watchesInto } from '../../../../renderer/views/watch-folders.tsx';
import { settle, testStore } from './fake-bridge.ts';

const WORKFLOW = '00000000-0000-4000-8000-000000000001';
const BATCH = '00000000-0000-4000-8000-000000000002';

function watchOf(id: string, patch: Partial<WatchedFolderView> = {}): WatchedFolderView {
  return {
    id,
    folder: `/data/${id}`,
    workflowId: WORKFLOW,
    batchId: BATCH,
    newBatchName: null,
    settleSeconds: 5,
    reupload: false,
    polling: false,
    status: 'watching',
    message: null,
    filesSettling: 0,
    filesQueued: 0,
    changedAfterUpload: 0,
    ...patch,
  };
}

const browserHost: HostInfo = {
  kind: 'headless',
  appVersion: '0',
  nativeDialogs: false,
  dropGivesPaths: false,
};
const desktopHost: HostInfo = {
  kind: 'electron',
  appVersion: '0',
  nativeDialogs: true,
  dropGivesPaths: true,
};
const listing = { path: '/data', parent: null, roots: ['/data'], entries: [] };

describe('watch slice', () => {
  it('loads the list, then follows the engine’s pushes', async () => {
    const t = testStore({ listWatchedFolders: async () => [watchOf('a')] });
    await t.store.getState().loadWatches();
    expect(t.store.getState().watches.map((w) => w.id)).toEqual(['a']);
    t.emit('watchedFoldersChanged', [watchOf('a'), watchOf('b', { filesQueued: 3 })]);
    expect(t.store.getState().watches.map((w) => w.id)).toEqual(['a', 'b']);
    expect(t.store.getState().watchesStatus).toBe('ready');
  });

  it('keeps the load failure in words for the section', async () => {
    const t = testStore({
      listWatchedFolders: async () => {
        throw new Error('the host went away');
      },
    });
    await t.store.getState().loadWatches();
    expect(t.store.getState()).toMatchObject({ watchesStatus: 'error', watchesError: 'the host went away' });
  });

  it('picks the folder in the host’s browser for the dialog, without opening the add dialog', async () => {
    const t = testStore({ browse: async () => listing });
    t.store.setState({ hostInfo: browserHost });
    const s = () => t.store.getState();
    s().openWatchDialog(WORKFLOW, BATCH);
    await s().chooseWatchFolder();
    expect(s().browser).toMatchObject({ open: true, purpose: 'watch', status: 'ready' });
    // Moving inside the browser keeps its purpose.
    await s().openBrowser('/data');
    expect(s().browser.purpose).toBe('watch');
    s().closeBrowser();
    s().setWatchFolder('/data/camera');
    expect(s().watchDialog).toEqual({ workflowId: WORKFLOW, batchId: BATCH, folder: '/data/camera' });
    expect(s().intakeStatus).toBe('closed');
    // Opened again to add files, it is the add browser again.
    await s().choosePaths('folder');
    expect(s().browser.purpose).toBe('add');
  });

  it('uses the native chooser where the host has one', async () => {
    const t = testStore({ chooseFolder: async () => ['/home/ana/scans'] });
    t.store.setState({ hostInfo: desktopHost });
    t.store.getState().openWatchDialog(WORKFLOW, BATCH);
    await t.store.getState().chooseWatchFolder();
    expect(t.store.getState().watchDialog?.folder).toBe('/home/ana/scans');
    expect(t.store.getState().browser.open).toBe(false);
  });

  it('starts a watch (the dialog closes, the folder is listed) and rejects with the engine’s refusal', async () => {
    let refuse = true;
    const t = testStore({
      watchFolder: async (args) => {
        if (refuse) throw new Error('/data/nothing is not a folder');
        return watchOf('c', { folder: args.folder });
      },
    });
    const s = () => t.store.getState();
    s().openWatchDialog(WORKFLOW, BATCH);
    const args = { folder: '/data/nothing', target: { workflowId: WORKFLOW, batchId: BATCH } };
    await expect(s().watchFolder(args)).rejects.toThrow('/data/nothing is not a folder');
    expect(s().watchDialog).not.toBeNull();
    refuse = false;
    await s().watchFolder({ ...args, folder: '/data/c' });
    expect(s().watchDialog).toBeNull();
    expect(s().watches.map((w) => w.folder)).toEqual(['/data/c']);
    expect(t.calls.filter((c) => c.method === 'watchFolder')).toHaveLength(2);
  });

  it('stops a watch, and says so when the engine refuses', async () => {
    let fail = false;
    const t = testStore({
      stopWatching: async () => {
        if (fail) throw new Error('no such watch');
      },
    });
    t.emit('watchedFoldersChanged', [watchOf('a'), watchOf('b')]);
    await t.store.getState().stopWatching('a');
    expect(t.store.getState().watches.map((w) => w.id)).toEqual(['b']);
    fail = true;
    await t.store.getState().stopWatching('b');
    await settle();
    expect(t.store.getState().watches.map((w) => w.id)).toEqual(['b']);
    expect(t.store.getState().notices.at(-1)?.message).toBe('No such watch');
  });
});

describe('watched folder rows', () => {
  it('belong to the batch by id, or by the new batch’s name before its id is known', () => {
    const batch = { id: BATCH, name: 'Camera drops' };
    expect(watchesInto(watchOf('a'), batch)).toBe(true);
    expect(watchesInto(watchOf('b', { batchId: null, newBatchName: 'Camera drops' }), batch)).toBe(true);
    expect(watchesInto(watchOf('c', { batchId: null, newBatchName: 'Other' }), batch)).toBe(false);
    expect(watchesInto(watchOf('d', { batchId: '00000000-0000-4000-8000-000000000003' }), batch)).toBe(false);
  });

  it('say what the watch did in one line', () => {
    expect(watchCounts(watchOf('a', { filesQueued: 1 }))).toBe('1 file queued');
    expect(watchCounts(watchOf('a', { filesQueued: 12, filesSettling: 2, changedAfterUpload: 1 }))).toBe(
      '12 files queued · 2 files being written · 1 file changed after upload, not sent again',
    );
  });
});
