/** Profiles inside the workspace: switch, edit, remove, add one, disconnect. */
import { useState } from 'react';
import { ProfileForm } from './profile-form.tsx';
import { ProfilesPanel } from './profiles-panel.tsx';
import { actions, useApp } from '../store/index.ts';

/** The profiles screen. */
export function ProfilesView() {
  const connection = useApp((s) => s.connection);
  const [adding, setAdding] = useState(false);
  return (
    <>
      <div className="view-head">
        <h1>Profiles</h1>
        <button type="button" onClick={() => void actions().disconnect()}>
          Disconnect
        </button>
      </div>
      <p className="muted">
        Connected to <strong>{connection.profileName}</strong> at{' '}
        <span className="mono">{connection.apiUrl}</span>
      </p>
      <section className="card stack" aria-label="Saved profiles">
        <ProfilesPanel />
      </section>
      <section className="card stack" aria-labelledby="add-profile">
        <div className="row">
          <h2 id="add-profile" style={{ flex: 1 }}>
            Add a profile
          </h2>
          {!adding && (
            <button type="button" onClick={() => setAdding(true)}>
              Add…
            </button>
          )}
        </div>
        {adding && <ProfileForm profile={null} onDone={() => setAdding(false)} />}
      </section>
    </>
  );
}
