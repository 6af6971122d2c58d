/** First run (and whenever no profile is connected): connect to Alegion, try the sandbox, or pick a profile. */
import { useState } from 'react';
import { actions, useApp } from '../store/index.ts';
import { ProfileForm } from './profile-form.tsx';
import { ProfilesPanel } from './profiles-panel.tsx';

/** The connect screen. */
export function ConnectView() {
  const connecting = useApp((s) => s.connecting);
  const [sandboxError, setSandboxError] = useState<string | null>(null);
  const trySandbox = async (): Promise<void> => {
    setSandboxError(null);
    await actions().startSandbox();
    const after = actions();
    if (after.connection.status !== 'connected')
      setSandboxError(after.connectError ?? 'The sandbox did not start.');
  };
  const hasProfiles = useApp((s) => s.profiles.length > 0);
  const headless = useApp((s) => s.hostInfo?.kind === 'headless');
  return (
    <main className="first-run">
      <div className="inner">
        <div className="row">
          <span className="brand-mark" aria-hidden="true" />
          <h1>Alegion Uploader</h1>
        </div>
        <p className="muted">
          Send images, videos and documents to your Alegion workflows, watch them upload, and get the labeled
          results back.
        </p>
        <div className="columns">
          <section className="card stack" aria-labelledby="connect-title">
            <h2 id="connect-title">Connect to Alegion</h2>
            <p className="small muted">
              {headless
                ? 'In the browser, your API key and password are kept in memory on this host until it stops.'
                : 'Your API key and password are stored encrypted on this computer.'}
            </p>
            <ProfileForm profile={null} />
          </section>
          <div className="stack">
            <section className="card stack" aria-labelledby="sandbox-title">
              <h2 id="sandbox-title">Try the sandbox</h2>
              <p className="small muted">
                A local copy of the Alegion API with simulated labelers. Nothing leaves this computer.
              </p>
              <button
                type="button"
                className="primary"
                onClick={() => void trySandbox()}
                disabled={connecting}
              >
                {connecting ? 'Starting…' : 'Try the sandbox'}
              </button>
              {sandboxError && (
                <p className="inline-result error" role="alert">
                  {sandboxError}
                </p>
              )}
            </section>
            {hasProfiles && (
              <section className="card stack" aria-labelledby="profiles-title">
                <h2 id="profiles-title">Saved profiles</h2>
                <ProfilesPanel />
              </section>
            )}
          </div>
        </div>
      </div>
    </main>
  );
}
