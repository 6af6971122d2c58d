/** Settings, the host, the folder browser and diagnostics. */
import { z } from 'zod';
import { localPathSchemas } from './shared.ts';
import type { ConnectionState } from './profiles.ts';
import type { QueueTotals } from './queue.ts';

export const Theme = z.enum(['system', 'light', 'dark']);
export type Theme = z.infer<typeof Theme>;

export const Settings = z.object({
  /** Concurrent API calls. */
  concurrency: z.number().int().min(1).max(64),
  /** Concurrent PUTs to storage. */
  putConcurrency: z.number().int().min(1).max(64),
  /** MB/s across all uploads; 0 means unlimited. */
  bandwidthMBps: z.number().min(0).max(10_000),
  downloadDir: z.string().max(4096).register(localPathSchemas, { localPath: true }),
  notifications: z.boolean(),
  theme: Theme,
  /** Auto-sync creates an export at most this often per batch. */
  autoSyncMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  /** Desktop app: start with the session, in the tray only, so watched folders go on after a reboot. */
  startAtLogin: z.boolean().optional(),
});
export type Settings = z.infer<typeof Settings>;
export const SettingsPatch = Settings.partial();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export interface HostInfo {
  kind: 'electron' | 'headless';
  appVersion: string;
  /** Native file dialogs exist (Electron); otherwise the host's own folder browser is used. */
  nativeDialogs: boolean;
  /** Drag and drop yields file paths (Electron only: browsers hide paths). */
  dropGivesPaths: boolean;
}

export interface BrowseEntry {
  name: string;
  path: string;
  isDirectory: boolean;
  size: number;
  /** A folder's number of entries, when counted (null: too many folders to count, or unreadable). */
  items?: number | null;
}

export interface BrowseListing {
  path: string | null;
  parent: string | null;
  /** The folders the user allowed; listing outside them is refused. */
  roots: string[];
  entries: BrowseEntry[];
}

export interface Diagnostics {
  appVersion: string;
  host: HostInfo['kind'];
  platform: string;
  settings: Settings;
  connection: ConnectionState;
  queue: QueueTotals;
  recentErrors: { at: string; message: string }[];
}
