/**
 * The desktop app's "In the background" settings: start at login, hidden, so watched folders keep working after a
 * reboot. It applies at once, like the theme. A browser tab on the headless host has no login to start with.
 */
import { useState } from 'react';
import type { Settings } from '../../common/api.ts';
import { errorMessage } from '../format.ts';
import { actions, useApp } from '../store/index.ts';

/** The section; nothing outside the desktop app. */
export function BackgroundSettings({ settings }: { settings: Settings }) {
  const desktop = useApp((s) => s.hostInfo?.kind === 'electron');
  const [error, setError] = useState<string | null>(null);
  if (!desktop) return null;
  return (
    <section className="card stack" aria-labelledby="background-title">
      <h2 id="background-title">In the background</h2>
      <p className="small muted">
        Closing the window while files upload or folders are watched keeps the app working in the tray.
      </p>
      <label className="switch">
        <input
          type="checkbox"
          checked={settings.startAtLogin ?? false}
          onChange={(e) => {
            setError(null);
            actions()
              .updateSettings({ startAtLogin: e.target.checked })
              .catch((reason: unknown) => setError(errorMessage(reason)));
          }}
        />
        Start at login, hidden (in the tray), so watched folders keep working after a restart
      </label>
      {error && (
        <p className="inline-result error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
