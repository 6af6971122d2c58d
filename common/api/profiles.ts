/**
 * Profiles and the connection: what "Connect to Alegion" sends, and what the app shows of a profile and its state.
 */
import { z } from 'zod';
import { ShortText } from './shared.ts';

/** What the user types into "Connect to Alegion". Secrets may be omitted when editing (the stored ones are kept). */
export const ProfileInput = z.object({
  id: z.string().max(100).optional(),
  name: ShortText,
  apiUrl: z.url({ protocol: /^https?$/, message: 'API URL must be an http(s) URL' }),
  username: ShortText,
  apiKey: z.string().max(500).optional(),
  password: z.string().max(500).optional(),
});
export type ProfileInput = z.infer<typeof ProfileInput>;

/** A stored profile as the renderer sees it: secrets are never sent back, only whether they are set. */
export interface ProfileView {
  id: string;
  name: string;
  apiUrl: string;
  username: string;
  isSandbox: boolean;
  /** e.g. "••••3f9a": enough to recognise the key, never the key; "saved" for a key too short to show any of. */
  apiKeyHint: string | null;
  hasPassword: boolean;
  /** False when the OS offers no secure storage: secrets live only for this session. */
  secretsPersisted: boolean;
  /** Why secrets are not persisted (e.g. Linux without a keyring), for the profile form; absent when they are. */
  secretsNote?: string;
}

export interface ConnectionTestResult {
  ok: boolean;
  /** Stable code of the failure (`api-key-rejected`, `login-rejected`, `network`, …). */
  code?: string;
  /** One sentence a person can act on. */
  message: string;
  workflowCount?: number;
}

type ConnectionStatus = 'disconnected' | 'connecting' | 'connected' | 'error';

export interface ConnectionState {
  status: ConnectionStatus;
  profileId: string | null;
  profileName: string | null;
  apiUrl: string | null;
  isSandbox: boolean;
  message?: string;
}

/** The connection before any profile is connected (the engine's and the window's starting point). */
export const DISCONNECTED: ConnectionState = {
  status: 'disconnected',
  profileId: null,
  profileName: null,
  apiUrl: null,
  isSandbox: false,
};
