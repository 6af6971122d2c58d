/**
 * The tray's one state (error > uploading > paused > idle), its menu (Pause all, Resume all, Open, Quit), and the
 * wiring that keeps a fake tray and window in step with the work as the engine's events arrive.
 */
import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { trayState } from '../../../../main/app/tray-state.ts';
import { taskbarProgress, trayMenuTemplate, wireTrayAndTaskbar } from '../../../../main/app/tray.ts';
import { trackWorkState } from '../../../../main/app/work-state.ts';
import { emptyTotals } from '../../../../main/engine/parts.ts';
import { fakeEngine } from './fake-engine.ts';
import { totalsWith, watchOf } from './work-fixtures.ts';

const uploading = totalsWith({ waiting: 3, active: 2, done: 5 });

describe('trayState', () => {
  it('is idle with nothing to do, and says when folders are watched', () => {
    expect(trayState({ totals: emptyTotals(), watches: [] })).toEqual({
      name: 'idle',
      line: 'Idle: nothing to upload',
    });
    expect(trayState({ totals: totalsWith({ done: 4 }), watches: [watchOf('/a'), watchOf('/b')] })).toEqual({
      name: 'idle',
      line: 'Idle · watching 2 folders',
    });
  });

  it('is uploading while files are to go and the queue runs', () => {
    expect(trayState({ totals: uploading, watches: [watchOf('/a')] })).toEqual({
      name: 'uploading',
      line: 'Uploading: 5 files to go · watching 1 folder',
    });
  });

  it('is paused when the queue is paused, offline, or only paused items are left', () => {
    expect(trayState({ totals: { ...uploading, mode: 'paused' }, watches: [] })).toEqual({
      name: 'paused',
      line: '5 files waiting (paused)',
    });
    expect(trayState({ totals: { ...uploading, mode: 'offline' }, watches: [] }).line).toBe(
      '5 files waiting (offline, resumes by itself)',
    );
    expect(trayState({ totals: totalsWith({ paused: 1, done: 2 }), watches: [] })).toEqual({
      name: 'paused',
      line: '1 file waiting (paused)',
    });
  });

  it('puts an error above everything: a blocked queue, failed files, or a folder that cannot be watched', () => {
    const blocked = { ...uploading, mode: 'blocked' as const, message: 'the API key was rejected' };
    expect(trayState({ totals: blocked, watches: [] })).toEqual({
      name: 'error',
      line: 'Stopped: the API key was rejected',
    });
    expect(
      trayState({ totals: { ...uploading, files: { ...uploading.files, failed: 2 } }, watches: [] }),
    ).toEqual({
      name: 'error',
      line: '2 files failed',
    });
    const broken = watchOf('/mnt/cam', 'error', 'the folder is gone');
    expect(trayState({ totals: { ...uploading, mode: 'paused' }, watches: [watchOf('/a'), broken] })).toEqual(
      {
        name: 'error',
        line: 'Cannot watch /mnt/cam: the folder is gone',
      },
    );
  });

  it('does not call a watch that waits for its account an error', () => {
    const waiting = watchOf('/a', 'waiting', 'Connect to the account to pick up its files.');
    expect(trayState({ totals: uploading, watches: [waiting] }).name).toBe('uploading');
  });
});

