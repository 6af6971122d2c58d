/**
 * The upload queue: totals, banners, filters, search, global controls, and a virtualized list that fetches only
 * the pages of the rows in view (100,000 items scroll like 100).
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { FocusEvent, KeyboardEvent, MouseEvent } from 'react';
import type { QueueSort, StateGroup } from '../../common/api.ts';
import { EmptyState, ErrorState } from '../components/panel-state.tsx';
import { formatCount } from '../format.ts';
import { actions, useApp } from '../store/index.ts';
import { itemAt } from '../store/queue-pages.ts';
import { QueueBanner, QueueTotalsBar } from './queue-totals.tsx';
import { QueueContextMenu } from './queue-context-menu.tsx';
import type { ContextMenuAt } from './queue-context-menu.tsx';
import { QueueRow } from './queue-row.tsx';
import { SelectionBar } from './selection-bar.tsx';
import { TransfersPanel } from './transfers-panel.tsx';

const ROW_HEIGHT = 44;
const GROUPS: { group: StateGroup; label: string }[] = [
  { group: 'active', label: 'Uploading' },
  { group: 'waiting', label: 'Waiting' },
  { group: 'done', label: 'Done' },
  { group: 'failed', label: 'Failed' },
  { group: 'paused', label: 'Paused' },
  { group: 'canceled', label: 'Canceled' },
  { group: 'skipped', label: 'Skipped' },
];

/** A chip's count; the hidden comma makes screen readers say "Done, 12" rather than "Done12". */
function ChipCount({ n }: { n: number | undefined }) {
  if (n === undefined) return null;
  return (
    <>
      <span className="visually-hidden">, </span>
      <span className="chip-count">{formatCount(n)}</span>
    </>
  );
}

function FilterChips() {
  const groups = useApp((s) => s.queueGroups);
  const files = useApp((s) => s.totals?.files);
  // Offline or blocked, the files caught mid-upload are not uploading: the rows say "On hold", and so does this.
  const held = useApp((s) => s.totals?.mode === 'offline' || s.totals?.mode === 'blocked');
  const toggle = (g: StateGroup | null): void =>
    actions().setQueueGroups(g === null ? [] : groups.length === 1 && groups[0] === g ? [] : [g]);
  return (
    <div className="chips" role="group" aria-label="Show">
      <button type="button" className="chip" aria-pressed={groups.length === 0} onClick={() => toggle(null)}>
        All
        <ChipCount n={files?.total} />
      </button>
      {GROUPS.map(({ group, label }) => {
        const text = group === 'active' && held ? 'On hold' : label;
        return (
          <button
            key={group}
            type="button"
            className="chip"
            aria-pressed={groups.includes(group)}
            onClick={() => toggle(group)}
          >
            {text}
            <ChipCount n={files?.[group]} />
          </button>
        );
      })}
    </div>
  );
}

function SearchBox() {
  const [text, setText] = useState(() => actions().queueSearch);
  useEffect(() => {
    const timer = setTimeout(() => actions().setQueueSearch(text), 250);
    return () => clearTimeout(timer);
  }, [text]);
  return (
    <input
      type="search"
      aria-label="Search by file name"
      placeholder="Search by name"
      value={text}
      onChange={(e) => setText(e.target.value)}
      className="queue-search"
    />
  );
}

function GlobalControls() {
  const files = useApp((s) => s.totals?.files);
  const mode = useApp((s) => s.totals?.mode);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const pending = files ? files.waiting + files.active : 0;
  const finished = files ? files.done + files.skipped + files.canceled : 0;
  return (
    <div className="row wrap" role="group" aria-label="All uploads">
      {mode === 'paused' ? (
        <button type="button" className="primary" onClick={() => void actions().queueCommand('resume')}>
          Resume all
        </button>
      ) : (
        <button type="button" onClick={() => void actions().queueCommand('pause')} disabled={pending === 0}>
          Pause all
        </button>
      )}
      {/* Files paused one by one, while the rest runs. */}
      {mode !== 'paused' && (files?.paused ?? 0) > 0 && (
        <button type="button" onClick={() => void actions().queueCommand('resume')}>
          Resume all
        </button>
      )}
      <button type="button" onClick={() => void actions().queueCommand('retry')} disabled={!files?.failed}>
        Retry failed{files?.failed ? ` (${formatCount(files.failed)})` : ''}
      </button>
      {confirmCancel ? (
        <>
          <button
            type="button"
            className="danger"
            onClick={() => {
              setConfirmCancel(false);
              void actions().queueCommand('cancel');
            }}
          >
            Confirm: cancel {formatCount(pending + (files?.paused ?? 0))}
          </button>
          <button type="button" className="ghost" onClick={() => setConfirmCancel(false)}>
            Keep
          </button>
        </>
      ) : (
        <button
          type="button"
          className="danger"
          onClick={() => setConfirmCancel(true)}
          disabled={pending + (files?.paused ?? 0) === 0}
        >
          Cancel all
        </button>
      )}
      <button
        type="button"
        onClick={() => void actions().clearFinished()}
        disabled={finished === 0}
        title="Takes the adds with nothing left to do out of the list"
      >
        Clear finished
      </button>
    </div>
  );
}

