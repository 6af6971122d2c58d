/**
 * What kind of files a workflow takes, as far as the app can tell: the API does not say, so it is inferred from
 * what this app sent to the workflow before (its journal), else from the workflow's name and description. The add
 * dialog uses it to start on the workflow that fits the files chosen, to say what it inferred, and to warn before
 * files go to a workflow that never took their kind.
 */
import type { MediaKind } from '../common/alegion.ts';
import type { ScanSummary, WorkflowUse, WorkflowView } from '../common/api.ts';
import { plural } from './format.ts';

type WorkflowKind = MediaKind | 'records';

interface KindGuess {
  kind: WorkflowKind | null;
  /** Where the guess comes from: the platform, what was sent before, or the name and description. */
  source: 'platform' | 'history' | 'name' | null;
  /** Items sent to the workflow before, of every kind. */
  sent: number;
}

const KIND_WORDS: readonly [WorkflowKind, RegExp][] = [
  ['video', /\b(video|videos|clip|clips|footage|tracking|frames?)\b/i],
  ['image', /\b(image|images|photo|photos|picture|pictures|bounding box|boxes|segmentation)\b/i],
  ['text', /\b(text|document|documents|ner|entity|entities|transcript)\b/i],
  ['records', /\b(records?|json|survey|question)\b/i],
];

const NOUNS: Record<WorkflowKind, [string, string]> = {
  image: ['image', 'images'],
  video: ['video', 'videos'],
  text: ['document', 'documents'],
  records: ['record', 'records'],
};

/** "images", "videos", "documents", "records". */
function kindNoun(kind: WorkflowKind, count = 2): string {
  return NOUNS[kind][count === 1 ? 0 : 1];
}

function takenKind(taken: WorkflowUse['taken']): WorkflowKind | null {
  const ranked = (Object.entries(taken) as [keyof WorkflowUse['taken'], number][])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  const top = ranked[0]?.[0];
  if (!top) return null;
  return top === 'record' ? 'records' : top;
}

function sentCount(use: WorkflowUse | undefined): number {
  if (!use) return 0;
  return use.taken.image + use.taken.video + use.taken.text + use.taken.record;
}

/** The kind a workflow takes: the platform's word, else what it took before, else a hint in its name. */
export function guessKind(workflow: WorkflowView, use: WorkflowUse | undefined): KindGuess {
  const sent = sentCount(use);
  if (workflow.kind) return { kind: workflow.kind, source: 'platform', sent };
  const taken = use ? takenKind(use.taken) : null;
  if (taken) return { kind: taken, source: 'history', sent };
  const text = `${workflow.name} ${workflow.description ?? ''}`;
  // The name speaks first: a description may mention other kinds in passing.
  for (const source of [workflow.name, text]) {
    const found = KIND_WORDS.find(([, words]) => words.test(source));
    if (found) return { kind: found[0], source: 'name', sent };
  }
  return { kind: null, source: null, sent };
}

/** The kind of most of the scan's files (null for an empty scan). */
function mainKind(scan: ScanSummary): MediaKind | null {
  const ranked = (Object.keys(scan.byKind) as MediaKind[])
    .filter((k) => scan.byKind[k].files > 0)
    .sort((a, b) => scan.byKind[b].files - scan.byKind[a].files);
  return ranked[0] ?? null;
}

/**
 * The workflow a scan starts on: the one of the batch being looked at; else one that took the scan's main kind
 * before (the last used first); else one whose name says that kind; else the last one used that is not known to
 * take another kind; else the first that is not known to take something else.
 */
export function suggestWorkflow(
  workflows: readonly WorkflowView[],
  uses: readonly WorkflowUse[],
  scan: ScanSummary,
  open: string | null,
): string {
  if (open && workflows.some((w) => w.id === open)) return open;
  const useOf = new Map(uses.map((u) => [u.workflowId, u]));
  const kind = mainKind(scan);
  const guessed = workflows.map((w) => ({ w, guess: guessKind(w, useOf.get(w.id)), use: useOf.get(w.id) }));
  const lastUsed = (a: (typeof guessed)[number], b: (typeof guessed)[number]): number =>
    (b.use?.lastAddedAt ?? '').localeCompare(a.use?.lastAddedAt ?? '');
  const rank = { platform: 0, history: 1, name: 2 } as const;
  const fitting = guessed
    .filter((g) => kind !== null && g.guess.kind === kind && g.guess.source !== null)
    .sort((a, b) => rank[a.guess.source ?? 'name'] - rank[b.guess.source ?? 'name'] || lastUsed(a, b));
  if (fitting[0]) return fitting[0].w.id;
  const unknown = guessed.filter((g) => g.guess.kind === null);
  const recent = [...unknown].filter((g) => g.use?.lastAddedAt).sort(lastUsed)[0];
  return recent?.w.id ?? unknown[0]?.w.id ?? workflows[0]?.id ?? '';
}

/** What the dialog says about the chosen workflow's kind, under its menu. */
export function kindNote(guess: KindGuess): string {
  if (!guess.kind) return 'Kind of files not known yet: nothing was sent to this workflow from this app.';
  const noun = kindNoun(guess.kind);
  if (guess.source === 'platform') return `Takes ${noun}.`;
  if (guess.source === 'history') return `Takes ${noun}: ${plural(guess.sent, 'item')} sent to it before.`;
  return `Takes ${noun}, judging by its name; nothing was sent to it from this app yet.`;
}

/**
 * A warning before queuing files of a kind the workflow never took (or, with no history, that its name does not
 * suggest); null when the files fit.
 */
export function kindWarning(
  workflow: WorkflowView,
  guess: KindGuess,
  use: WorkflowUse | undefined,
  scan: ScanSummary,
): string | null {
  const kinds = (Object.keys(scan.byKind) as MediaKind[]).filter((k) => scan.byKind[k].files > 0);
  if (guess.kind === 'records') {
    const files = plural(scan.files, 'file');
    return `${workflow.name} looks like a workflow of records, which takes no files: the ${files} may be rejected.`;
  }
  const strange =
    guess.source === 'history' && use
      ? kinds.filter((k) => use.taken[k] === 0)
      : guess.kind
        ? kinds.filter((k) => k !== guess.kind)
        : [];
  if (strange.length === 0 || !guess.kind) return null;
  const what = strange
    .map((k) => `${scan.byKind[k].files} ${kindNoun(k, scan.byKind[k].files)}`)
    .join(' and ');
  const before =
    guess.source === 'history'
      ? `has only taken ${kindNoun(guess.kind)} before`
      : `seems to take ${kindNoun(guess.kind)}`;
  return `${workflow.name} ${before}: check that it should get the ${what}.`;
}