describe('the tray menu', () => {
  const click = (items: MenuItemConstructorOptions[], label: string): void =>
    items.find((i) => i.label === label)!.click!(undefined as never, undefined, undefined as never);

  it('heads with the state line and offers Pause all, Resume all, Open and Quit', () => {
    const engine = { pauseItems: vi.fn(async () => {}), resumeItems: vi.fn(async () => {}) };
    const open = vi.fn();
    const quit = vi.fn();
    const items = trayMenuTemplate(
      { name: 'uploading', line: 'Uploading: 5 files to go' },
      engine,
      open,
      quit,
    );
    expect(items[0]).toEqual({ label: 'Uploading: 5 files to go', enabled: false });
    expect(items.filter((i) => i.label && i.click).map((i) => i.label)).toEqual([
      'Pause all',
      'Resume all',
      'Open',
      'Quit',
    ]);
    click(items, 'Pause all');
    click(items, 'Resume all');
    click(items, 'Open');
    click(items, 'Quit');
    expect(engine.pauseItems).toHaveBeenCalledWith({});
    expect(engine.resumeItems).toHaveBeenCalledWith({});
    expect(open).toHaveBeenCalledTimes(1);
    expect(quit).toHaveBeenCalledTimes(1);
  });

  it('shows bytes done on the taskbar, paused or error by mode, and nothing when idle', () => {
    expect(taskbarProgress(emptyTotals())).toEqual({ value: -1, mode: 'none' });
    expect(taskbarProgress(uploading)).toEqual({ value: 0.25, mode: 'normal' });
    expect(taskbarProgress({ ...uploading, mode: 'paused' }).mode).toBe('paused');
    expect(taskbarProgress({ ...uploading, mode: 'blocked' }).mode).toBe('error');
  });
});

describe('wireTrayAndTaskbar', () => {
  it('follows the engine: the tooltip and menu change with the state, the taskbar with every snapshot', async () => {
    const { engine } = fakeEngine();
    engine.getQueueTotals = async () => emptyTotals();
    engine.listWatchedFolders = async () => [];
    const work = trackWorkState(engine);
    const tooltips: string[] = [];
    const menus: MenuItemConstructorOptions[][] = [];
    const progress: unknown[] = [];
    const window = {
      isDestroyed: () => false,
      setProgressBar: (value: number, options: unknown) => progress.push([value, options]),
    };
    const icons: string[] = [];
    const stop = wireTrayAndTaskbar(
      {
        setToolTip: (t: string) => tooltips.push(t),
        setContextMenu: () => {},
        setImage: (icon) => icons.push(icon as unknown as string),
      },
      (state) => `icon:${state}` as never,
      (template) => {
        menus.push(template);
        return {} as never;
      },
      work,
      engine,
      () => window as never,
      vi.fn(),
      vi.fn(),
    );
    await vi.waitFor(() => expect(tooltips).toEqual(['Alegion Uploader: Idle: nothing to upload']));

    engine.events.emit('queueProgress', { totals: uploading, active: [], at: 1 });
    engine.events.emit('queueProgress', {
      totals: { ...uploading, bytes: { total: 1000, done: 500 } },
      active: [],
      at: 2,
    });
    engine.events.emit('watchedFoldersChanged', [watchOf('/cam')]);
    expect(tooltips.slice(1)).toEqual([
      'Alegion Uploader: Uploading: 5 files to go',
      'Alegion Uploader: Uploading: 5 files to go · watching 1 folder',
    ]);
    // The same state twice rebuilds nothing; the taskbar still moves; the icon changes with the state's name only.
    expect(menus).toHaveLength(3);
    expect(icons).toEqual(['icon:idle', 'icon:uploading']);
    expect(progress.at(-1)).toEqual([0.5, { mode: 'normal' }]);

    stop();
    work.dispose();
    engine.events.emit('queueProgress', { totals: emptyTotals(), active: [], at: 3 });
    expect(tooltips).toHaveLength(3);
  });

  it('reads the totals again when the queue changes without a transfer (items added, paused or finished)', async () => {
    const { engine } = fakeEngine();
    let totals = emptyTotals();
    engine.getQueueTotals = async () => totals;
    engine.listWatchedFolders = async () => [watchOf('/cam')];
    const work = trackWorkState(engine);
    await vi.waitFor(() => expect(work.current().watches).toHaveLength(1));
    totals = totalsWith({ paused: 4 });
    engine.events.emit('queueChanged', { reason: 'paused' });
    await vi.waitFor(() => expect(trayState(work.current()).name).toBe('paused'));
    work.dispose();
  });
});
