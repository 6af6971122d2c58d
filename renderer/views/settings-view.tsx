/** Settings: concurrency, bandwidth, download folder, notifications, theme, and "Copy diagnostics". */
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { Settings, Theme } from '../../common/api.ts';
import { LoadingState } from '../components/panel-state.tsx';
import { errorMessage } from '../format.ts';
import { actions, useApp } from '../store/index.ts';
import {
  NUMBER_FIELDS,
  draftDirty,
  draftOf,
  draftProblems,
  readableSettingsError,
} from '../store/settings-slice.ts';
import type { NumberSetting, SettingsDraft } from '../store/settings-slice.ts';
import { BackgroundSettings } from './background-settings.tsx';

function NumberField({
  name,
  hint,
  value,
  problem,
  step,
}: {
  name: NumberSetting;
  hint: string;
  value: string;
  problem: string | undefined;
  step?: number;
}) {
  const { label, min, max } = NUMBER_FIELDS[name];
  const hintId = useId();
  const problemId = useId();
  // The problem and the hint describe the field; only the label names it.
  return (
    <div className="field">
      <label>
        {label}
        <input
          type="number"
          value={value}
          min={min}
          max={max}
          step={step ?? 1}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${problemId} ${hintId}` : hintId}
          onChange={(e) => actions().editSettings({ [name]: e.target.value })}
        />
      </label>
      {problem && (
        <span className="field-problem" id={problemId}>
          {problem}
        </span>
      )}
      <span className="hint" id={hintId}>
        {hint}
      </span>
    </div>
  );
}

function SettingsForm({ settings }: { settings: Settings }) {
  const stored = useApp((s) => s.settingsDraft);
  const draft = stored ?? draftOf(settings);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const nativeDialogs = useApp((s) => s.hostInfo?.nativeDialogs ?? false);
  const problems = draftProblems(draft);
  const invalid = Object.keys(problems).length > 0;
  const dirty = draftDirty(stored, settings);
  const edit = (patch: Partial<SettingsDraft>): void => {
    actions().editSettings(patch);
    setMessage(null);
  };
  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!dirty || invalid || saving) return;
    setSaving(true);
    const problem = await actions().saveSettingsDraft();
    setSaving(false);
    setMessage(problem ? { ok: false, text: problem } : { ok: true, text: 'Saved.' });
  };
  // The radio follows the click at once; the engine's answer confirms it (or the message says why not).
  const [theme, setThemeShown] = useState<Theme>(settings.theme);
  const setTheme = async (next: Theme): Promise<void> => {
    setThemeShown(next);
    try {
      await actions().updateSettings({ theme: next });
    } catch (error) {
      setThemeShown(settings.theme);
      setMessage({ ok: false, text: readableSettingsError(errorMessage(error)) });
    }
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
  return (
    <>
      <form className="card stack" aria-labelledby="uploads-title" onSubmit={(e) => void save(e)} noValidate>
        <h2 id="uploads-title">Uploads and downloads</h2>
        <div className="settings-grid">
          <NumberField
            name="concurrency"
            hint="1–64. More is faster until the platform slows down."
            value={draft.concurrency}
            problem={problems.concurrency}
          />
          <NumberField
            name="putConcurrency"
            hint="1–64 uploads to storage at once."
            value={draft.putConcurrency}
            problem={problems.putConcurrency}
          />
          <NumberField
            name="bandwidthMBps"
            hint="0 means no limit."
            value={draft.bandwidthMBps}
            problem={problems.bandwidthMBps}
            step={0.5}
          />
          <NumberField
            name="autoSyncMinutes"
            hint="1–1,440. How often a synced batch is exported."
            value={draft.autoSyncMinutes}
            problem={problems.autoSyncMinutes}
          />
        </div>
        <label>
          Download folder
          <span className="row">
            <input
              type="text"
              className="mono"
              value={draft.downloadDir}
              aria-invalid={problems.downloadDir ? true : undefined}
              onChange={(e) => edit({ downloadDir: e.target.value })}
              style={{ flex: 1 }}
            />
            {nativeDialogs && (
              <button
                type="button"
                onClick={() =>
                  void actions()
                    .chooseDownloadFolder()
                    .then((p) => p && edit({ downloadDir: p }))
                }
              >
                Choose…
              </button>
            )}
          </span>
          {problems.downloadDir && <span className="field-problem">{problems.downloadDir}</span>}
        </label>
        <label className="switch">
          <input
            type="checkbox"
            checked={draft.notifications}
            onChange={(e) => edit({ notifications: e.target.checked })}
          />
          Desktop notification when a batch is done
        </label>
        <div className="row">
          {message ? (
            <p
              className={`inline-result ${message.ok ? 'ok' : 'error'}`}
              role={message.ok ? 'status' : 'alert'}
            >
              {message.text}
            </p>
          ) : (
            dirty && (
              <p className="small muted" data-testid="settings-unsaved">
                Unsaved changes: they are kept until you save or undo them.
              </p>
            )
          )}
          <span className="spacer" />
          <button
            type="button"
            disabled={!dirty || saving}
            onClick={() => {
              actions().discardSettingsDraft();
              setMessage(null);
            }}
          >
            Undo changes
          </button>
          <button type="submit" className="primary" disabled={!dirty || invalid || saving}>
            {saving ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
      <BackgroundSettings settings={settings} />
      <section className="card stack" aria-labelledby="look-title">
        <h2 id="look-title">Appearance</h2>
        <p className="small muted">The theme applies at once.</p>
        <div className="row" role="radiogroup" aria-label="Theme">
          {(['system', 'light', 'dark'] as const).map((t) => (
            <label key={t} className="inline">
              <input type="radio" name="theme" checked={theme === t} onChange={() => void setTheme(t)} />
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
