import { describe, expect, it } from 'vitest';
import type { Settings, SettingsPatch } from '../../../../common/api.ts';
import {
  draftDirty,
  draftOf,
  draftProblems,
  numberProblem,
  readableSettingsError,
} from '../../../../renderer/store/settings-slice.ts';
import { testStore } from './fake-bridge.ts';

const saved: Settings = {
  concurrency: 8,
  putConcurrency: 4,
  bandwidthMBps: 0,
  downloadDir: '/home/ana/Downloads',
  notifications: true,
  theme: 'system',
  autoSyncMinutes: 15,
};

describe('settings fields', () => {
  it('says which field is out of range, in words, before anything is sent', () => {
    expect(numberProblem('concurrency', '100')).toBe('Simultaneous requests to Alegion must be 1–64.');
    expect(numberProblem('concurrency', '0')).toBe('Simultaneous requests to Alegion must be 1–64.');
    expect(numberProblem('putConcurrency', '2.5')).toBe('Parallel file transfers must be a whole number.');
    expect(numberProblem('autoSyncMinutes', '2000')).toBe('Auto-sync interval (minutes) must be 1–1,440.');
    expect(numberProblem('bandwidthMBps', '2.5')).toBeNull();
    expect(numberProblem('bandwidthMBps', '0')).toBeNull();
    expect(numberProblem('concurrency', '64')).toBeNull();
  });

  it('treats an emptied field as a problem, not as NaN or null', () => {
    const draft = { ...draftOf(saved), concurrency: '', downloadDir: ' ' };
    expect(draftProblems(draft)).toEqual({
      concurrency: 'Simultaneous requests to Alegion must be 1–64.',
      downloadDir: 'Choose a download folder.',
    });
    expect(draftDirty(draft, saved)).toBe(true);
    expect(draftDirty(draftOf(saved), saved)).toBe(false);
    expect(draftDirty({ ...draftOf(saved), concurrency: '8.0' }, saved)).toBe(false);
  });

  it("turns the engine's validation message into the field's sentence", () => {
    expect(
      readableSettingsError(
        'updateSettings: invalid arguments: 0.concurrency: Too big: expected number to be <=64',
      ),
    ).toBe('Simultaneous requests to Alegion must be 1–64.');
    expect(readableSettingsError('updateSettings: the folder is not writable')).toBe(
      'The folder is not writable',
    );
  });
});

describe('settings draft', () => {
  it('keeps unsaved edits in the store (leaving the screen does not drop them), then saves only the changes', async () => {
    const patches: SettingsPatch[] = [];
    const t = testStore({
      updateSettings: (patch) => {
        patches.push(patch);
        return Promise.resolve({ ...saved, ...patch });
      },
    });
    const s = () => t.store.getState();
    t.store.setState({ settings: saved });
    s().editSettings({ concurrency: '12' });
    s().navigate({ name: 'queue' });
    s().editSettings({ notifications: false });
    expect(draftDirty(s().settingsDraft, s().settings)).toBe(true);
    expect(await s().applySettingsDraft()).toEqual({ saved: true, problem: null });
    expect(patches).toEqual([{ concurrency: 12, notifications: false }]);
    expect(s().settingsDraft).toBeNull();
    expect(s().settings).toMatchObject({ concurrency: 12, notifications: false });
  });

  it('applies the valid fields and keeps an invalid one, with its sentence, until it is fixed', async () => {
    const patches: SettingsPatch[] = [];
    const t = testStore({
      updateSettings: (patch) => {
        patches.push(patch);
        return Promise.resolve({ ...t.store.getState().settings, ...patch } as Settings);
      },
    });
    const s = () => t.store.getState();
    t.store.setState({ settings: saved });
    s().editSettings({ concurrency: '100' });
    expect(await s().applySettingsDraft()).toEqual({
      saved: false,
      problem: 'Simultaneous requests to Alegion must be 1–64.',
    });
    expect(t.calls).toEqual([]);
    s().editSettings({ putConcurrency: '6' });
    expect(await s().applySettingsDraft()).toEqual({
      saved: true,
      problem: 'Simultaneous requests to Alegion must be 1–64.',
    });
    expect(patches).toEqual([{ putConcurrency: 6 }]);
    // The invalid text is kept, not lost, and the tab still says a change is pending.
    expect(s().settingsDraft?.concurrency).toBe('100');
    expect(draftDirty(s().settingsDraft, s().settings)).toBe(true);
    s().editSettings({ concurrency: '10' });
    expect(await s().applySettingsDraft()).toEqual({ saved: true, problem: null });
    expect(patches.at(-1)).toEqual({ concurrency: 10 });
    expect(s().settingsDraft).toBeNull();
  });

  it('keeps the edits and says why in words when the engine refuses', async () => {
    const t = testStore({
      updateSettings: () =>
        Promise.reject(
          new Error(
            'updateSettings: invalid arguments: 0.putConcurrency: Too big: expected number to be <=64',
          ),
        ),
    });
    const s = () => t.store.getState();
    t.store.setState({ settings: saved });
    s().editSettings({ concurrency: '10' });
    expect(await s().applySettingsDraft()).toEqual({
      saved: false,
      problem: 'Parallel file transfers must be 1–64.',
    });
    expect(s().settingsDraft?.concurrency).toBe('10');
  });
});
