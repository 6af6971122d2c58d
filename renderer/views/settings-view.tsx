/**
 * Settings: concurrency, bandwidth, download folder, notifications, theme, and "Copy diagnostics". Every setting
 * applies at once, like the theme: a change is saved as soon as it is valid (a typed value after a short pause, or
 * on Enter), each card says "Saved" by itself, and an invalid value stays in its field with what is wrong under it.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { Settings, Theme } from '../../common/api.ts';
import { LoadingState } from '../components/panel-state.tsx';
import { errorMessage } from '../format.ts';
import { actions, useApp } from '../store/index.ts';
import { FolderPickerDialog } from './folder-picker-dialog.tsx';
import { NUMBER_FIELDS, draftOf, draftProblems, readableSettingsError } from '../store/settings-slice.ts';
import type { NumberSetting, SettingsDraft } from '../store/settings-slice.ts';
import { BackgroundSettings } from './background-settings.tsx';

function NumberField({
  name,
  hint,
  value,
  problem,
  step,
  onChange,
}: {
  onChange: (value: string) => void;
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
          onChange={(e) => onChange(e.target.value)}
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

/** How long typing may pause before a typed value applies. */
const TYPING_PAUSE_MS = 600;

function SettingsForm({ settings }: { settings: Settings }) {
  const stored = useApp((s) => s.settingsDraft);
  const draft = stored ?? draftOf(settings);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const nativeDialogs = useApp((s) => s.hostInfo?.nativeDialogs ?? false);
  const problems = draftProblems(draft);
  const apply = async (): Promise<void> => {
    setSaving(true);
    const result = await actions().applySettingsDraft();
    setSaving(false);
    // A field's own problem is said under it already; the engine's refusal is said here.
    const fieldProblem =
      result.problem !== null &&
      Object.values(draftProblems(actions().settingsDraft ?? draftOf(settings))).includes(result.problem);
    if (result.problem && !fieldProblem) setMessage({ ok: false, text: result.problem });
    // Everything shown is what the app uses (an edit typed back to the stored value included).
    else if (result.saved || !result.problem) setMessage({ ok: true, text: 'Saved.' });
  };
  // A typed value applies after a short pause (not at every keystroke); leaving the screen applies it at once.
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const applySoon = (delayMs: number): void => {
    if (pending.current) clearTimeout(pending.current);
    pending.current = setTimeout(() => {
      pending.current = null;
      void apply();
    }, delayMs);
  };
  useEffect(
    () => () => {
      if (!pending.current) return;
      clearTimeout(pending.current);
      void actions().applySettingsDraft();
    },
    [],
  );
  const edit = (patch: Partial<SettingsDraft>, delayMs = TYPING_PAUSE_MS): void => {
    actions().editSettings(patch);
    setMessage(null);
    applySoon(delayMs);
  };
  const applyNow = (event?: FormEvent): void => {
    event?.preventDefault();
    applySoon(0);
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
  // The diagnostics' word stands by their own button, not in the Uploads card.
  const [diagnosticsMessage, setDiagnosticsMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [picking, setPicking] = useState(false);
  const copyDiagnostics = async (): Promise<void> => {
    try {
      const diagnostics = await actions().getDiagnostics();
      await navigator.clipboard.writeText(JSON.stringify(diagnostics, null, 2));
      setDiagnosticsMessage({ ok: true, text: 'Diagnostics copied to the clipboard (no secrets included).' });
    } catch (error) {
      setDiagnosticsMessage({ ok: false, text: errorMessage(error) });
    }
  };
  const chooseFolder = (): void => {
    if (!nativeDialogs) return setPicking(true);
    void actions()
      .chooseDownloadFolder()
      .then((p) => p && edit({ downloadDir: p }, 0));
  };
  return (
    <>
      <form className="card stack" aria-labelledby="uploads-title" onSubmit={applyNow} noValidate>
        <h2 id="uploads-title">Uploads and downloads</h2>
        <p className="small muted">
          Changes apply at once; a value that is not valid waits until it is fixed.
        </p>
        <div className="settings-grid">
          <NumberField
            name="concurrency"
            onChange={(value) => edit({ concurrency: value })}
            hint="1–64. The most API calls at once; the queue adapts below it."
            value={draft.concurrency}
            problem={problems.concurrency}
          />
          <NumberField
            name="putConcurrency"
            onChange={(value) => edit({ putConcurrency: value })}
            hint="1–64. The most uploads to storage at once; the queue adapts below it."
            value={draft.putConcurrency}
            problem={problems.putConcurrency}
          />
          <NumberField
            name="bandwidthMBps"
            onChange={(value) => edit({ bandwidthMBps: value })}
            hint="0 means no limit."
            value={draft.bandwidthMBps}
            problem={problems.bandwidthMBps}
            step={0.5}
          />
          <NumberField
            name="autoSyncMinutes"
            onChange={(value) => edit({ autoSyncMinutes: value })}
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
              onBlur={() => applyNow()}
              style={{ flex: 1 }}
            />
            <button type="button" onClick={chooseFolder}>
              Choose…
            </button>
          </span>
          {problems.downloadDir && <span className="field-problem">{problems.downloadDir}</span>}
        </label>
        <label className="switch">
          <input
            type="checkbox"
            checked={draft.notifications}
            onChange={(e) => edit({ notifications: e.target.checked }, 0)}
          />
          Desktop notification when a batch is done
        </label>
        <p className="small settings-state" role="status" data-testid="settings-state">
          {saving ? (
            <span className="muted">Saving…</span>
          ) : (
            message?.ok && <span className="inline-result ok">{message.text}</span>
          )}
        </p>
        {message && !message.ok && (
          <p className="inline-result error" role="alert">
            {message.text}
          </p>
        )}
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
        <div className="row">
          <button type="button" onClick={() => void copyDiagnostics()}>
            Copy diagnostics
          </button>
          {diagnosticsMessage && (
            <p
              className={`inline-result ${diagnosticsMessage.ok ? 'ok' : 'error'}`}
              role={diagnosticsMessage.ok ? 'status' : 'alert'}
            >
              {diagnosticsMessage.text}
            </p>
          )}
        </div>
      </section>
      <FolderPickerDialog
        open={picking}
        title="Choose the download folder"
        onClose={() => setPicking(false)}
        onPick={(path) => {
          setPicking(false);
          edit({ downloadDir: path }, 0);
        }}
      />
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
