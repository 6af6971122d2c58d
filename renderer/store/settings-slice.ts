/** The app's settings, as the engine holds them. */
import type { Diagnostics, Settings, SettingsPatch } from '../../common/api.ts';
import type { SliceCreator } from './types.ts';

export interface SettingsSlice {
  settings: Settings | null;
  /** Saves a change; rejects with the engine's message (the form shows it and keeps what was typed). */
  updateSettings: (patch: SettingsPatch) => Promise<void>;
  getDiagnostics: () => Promise<Diagnostics>;
  /** The native folder dialog (Electron); null when canceled or when the host has none. */
  chooseDownloadFolder: () => Promise<string | null>;
}

/** Creates the settings slice. */
export const createSettingsSlice: SliceCreator<SettingsSlice> = (set, _get, { bridge }) => ({
  settings: null,
  updateSettings: async (patch) => {
    set({ settings: await bridge.updateSettings(patch) });
  },
  getDiagnostics: () => bridge.getDiagnostics(),
  chooseDownloadFolder: () => bridge.chooseDownloadFolder(),
});
