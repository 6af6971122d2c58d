import { describe, expect, it } from 'vitest';
import type { HostInfo } from '../../../../common/api.ts';
import { settle, testStore } from './fake-bridge.ts';

const host = (nativeDialogs: boolean): HostInfo => ({
  kind: nativeDialogs ? 'electron' : 'headless',
  appVersion: '0.1.0',
  nativeDialogs,
  dropGivesPaths: nativeDialogs,
});

describe('"Add files…" (startAdding)', () => {
  it('opens the native chooser at once where there is one, then the dialog with the files chosen', async () => {
    const t = testStore({
      chooseFiles: () => Promise.resolve(['/data/a.jpg']),
      scanPaths: () => new Promise(() => {}),
    });
    t.store.setState({ hostInfo: host(true) });
    t.store.getState().startAdding();
    await settle();
    expect(t.calls.map((c) => c.method)).toEqual(['chooseFiles', 'listWorkflowUse', 'scanPaths']);
    expect(t.store.getState()).toMatchObject({ intakeStatus: 'scanning', intakePaths: ['/data/a.jpg'] });
  });

  it('leaves the dialog closed when the chooser is canceled', async () => {
    const t = testStore({ chooseFiles: () => Promise.resolve([]) });
    t.store.setState({ hostInfo: host(true) });
    t.store.getState().startAdding();
    await settle();
    expect(t.store.getState().intakeStatus).toBe('closed');
  });

  it('opens the add dialog (browse, path, drop) where there are no native dialogs', () => {
    const t = testStore({});
    t.store.setState({ hostInfo: host(false) });
    t.store.getState().startAdding();
    expect(t.store.getState().intakeStatus).toBe('choosing');
    expect(t.calls).toEqual([]);
  });
});
