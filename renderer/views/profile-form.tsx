/**
 * "Connect to Alegion": a profile's name, API URL, API key, username and password, with "Test connection".
 * Editing a profile never shows its secrets: empty secret fields keep the stored ones, unless the API URL moves to
 * another origin, where the stored ones are never sent: then both are asked for again (profile-origin.ts).
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { ProfileInput } from '../../common/api.ts';
import type { ConnectionTestResult, ProfileView } from '../../common/api.ts';
import { errorMessage, plural } from '../format.ts';
import { reasonText } from '../reason-text.ts';
import { actions } from '../store/index.ts';
import { NEW_ORIGIN_NOTE, needsSecretsAgain } from './profile-origin.ts';

const DEFAULT_API_URL = 'https://api.alegion.com/v1';

interface Draft {
  name: string;
  apiUrl: string;
  apiKey: string;
  username: string;
  password: string;
}

function draftFor(profile: ProfileView | null): Draft {
  return {
    name: profile?.name ?? '',
    apiUrl: profile?.apiUrl ?? DEFAULT_API_URL,
    apiKey: '',
    username: profile?.username ?? '',
    password: '',
  };
}

const FIELD_LABELS: Record<string, string> = {
  name: 'Profile name',
  apiUrl: 'API URL',
  apiKey: 'API key',
  username: 'Username',
  password: 'Password',
};

/** The field a connection failure points at: the key the platform rejected, or the login it refused. */
function rejectedField(message: string): 'apiKey' | 'password' | null {
  if (/^API key rejected/i.test(message)) return 'apiKey';
  if (/^username or password rejected/i.test(message)) return 'password';
  return null;
}

