/** Settings: concurrency, bandwidth, download folder, notifications, theme, and "Copy diagnostics". */
import { useState } from 'react';
import type { Settings, Theme } from '../../common/api.ts';
import { LoadingState } from '../components/panel-state.tsx';
import { errorMessage } from '../format.ts';
import { actions, useApp } from '../store/index.ts';

function NumberField(props: {
  label: string;
  hint: string;
  value: number;
  min: number;
  max: number;
  step?: number;
  onChange: (n: number) => void;
}) {
  return (
    <label>
      {props.label}
      <input
        type="number"
        value={Number.isFinite(props.value) ? props.value : ''}
        min={props.min}
        max={props.max}
        step={props.step ?? 1}
        onChange={(e) => props.onChange(e.target.value === '' ? Number.NaN : Number(e.target.value))}
      />
      <span className="hint">{props.hint}</span>
    </label>
  );
}

function SettingsForm({ settings }: { settings: Settings }) {
  const [draft, setDraft] = useState<Settings>(settings);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const nativeDialogs = useApp((s) => s.hostInfo?.nativeDialogs ?? false);
  const set = <K extends keyof Settings>(key: K, value: Settings[K]): void => {
    setDraft((d) => ({ ...d, [key]: value }));
    setMessage(null);
  };
  const save = async (patch: Partial<Settings>): Promise<void> => {
    try {
      await actions().updateSettings(patch);
      setMessage({ ok: true, text: 'Saved.' });
    } catch (error) {
      setMessage({ ok: false, text: errorMessage(error) });
    }
  };
  const setTheme = (theme: Theme): void => {
    set('theme', theme);
    void save({ theme });
  };
  const copyDiagnostics = async (): Promise<void> => {
    try {
      const diagnostics = await actions().getDiagnostics();
      await navigator.clipboard.writeText(JSON.stringify(diagnostics, null, 2));
      setMessage({ ok: true, text: 'Diagnostics copied to the clipboard (no secrets included).' });
    } catch (error) {
      setMessage({ ok: false, text: errorMessage(error) });
    }
  };
  const dirty = (Object.keys(draft) as (keyof Settings)[]).some(
    (k) => k !== 'theme' && draft[k] !== settings[k],
  );
  return (
    <>
      <section className="card stack" aria-labelledby="uploads-title">
        <h2 id="uploads-title">Uploads</h2>
        <div className="settings-grid">
          <NumberField
            label="Parallel API calls"
            hint="1–64. More is faster until the platform slows down."
            value={draft.concurrency}
            min={1}
            max={64}
            onChange={(n) => set('concurrency', n)}
          />
          <NumberField
            label="Parallel file transfers"
            hint="1–64 uploads to storage at once."
            value={draft.putConcurrency}
            min={1}
            max={64}
            onChange={(n) => set('putConcurrency', n)}
          />
          <NumberField
            label="Bandwidth limit (MB/s)"
            hint="0 means no limit."
            value={draft.bandwidthMBps}
            min={0}
            max={10000}
            step={0.5}
            onChange={(n) => set('bandwidthMBps', n)}
          />
          <NumberField
            label="Auto-sync interval (minutes)"
            hint="How often a synced batch is exported."
            value={draft.autoSyncMinutes}
            min={1}
            max={1440}
            onChange={(n) => set('autoSyncMinutes', n)}
          />
        </div>
        <label>
          Download folder
          <span className="row">
            <input
              type="text"
              className="mono"
              value={draft.downloadDir}
              onChange={(e) => set('downloadDir', e.target.value)}
              style={{ flex: 1 }}
            />
            {nativeDialogs && (
              <button
                type="button"
                onClick={() =>
                  void actions()
                    .chooseDownloadFolder()
                    .then((p) => p && set('downloadDir', p))
                }
              >
                Choose…
              </button>
            )}
          </span>
        </label>
        <label className="switch">
          <input
            type="checkbox"
            checked={draft.notifications}
            onChange={(e) => set('notifications', e.target.checked)}
          />
          Desktop notification when a batch is done
        </label>
        <div className="row">
          {message && (
            <p
              className={`inline-result ${message.ok ? 'ok' : 'error'}`}
              role={message.ok ? 'status' : 'alert'}
            >
              {message.text}
            </p>
          )}
          <span className="spacer" />
          <button type="button" disabled={!dirty} onClick={() => setDraft(settings)}>
            Undo changes
          </button>
          <button
            type="button"
            className="primary"
            disabled={!dirty}
            onClick={() => void save({ ...draft, theme: undefined })}
          >
            Save
          </button>
        </div>
      </section>
      <section className="card stack" aria-labelledby="look-title">
        <h2 id="look-title">Appearance</h2>
        <div className="row" role="radiogroup" aria-label="Theme">
          {(['system', 'light', 'dark'] as const).map((t) => (
            <label key={t} className="inline">
              <input type="radio" name="theme" checked={draft.theme === t} onChange={() => setTheme(t)} />
              {t === 'system' ? 'Follow the system' : t === 'light' ? 'Light' : 'Dark'}
            </label>
          ))}
        </div>
      </section>
      <section className="card stack" aria-labelledby="support-title">
        <h2 id="support-title">Support</h2>
        <p className="small muted">
          App version, settings with secrets removed, and recent errors, for your support contact.
        </p>
        <div>
          <button type="button" onClick={() => void copyDiagnostics()}>
            Copy diagnostics
          </button>
        </div>
      </section>
    </>
  );
}

/** The settings screen. */
export function SettingsView() {
  const settings = useApp((s) => s.settings);
  return (
    <>
      <div className="view-head">
        <h1>Settings</h1>
      </div>
      {settings ? <SettingsForm settings={settings} /> : <LoadingState label="Loading settings…" />}
    </>
  );
}
