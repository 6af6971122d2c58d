/**
 * The queue's context menu (right click, the Menu key or Shift+F10 on a row): Retry, Pause, Cancel, Show in
 * folder (in the desktop app, which has the system's file manager), Copy path and Copy asset id, for the selected rows when the row is one of them, else for that row. Arrow keys move
 * between its items, Escape closes it and gives the focus back to the row.
 */
import { useEffect, useRef } from 'react';
import type { KeyboardEvent } from 'react';
import type { QueueItemView } from '../../common/api.ts';
import { plural } from '../format.ts';
import { actions, useApp } from '../store/index.ts';

export interface ContextMenuAt {
  x: number;
  y: number;
  item: QueueItemView;
  /** The ids acted on: the selection when the row is in it, else the row. */
  ids: number[];
  /** Where the focus goes back to. */
  returnTo: HTMLElement | null;
}

async function copy(text: string, what: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    actions().pushNotice('info', `Copied ${what}.`);
  } catch {
    actions().pushNotice('error', `The ${what} could not be copied: the clipboard refused.`);
  }
}

export function QueueContextMenu({ at, onClose }: { at: ContextMenuAt; onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const native = useApp((s) => s.hostInfo?.nativeDialogs ?? false);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('[role="menuitem"]:not([disabled])')?.focus();
    const away = (e: MouseEvent): void => {
      if (!ref.current?.contains(e.target as Node)) onClose();
    };
    window.addEventListener('mousedown', away);
    return () => window.removeEventListener('mousedown', away);
  }, [onClose]);
  const many = at.ids.length > 1;
  const files = many ? plural(at.ids.length, 'file') : at.item.name;
  const run = (fn: () => unknown) => () => {
    onClose();
    at.returnTo?.focus();
    void fn();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const items = [
      ...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([disabled])') ?? []),
    ];
    const index = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'Escape' || e.key === 'Tab') {
      e.preventDefault();
      onClose();
      at.returnTo?.focus();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      items[(index + step + items.length) % items.length]?.focus();
    }
  };
  // Kept inside the window: a menu opened near the right or bottom edge opens to the left or upwards.
  const style = {
    left: Math.min(at.x, window.innerWidth - 230),
    top: Math.min(at.y, window.innerHeight - 220),
  };
  return (
    <div
      ref={ref}
      className="context-menu"
      role="menu"
      aria-label={`Actions for ${files}`}
      style={style}
      onKeyDown={onKeyDown}
    >
      <button type="button" role="menuitem" onClick={run(() => actions().queueCommand('retry', at.ids))}>
        Retry {many ? files : ''}
      </button>
      <button type="button" role="menuitem" onClick={run(() => actions().queueCommand('pause', at.ids))}>
        Pause {many ? files : ''}
      </button>
      <button type="button" role="menuitem" onClick={run(() => actions().queueCommand('cancel', at.ids))}>
        Cancel {many ? files : ''}
      </button>
      <hr />
      {native && (
        <button type="button" role="menuitem" onClick={run(() => actions().showInFolder(at.item.path))}>
          Show in folder
        </button>
      )}
      <button type="button" role="menuitem" onClick={run(() => copy(at.item.path, 'the path'))}>
        Copy path
      </button>
      <button
        type="button"
        role="menuitem"
        disabled={!at.item.assetId}
        onClick={run(() => copy(at.item.assetId ?? '', 'the asset id'))}
      >
        Copy asset id{at.item.assetId ? '' : ' (not uploaded yet)'}
      </button>
    </div>
  );
}
