/**
 * Files and folders dropped anywhere on the window. In Electron the drop gives their paths (through the
 * bridge's `pathsForDroppedFiles`). A browser hides paths, so there the overlay does not invite a drop: it refuses
 * it (the pointer says so too) and says what to do instead.
 */
import { useEffect, useState } from 'react';
import { actions } from '../store/index.ts';

export type DroppedPaths = (files: readonly File[]) => string[];

/** The overlay shown while something is dragged over the window; `pathsFor` is absent when drops carry no paths. */
export function DropZone({ pathsFor }: { pathsFor: DroppedPaths | null }) {
  const [over, setOver] = useState(false);
  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent): boolean => Array.from(e.dataTransfer?.types ?? []).includes('Files');
    const onEnter = (e: DragEvent): void => {
      if (!hasFiles(e)) return;
      depth += 1;
      setOver(true);
    };
    const onLeave = (e: DragEvent): void => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const onOver = (e: DragEvent): void => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (!pathsFor && e.dataTransfer) e.dataTransfer.dropEffect = 'none';
    };
    const onDrop = (e: DragEvent): void => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setOver(false);
      const files = Array.from(e.dataTransfer?.files ?? []);
      const paths = pathsFor ? pathsFor(files).filter(Boolean) : [];
      if (paths.length) actions().openIntake(paths);
      else {
        // The overlay already said a drop cannot work here: go straight to what does.
        actions().openIntake();
        void actions().openBrowser(null);
      }
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('dragover', onOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('drop', onDrop);
    };
  }, [pathsFor]);
  if (!over) return null;
  if (!pathsFor) {
    return (
      <div className="drop-overlay refused" role="status" data-testid="drop-overlay">
        <div className="drop-box">
          <strong>Dropping does not work in a browser</strong>
          <span>
            A browser does not tell the app where dropped files are. Let go, then use <b>Add files…</b> to
            choose them from the host&apos;s folders.
          </span>
        </div>
      </div>
    );
  }
  return (
    <div className="drop-overlay" aria-hidden="true" data-testid="drop-overlay">
      <div className="drop-box">Drop files or folders to add them</div>
    </div>
  );
}