/** A column header that sorts the list: aria-sort says how it is sorted now. */
function SortHeader({ column, label }: { column: QueueSort; label: string }) {
  const sort = useApp((s) => s.queueSort);
  const current = sort.column === column;
  const direction = sort.descending ? 'descending' : 'ascending';
  return (
    <div role="columnheader" aria-sort={current ? direction : 'none'}>
      <button type="button" className="sort-button" onClick={() => actions().sortQueue(column)}>
        {label}
        <span aria-hidden="true" className="sort-mark">
          {current ? (sort.descending ? ' ▼' : ' ▲') : ''}
        </span>
      </button>
    </div>
  );
}

/** The row index and item under an event's target, when the target is a row and not one of its controls. */
function rowOf(target: EventTarget): { index: number; row: HTMLElement } | null {
  const element = target as HTMLElement;
  if (element.closest('button, a, input')) return null;
  const row = element.closest<HTMLElement>('[data-index]');
  if (!row) return null;
  const index = Number(row.dataset.index);
  return Number.isInteger(index) ? { index, row } : null;
}

function QueueList() {
  const total = useApp((s) => s.queueTotal);
  const status = useApp((s) => s.queueStatus);
  const error = useApp((s) => s.queueError);
  const filtered = useApp((s) => s.queueGroups.length > 0 || s.queueSearch.trim() !== '');
  const scrollRef = useRef<HTMLDivElement>(null);
  const [focusIndex, setFocusIndex] = useState(0);
  const [menu, setMenu] = useState<ContextMenuAt | null>(null);
  const openMenu = (index: number, row: HTMLElement, x: number, y: number): void => {
    const item = itemAt(actions().queuePages, index);
    if (!item) return;
    if (!actions().selectedIds.includes(item.id)) actions().selectRow(index, { shift: false, toggle: false });
    setMenu({ x, y, item, ids: actions().selectedIds, returnTo: row });
  };
  const onClick = (e: MouseEvent<HTMLDivElement>): void => {
    const hit = rowOf(e.target);
    if (hit) actions().selectRow(hit.index, { shift: e.shiftKey, toggle: e.ctrlKey || e.metaKey });
  };
  const onContextMenu = (e: MouseEvent<HTMLDivElement>): void => {
    const row = (e.target as HTMLElement).closest<HTMLElement>('[data-index]');
    if (!row) return;
    e.preventDefault();
    openMenu(Number(row.dataset.index), row, e.clientX, e.clientY);
  };
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is the documented way
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 4,
    useFlushSync: false,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 30;
  useEffect(() => {
    actions().setQueueRange(first, Math.max(first, last));
  }, [first, last]);

  // The row holding the list's tab stop may have scrolled away (and out of the DOM): then the list itself is the
  // tab stop, and focusing it hands focus to the first row in view.
  const focusRendered = items.some((v) => v.index === focusIndex);
  // A row far away (Home, End, Page Down) is rendered only once the list has scrolled there: the focus waits for
  // it, on the list itself meanwhile, so it never falls to the page when the row it was on leaves the DOM.
  const pendingFocus = useRef<number | null>(null);
  const focusRow = (index: number): void => {
    setFocusIndex(index);
    pendingFocus.current = index;
    const list = scrollRef.current;
    if (list && !list.querySelector(`[data-index="${index}"]`)) list.focus({ preventScroll: true });
  };
  useLayoutEffect(() => {
    const index = pendingFocus.current;
    if (index === null) return;
    const row = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${index}"]`);
    if (!row) return;
    pendingFocus.current = null;
    row.focus({ preventScroll: true });
  });
  const onFocus = (e: FocusEvent<HTMLDivElement>): void => {
    if (e.target === scrollRef.current) {
      if (pendingFocus.current === null && !focusRendered && items.length > 0) focusRow(first);
      return;
    }
    // Clicking or tabbing into a row (or one of its buttons) makes it the list's tab stop.
    const row = (e.target as HTMLElement).closest<HTMLElement>('[data-index]');
    const index = row ? Number(row.dataset.index) : NaN;
    if (Number.isInteger(index) && index !== focusIndex) setFocusIndex(index);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const onRow = (e.target as HTMLElement).dataset.index !== undefined;
    if (onRow && (e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey))) {
      e.preventDefault();
      const row = e.target as HTMLElement;
      const box = row.getBoundingClientRect();
      openMenu(Number(row.dataset.index), row, box.left + 40, box.bottom);
      return;
    }
    if (onRow && e.key === ' ') {
      e.preventDefault();
      const index = Number((e.target as HTMLElement).dataset.index);
      actions().selectRow(index, { shift: e.shiftKey, toggle: true });
      return;
    }
    // Enter on a row (not on one of its buttons) opens that file's details.
    if (e.key === 'Enter' && (e.target as HTMLElement).dataset.index !== undefined) {
      const index = Number((e.target as HTMLElement).dataset.index);
      const item = itemAt(actions().queuePages, index);
      if (item) {
        e.preventDefault();
        void actions().openItemDetails(item.id);
      }
      return;
    }
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10 };
    let next: number | null = null;
    if (e.key in moves) next = focusIndex + (moves[e.key] ?? 0);
    if (e.key === 'Home') next = 0;
    if (e.key === 'End') next = total - 1;
    if (next === null || total === 0) return;
    e.preventDefault();
    next = Math.max(0, Math.min(total - 1, next));
    virtualizer.scrollToIndex(next);
    focusRow(next);
  };

  if (status === 'error') {
    return (
      <ErrorState
        title="The queue did not load"
        message={error ?? ''}
        onRetry={() => actions().refreshQueue()}
      />
    );
  }
  const empty = status === 'ready' && total === 0;
  return (
    <div className="queue-list">
      {empty ? (
        filtered ? (
          <EmptyState title="No files match">Change the filter or the search.</EmptyState>
        ) : (
          <EmptyState
            title="Nothing queued yet"
            action={
              <button type="button" className="primary" onClick={() => actions().startAdding()}>
                Add files…
              </button>
            }
          >
            Drop files or folders anywhere on this window, or add them with the button.
          </EmptyState>
        )
      ) : (
        <div role="table" aria-label="Upload queue" aria-rowcount={total + 1} className="queue-table">
          <div className="qhead qgrid" role="row" aria-rowindex={1}>
            <SortHeader column="name" label="File" />
            <div role="columnheader">Type</div>
            <SortHeader column="size" label="Size" />
            <SortHeader column="state" label="State" />
            <div role="columnheader">Speed</div>
            <div role="columnheader">Problem</div>
            <div role="columnheader">
              <span className="visually-hidden">Actions</span>
            </div>
          </div>
          <div
            className="queue-scroll"
            ref={scrollRef}
            onKeyDown={onKeyDown}
            onFocus={onFocus}
            onClick={onClick}
            onContextMenu={onContextMenu}
            tabIndex={focusRendered ? -1 : 0}
            role="rowgroup"
            data-testid="queue-scroll"
          >
            <div role="presentation" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {items.map((v) => (
                <QueueRow key={v.index} index={v.index} top={v.start} focused={v.index === focusIndex} />
              ))}
            </div>
          </div>
        </div>
      )}
      {menu && <QueueContextMenu at={menu} onClose={() => setMenu(null)} />}
    </div>
  );
}

/** The queue screen. */
export function QueueView() {
  useEffect(() => {
    actions().refreshQueue();
    void actions().loadQueueTotals();
  }, []);
  return (
    <>
      {/* "Add files…" lives in the top bar (and in the empty state), not again here. */}
      <div className="view-head">
        <h1>Upload queue</h1>
      </div>
      <QueueBanner />
      <QueueTotalsBar />
      <TransfersPanel />
      <FilterChips />
      <div className="toolbar">
        <GlobalControls />
        <span className="spacer" />
        <SearchBox />
      </div>
      <SelectionBar />
      <QueueList />
    </>
  );
}
