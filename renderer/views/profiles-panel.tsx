/** Saved profiles: connect to one, edit it, remove it. Secrets show only as hints. */
import { useState } from 'react';
import type { ProfileView } from '../../common/api.ts';
import { Dialog } from '../components/dialog.tsx';
import { SandboxTag } from '../components/sandbox-tag.tsx';
import { errorMessage } from '../format.ts';
import { actions, useApp } from '../store/index.ts';
import { ProfileForm } from './profile-form.tsx';
import { reasonText } from '../reason-text.ts';

/** The list of saved profiles with their actions. */
export function ProfilesPanel() {
  const profiles = useApp((s) => s.profiles);
  const connection = useApp((s) => s.connection);
  const connecting = useApp((s) => s.connecting);
  const [editing, setEditing] = useState<ProfileView | null>(null);
  const [removing, setRemoving] = useState<ProfileView | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);

  if (profiles.length === 0) {
    return <p className="muted">No saved profiles yet. A profile is saved when you connect.</p>;
  }
  const remove = async (): Promise<void> => {
    if (!removing) return;
    try {
      await actions().removeProfile(removing.id);
      setRemoving(null);
    } catch (error) {
      setRemoveError(errorMessage(error));
    }
  };
  return (
    <>
      <ul className="profile-list" aria-label="Saved profiles">
        {profiles.map((p) => {
          const current = connection.profileId === p.id && connection.status === 'connected';
          // The last attempt on this profile failed (a click on Connect, or the reconnect at start): say why here.
          const failed = connection.profileId === p.id && connection.status === 'error';
          return (
            <li key={p.id}>
              <div style={{ flex: 1, minWidth: 0 }}>
                <div className="row">
                  <strong>{p.name}</strong>
                  <SandboxTag name={p.name} isSandbox={p.isSandbox} />
                  {current && <span className="badge done">Connected</span>}
                </div>
                <div className="small muted" style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
                  {p.apiUrl} · {p.username}
                  {p.apiKeyHint ? ` · key ${p.apiKeyHint}` : ''}
                </div>
                {!p.secretsPersisted && (
                  <div className="small muted">
                    {p.secretsNote ?? 'Secrets are kept for this session only (no secure storage).'}
                  </div>
                )}
                {failed && (
                  <p className="inline-result error" role="alert">
                    {connection.message ? reasonText(connection.message) : 'The connection failed.'}
                  </p>
                )}
              </div>
              {!current && (
                <button
                  type="button"
                  onClick={() => void actions().connectProfile(p.id)}
                  disabled={connecting}
                >
                  Connect
                </button>
              )}
              {!p.isSandbox && (
                <button
                  type="button"
                  className="ghost"
                  onClick={() => setEditing(p)}
                  aria-label={`Edit ${p.name}`}
                >
                  Edit
                </button>
              )}
              <button
                type="button"
                className="ghost danger"
                onClick={() => {
                  setRemoveError(null);
                  setRemoving(p);
                }}
                aria-label={`Remove ${p.name}`}
              >
                Remove
              </button>
            </li>
          );
        })}
      </ul>
      <Dialog
        open={editing !== null}
        title={`Edit ${editing?.name ?? 'profile'}`}
        onClose={() => setEditing(null)}
      >
        {editing && <ProfileForm profile={editing} onDone={() => setEditing(null)} />}
      </Dialog>
      <Dialog
        open={removing !== null}
        title="Remove profile?"
        onClose={() => setRemoving(null)}
        footer={
          <>
            <button type="button" onClick={() => setRemoving(null)}>
              Keep it
            </button>
            <button type="button" className="primary" onClick={() => void remove()}>
              Remove
            </button>
          </>
        }
      >
        <p>
          “{removing?.name}” and its stored secrets will be removed from this computer. Uploads already sent
          stay on the platform.
        </p>
        {removeError && (
          <p className="inline-result error" role="alert">
            {removeError}
          </p>
        )}
      </Dialog>
    </>
  );
}
