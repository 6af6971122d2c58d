/** The connected app: top bar with the screens and the profile, the sidebar, and the open screen. */
import { useEffect } from 'react';
import { SandboxTag } from '../components/sandbox-tag.tsx';
import type { View } from '../store/navigation-slice.ts';
import { actions, useApp } from '../store/index.ts';
import { draftDirty } from '../store/settings-slice.ts';
import { BatchScreen } from './batch-view.tsx';
import { ExportsView } from './exports-view.tsx';
import { ProblemsButton } from '../components/notices.tsx';
import { FolderBrowserDialog } from './folder-browser-dialog.tsx';
import { IntakeDialog } from './intake-dialog.tsx';
import { RecordsDialog } from './records-dialog.tsx';
import { ItemDetailsDialog } from './item-details-dialog.tsx';
import { ProfilesView } from './profiles-view.tsx';
import { QueueView } from './queue-view.tsx';
import { SettingsView } from './settings-view.tsx';
import { Shortcuts } from './shortcuts.tsx';
import { Sidebar } from './sidebar.tsx';
import { useWindowTitle } from '../window-title.ts';

const TABS: { name: 'queue' | 'exports' | 'settings'; label: string }[] = [
  { name: 'queue', label: 'Queue' },
  { name: 'exports', label: 'Exports' },
  { name: 'settings', label: 'Settings' },
];

function Screen({ view }: { view: View }) {
  switch (view.name) {
    case 'queue':
      return <QueueView />;
    case 'batch':
      return <BatchScreen key={view.batchId} workflowId={view.workflowId} batchId={view.batchId} />;
    case 'exports':
      return <ExportsView />;
    case 'settings':
      return <SettingsView />;
    case 'profiles':
      return <ProfilesView />;
  }
}

function ProfileChip() {
  const connection = useApp((s) => s.connection);
  const mode = useApp((s) => s.totals?.mode);
  const dot =
    mode === 'offline' ? 'status-dot offline' : mode === 'blocked' ? 'status-dot error' : 'status-dot';
  const label = mode === 'offline' ? 'offline' : mode === 'blocked' ? 'blocked' : 'connected';
  return (
    <button
      type="button"
      className="ghost profile-chip"
      onClick={() => actions().navigate({ name: 'profiles' })}
      title="Manage profiles"
    >
      <span className={dot} aria-hidden="true" />
      {connection.profileName}
      <SandboxTag name={connection.profileName} isSandbox={connection.isSandbox} />
      <span className="visually-hidden">({label}), manage profiles</span>
    </button>
  );
}

/**
 * With native dialogs, "Add files…" and "Add folder…" open the system's chooser straight away; without (a browser
 * on the headless host), one "Add files…" opens the add dialog, whose own buttons browse the host's folders.
 */
function AddButtons() {
  const native = useApp((s) => s.hostInfo?.nativeDialogs ?? false);
  return (
    <>
      {native && (
        <button type="button" onClick={() => void actions().choosePaths('folder')}>
          Add folder…
        </button>
      )}
      <button type="button" onClick={() => actions().openRecords()}>
        Import records…
      </button>
      <button type="button" className="primary" onClick={() => actions().startAdding()}>
        Add files…
      </button>
    </>
  );
}

/** True while the Settings form has edits that are not saved (the tab says so, and closing the window asks). */
function useUnsavedSettings(): boolean {
  const unsaved = useApp((s) => draftDirty(s.settingsDraft, s.settings));
  useEffect(() => {
    if (!unsaved) return undefined;
    const ask = (event: BeforeUnloadEvent): void => event.preventDefault();
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [unsaved]);
  return unsaved;
}

/** The workspace layout. */
export function Workspace() {
  const view = useApp((s) => s.view);
  const unsavedSettings = useUnsavedSettings();
  useWindowTitle();
  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Alegion Uploader
        </span>
        <nav className="tabs" aria-label="Screens">
          {TABS.map((t) => (
            <button
              key={t.name}
              type="button"
              aria-current={view.name === t.name ? 'page' : undefined}
              onClick={() => actions().navigate({ name: t.name })}
            >
              {t.label}
              {t.name === 'settings' && unsavedSettings && (
                <>
                  {/* Worded without "save": the form's Save button keeps a name no other button contains. */}
                  <span className="unsaved-dot" aria-hidden="true" title="Changes not stored yet" />
                  <span className="visually-hidden"> (changes pending)</span>
                </>
              )}
            </button>
          ))}
        </nav>
        <span className="spacer" />
        <ProblemsButton />
        <AddButtons />
        <ProfileChip />
      </header>
      <Sidebar />
      <main className="main" id="main">
        <Screen view={view} />
      </main>
      <IntakeDialog />
      <RecordsDialog />
      <FolderBrowserDialog />
      <ItemDetailsDialog />
      <Shortcuts />
    </div>
  );
}
