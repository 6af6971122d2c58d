/** The application: boot, then the connect screen or the workspace; theme, drops and toasts everywhere. */
import { useEffect } from 'react';
import { ErrorState, LoadingState } from './components/panel-state.tsx';
import { DropZone } from './components/drop-zone.tsx';
import type { DroppedPaths } from './components/drop-zone.tsx';
import { Notices } from './components/notices.tsx';
import { actions, useApp } from './store/index.ts';
import { ConnectView } from './views/connect-view.tsx';
import { Workspace } from './views/workspace.tsx';
import { applyTheme } from './theme.ts';

function useTheme(): void {
  const theme = useApp((s) => s.settings?.theme ?? 'system');
  useEffect(
    () => applyTheme(theme, document.documentElement, window.matchMedia('(prefers-color-scheme: dark)')),
    [theme],
  );
}

/** The root component; `pathsForDrop` turns dropped files into paths where the host can. */
export function App({ pathsForDrop }: { pathsForDrop: DroppedPaths | null }) {
  const bootStatus = useApp((s) => s.bootStatus);
  const bootError = useApp((s) => s.bootError);
  const connected = useApp((s) => s.connection.status === 'connected');
  const hostDropsPaths = useApp((s) => s.hostInfo?.dropGivesPaths ?? false);
  useTheme();
  useEffect(() => {
    if (actions().bootStatus === 'idle') void actions().boot();
  }, []);
  let body;
  if (bootStatus === 'error') {
    body = (
      <main className="first-run">
        <ErrorState
          title="The app could not reach its engine"
          message={bootError ?? ''}
          onRetry={() => void actions().boot()}
        />
      </main>
    );
  } else if (bootStatus !== 'ready') {
    body = (
      <main className="first-run">
        <LoadingState label="Starting…" />
      </main>
    );
  } else body = connected ? <Workspace /> : <ConnectView />;
  return (
    <>
      {body}
      {connected && <DropZone pathsFor={hostDropsPaths ? pathsForDrop : null} />}
      <Notices />
    </>
  );
}