/** The form; `profile` set means editing it. `onDone` runs after a successful save (and connect), and on Cancel. */
export function ProfileForm({ profile, onDone }: { profile: ProfileView | null; onDone?: () => void }) {
  const [draft, setDraft] = useState<Draft>(() => draftFor(profile));
  const [result, setResult] = useState<ConnectionTestResult | null>(null);
  const [problem, setProblem] = useState<{ field: string | null; message: string } | null>(null);
  const [busy, setBusy] = useState<'test' | 'save' | null>(null);
  // A new profile is saved before it connects: after a failed connect, the next try updates that profile instead
  // of adding a second one with the same name.
  const [savedId, setSavedId] = useState<string | null>(null);
  const editing = profile !== null;
  const secretsAgain = needsSecretsAgain(profile, draft.apiUrl);
  const keepsSecrets = editing && !secretsAgain;

  const update = (field: keyof Draft) => (e: { target: { value: string } }) => {
    setDraft((d) => ({ ...d, [field]: e.target.value }));
    setResult(null);
  };

  /** The form as a profile; for a test, a name is not needed yet (the connection does not depend on it). */
  const parse = (forTest = false): ProfileInput | null => {
    const stillSaved = savedId !== null && actions().profiles.some((p) => p.id === savedId);
    const input = {
      id: profile?.id ?? (stillSaved ? savedId : undefined),
      name: forTest && !draft.name.trim() ? 'Connection test' : draft.name,
      apiUrl: draft.apiUrl.trim(),
      username: draft.username,
      apiKey: draft.apiKey || undefined,
      password: draft.password || undefined,
    };
    const parsed = ProfileInput.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = typeof issue?.path[0] === 'string' ? issue.path[0] : null;
      const label = field ? (FIELD_LABELS[field] ?? field) : 'Profile';
      const message =
        issue?.code === 'too_small' ? `${label} is required.` : `${label}: ${issue?.message ?? 'invalid'}`;
      setProblem({ field, message });
      return null;
    }
    if (!keepsSecrets && (!parsed.data.apiKey || !parsed.data.password)) {
      const field = parsed.data.apiKey ? 'password' : 'apiKey';
      const message = secretsAgain ? NEW_ORIGIN_NOTE : `${FIELD_LABELS[field]} is required.`;
      setProblem({ field, message });
      return null;
    }
    setProblem(null);
    return parsed.data;
  };

  const test = async (): Promise<void> => {
    const input = parse(true);
    if (!input) return;
    setBusy('test');
    setResult(null);
    try {
      setResult(await actions().testConnection(input));
    } catch (error) {
      setResult({ ok: false, message: errorMessage(error) });
    } finally {
      setBusy(null);
    }
  };

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const input = parse();
    if (!input) return;
    setBusy('save');
    try {
      const saved = await actions().saveProfile(input);
      setSavedId(saved.id);
      await actions().connectProfile(saved.id);
      const after = actions();
      if (after.connection.status === 'connected') onDone?.();
      else {
        const message = after.connectError ?? 'The connection failed.';
        setProblem({ field: rejectedField(message), message: reasonText(message) });
      }
    } catch (error) {
      setProblem({ field: null, message: errorMessage(error) });
    } finally {
      setBusy(null);
    }
  };

  const invalid = (field: string): boolean =>
    problem?.field === field || (result?.ok === false && rejectedField(result.message) === field);
  return (
    <form
      className="stack"
      onSubmit={(e) => void submit(e)}
      aria-label={editing ? 'Edit profile' : 'Connect to Alegion'}
      noValidate
    >
      <div className="form-grid">
        <label>
          Profile name
          <input
            type="text"
            value={draft.name}
            onChange={update('name')}
            aria-invalid={invalid('name')}
            placeholder="e.g. Production"
            autoComplete="off"
          />
        </label>
        <label>
          API URL
          <input
            type="url"
            value={draft.apiUrl}
            onChange={update('apiUrl')}
            aria-invalid={invalid('apiUrl')}
            autoComplete="off"
            spellCheck={false}
          />
        </label>
        <label className="full">
          API key
          <input
            type="password"
            value={draft.apiKey}
            onChange={update('apiKey')}
            aria-invalid={invalid('apiKey')}
            autoComplete="off"
            placeholder={
              keepsSecrets && profile?.apiKeyHint ? `${profile.apiKeyHint} (leave empty to keep)` : ''
            }
          />
        </label>
        <label>
          Username
          <input
            type="text"
            value={draft.username}
            onChange={update('username')}
            aria-invalid={invalid('username')}
            autoComplete="username"
          />
        </label>
        <label>
          Password
          <input
            type="password"
            value={draft.password}
            onChange={update('password')}
            aria-invalid={invalid('password')}
            autoComplete="current-password"
            placeholder={keepsSecrets && profile?.hasPassword ? 'Saved (leave empty to keep)' : ''}
          />
        </label>
      </div>
      {secretsAgain && problem?.message !== NEW_ORIGIN_NOTE && (
        <p className="inline-result" role="note" data-testid="new-origin-note">
          {NEW_ORIGIN_NOTE}
        </p>
      )}
      {problem && (
        <p className="inline-result error" role="alert">
          {problem.message}
        </p>
      )}
      {result && (
        <p className={`inline-result ${result.ok ? 'ok' : 'error'}`} role="status" data-testid="test-result">
          {result.ok ? '✓ ' : '✕ '}
          {result.ok ? result.message : reasonText(result.message)}
          {result.ok && result.workflowCount !== undefined
            ? ` ${plural(result.workflowCount, 'workflow')} available.`
            : ''}
        </p>
      )}
      <div className="row">
        <button type="button" onClick={() => void test()} disabled={busy !== null}>
          {busy === 'test' ? 'Testing…' : 'Test connection'}
        </button>
        <span className="spacer" />
        {onDone && (
          <button type="button" onClick={onDone} disabled={busy === 'save'}>
            Cancel
          </button>
        )}
        <button type="submit" className="primary" disabled={busy !== null}>
          {busy === 'save' ? 'Connecting…' : editing ? 'Save and connect' : 'Connect'}
        </button>
      </div>
    </form>
  );
}
