/** The connected app: top bar with the screens and the profile, the sidebar, and the open screen. */
import { SandboxTag } from '../components/sandbox-tag.tsx';
import type { View } from '../store/navigation-slice.ts';
import { actions, useApp } from '../store/index.ts';
import { BatchScreen } from './batch-view.tsx';
import { ExportsView } from './exports-view.tsx';
import { FolderBrowserDialog } from './folder-browser-dialog.tsx';
import { IntakeDialog } from './intake-dialog.tsx';
import { ItemDetailsDialog } from './item-details-dialog.tsx';
import { ProfilesView } from './profiles-view.tsx';
import { QueueView } from './queue-view.tsx';
import { SettingsView } from './settings-view.tsx';
import { Sidebar } from './sidebar.tsx';

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

/** The workspace layout. */
export function Workspace() {
  const view = useApp((s) => s.view);
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
            </button>
          ))}
        </nav>
        <span className="spacer" />
        <button type="button" className="primary" onClick={() => actions().openIntake()}>
          Add files…
        </button>
        <ProfileChip />
      </header>
      <Sidebar />
      <main className="main" id="main">
        <Screen view={view} />
      </main>
      <IntakeDialog />
      <FolderBrowserDialog />
      <ItemDetailsDialog />
    </div>
  );
}
