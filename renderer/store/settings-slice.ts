/**
 * The app's settings, as the engine holds them, and the Settings form's edits on their way. Every setting applies
 * at once, as the theme does: a valid edit is sent as soon as it is made (a typed number after a short pause), and
 * an invalid one stays here, with its sentence under the field, until it is fixed, so nothing typed is lost and
 * leaving the screen keeps it (the Settings tab shows that a change is pending).
 */
import type { BrowseListing, Diagnostics, Settings, SettingsPatch } from '../../common/api.ts';
import type { SliceCreator } from './types.ts';

export type NumberSetting = 'concurrency' | 'putConcurrency' | 'bandwidthMBps' | 'autoSyncMinutes';

/** The form's values: numbers as typed (an emptied field stays empty instead of becoming NaN). */
export interface SettingsDraft {
  concurrency: string;
  putConcurrency: string;
  bandwidthMBps: string;
  autoSyncMinutes: string;
  downloadDir: string;
  notifications: boolean;
}

/** Each number field's label and bounds (the same as the contract's, common/api.ts `Settings`). */
export const NUMBER_FIELDS: Readonly<
  Record<NumberSetting, { label: string; min: number; max: number; integer: boolean }>
> = {
  concurrency: { label: 'Simultaneous requests to Alegion', min: 1, max: 64, integer: true },
  putConcurrency: { label: 'Parallel file transfers', min: 1, max: 64, integer: true },
  bandwidthMBps: { label: 'Bandwidth limit (MB/s)', min: 0, max: 10_000, integer: false },
  autoSyncMinutes: { label: 'Auto-sync interval (minutes)', min: 1, max: 24 * 60, integer: true },
};

const DOWNLOAD_DIR_LABEL = 'Download folder';

/** The form's values for the saved settings. */
export function draftOf(settings: Settings): SettingsDraft {
  return {
    concurrency: String(settings.concurrency),
    putConcurrency: String(settings.putConcurrency),
    bandwidthMBps: String(settings.bandwidthMBps),
    autoSyncMinutes: String(settings.autoSyncMinutes),
    downloadDir: settings.downloadDir,
    notifications: settings.notifications,
  };
}

/** What is wrong with a number field's text, as a sentence under the field; null when it can be saved. */
export function numberProblem(key: NumberSetting, text: string): string | null {
  const { label, min, max, integer } = NUMBER_FIELDS[key];
  const range = `${label} must be ${min.toLocaleString('en-US')}–${max.toLocaleString('en-US')}.`;
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value) || value < min || value > max) return range;
  if (integer && !Number.isInteger(value)) return `${label} must be a whole number.`;
  return null;
}

/** Every field's problem, by field; empty when the draft can be saved. */
export function draftProblems(draft: SettingsDraft): Partial<Record<keyof SettingsDraft, string>> {
  const problems: Partial<Record<keyof SettingsDraft, string>> = {};
  for (const key of Object.keys(NUMBER_FIELDS) as NumberSetting[]) {
    const problem = numberProblem(key, draft[key]);
    if (problem) problems[key] = problem;
  }
  if (!draft.downloadDir.trim()) problems.downloadDir = 'Choose a download folder.';
  return problems;
}

/** The changes of the draft's valid fields against the saved settings (nothing for unchanged or invalid fields). */
function draftPatch(draft: SettingsDraft, settings: Settings): SettingsPatch {
  const patch: SettingsPatch = {};
  const problems = draftProblems(draft);
  for (const key of Object.keys(NUMBER_FIELDS) as NumberSetting[]) {
    const value = Number(draft[key]);
    if (!problems[key] && value !== settings[key]) patch[key] = value;
  }
  if (!problems.downloadDir && draft.downloadDir.trim() !== settings.downloadDir)
    patch.downloadDir = draft.downloadDir.trim();
  if (draft.notifications !== settings.notifications) patch.notifications = draft.notifications;
  return patch;
}

