/**
 * The profile form's rule for secrets and addresses: the host sends a saved API key and password only to the origin
 * (scheme, host and port) they were typed for, so an edit that moves the API URL to another origin needs them typed
 * again, and the form says so before the user saves.
 */
import type { ProfileView } from '../../common/api.ts';

/** The sentence shown beside the fields when the saved secrets will not be used. */
export const NEW_ORIGIN_NOTE =
  'This is a new address: enter the API key and password again. Saved ones are only sent to the address they were entered for.';

function origin(url: string): string | null {
  try {
    return new URL(url.trim()).origin;
  } catch {
    return null;
  }
}

/** True when `apiUrl` points at another origin than the saved profile's, so its saved secrets cannot be kept. */
export function needsSecretsAgain(profile: Pick<ProfileView, 'apiUrl'> | null, apiUrl: string): boolean {
  if (!profile) return false;
  const typed = origin(apiUrl);
  return typed !== null && typed !== origin(profile.apiUrl);
}
