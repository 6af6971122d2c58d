import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getBridge } from './api.ts';
import { App } from './app.tsx';
import type { DroppedPaths } from './components/drop-zone.tsx';
import { errorMessage } from './format.ts';
import { installStore } from './store/index.ts';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('The page has no #root element.');
try {
  const bridge = getBridge() as ReturnType<typeof getBridge> & { pathsForDroppedFiles?: DroppedPaths };
  installStore(bridge);
  createRoot(container).render(
    <StrictMode>
      <App pathsForDrop={bridge.pathsForDroppedFiles ?? null} />
    </StrictMode>,
  );
} catch (error) {
  container.textContent = errorMessage(error);
}