/** True when the draft differs from the saved settings. */
export function draftDirty(draft: SettingsDraft | null, settings: Settings | null): boolean {
  if (!draft || !settings) return false;
  const saved = draftOf(settings);
  return (Object.keys(saved) as (keyof SettingsDraft)[]).some((k) =>
    k in NUMBER_FIELDS ? Number(draft[k]) !== Number(saved[k]) || draft[k] === '' : draft[k] !== saved[k],
  );
}

/**
 * The engine's refusal of a settings change in words: "updateSettings: invalid arguments: 0.concurrency: Too big:
 * expected number to be <=64" becomes "Simultaneous requests to Alegion must be 1–64."; anything else is kept.
 */
export function readableSettingsError(message: string): string {
  const field = /invalid arguments?:\s*(?:\d+\.)?(\w+)\b/.exec(message)?.[1];
  if (field && field in NUMBER_FIELDS) {
    const { label, min, max } = NUMBER_FIELDS[field as NumberSetting];
    return `${label} must be ${min.toLocaleString('en-US')}–${max.toLocaleString('en-US')}.`;
  }
  if (field === 'downloadDir') return `The ${DOWNLOAD_DIR_LABEL.toLowerCase()} is not a usable path.`;
  const text = message.replace(/^updateSettings:\s*/, '');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export interface SettingsSlice {
  settings: Settings | null;
  /** Unsaved edits of the Settings form; null when there are none. */
  settingsDraft: SettingsDraft | null;
  /** Saves a change; rejects with the engine's message (the form shows it and keeps what was typed). */
  updateSettings: (patch: SettingsPatch) => Promise<void>;
  /** Changes fields of the draft (started from the saved settings). */
  editSettings: (patch: Partial<SettingsDraft>) => void;
  /**
   * Applies the draft's valid changes; invalid fields stay in the draft. Resolves to whether anything was saved,
   * and the first problem left (a field's sentence or the engine's refusal in words), or null.
   */
  applySettingsDraft: () => Promise<{ saved: boolean; problem: string | null }>;
  getDiagnostics: () => Promise<Diagnostics>;
  /** The native folder dialog (Electron); null when canceled or when the host has none. */
  chooseDownloadFolder: () => Promise<string | null>;
  /** Lists a folder of the host's folder browser (the download folder's picker in the browser host). */
  browseFolder: (path: string | null) => Promise<BrowseListing>;
}

/** Creates the settings slice. */
export const createSettingsSlice: SliceCreator<SettingsSlice> = (set, get, { bridge }) => ({
  settings: null,
  settingsDraft: null,
  updateSettings: async (patch) => {
    set({ settings: await bridge.updateSettings(patch) });
  },
  editSettings: (patch) => {
    const { settings, settingsDraft } = get();
    if (!settings) return;
    set({ settingsDraft: { ...(settingsDraft ?? draftOf(settings)), ...patch } });
  },
  applySettingsDraft: async () => {
    const { settings, settingsDraft } = get();
    if (!settings || !settingsDraft) return { saved: false, problem: null };
    const patch = draftPatch(settingsDraft, settings);
    let saved = false;
    if (Object.keys(patch).length > 0) {
      try {
        await get().updateSettings(patch);
        saved = true;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const text = message.replace(/^Error invoking remote method '[^']+': (Error: )?/, '');
        return { saved: false, problem: readableSettingsError(text) };
      }
    }
    const problem = Object.values(draftProblems(settingsDraft))[0] ?? null;
    // Edits made while the change was under way stay; so does an invalid field, until it is fixed.
    const now = get();
    if (now.settingsDraft === settingsDraft && now.settings && !draftDirty(settingsDraft, now.settings))
      set({ settingsDraft: null });
    return { saved, problem };
  },
  getDiagnostics: () => bridge.getDiagnostics(),
  chooseDownloadFolder: () => bridge.chooseDownloadFolder(),
  browseFolder: (path) => bridge.browse(path),
});
