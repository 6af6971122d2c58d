/**
 * The plan of a scan: what queuing it would do, for the add dialog. The scan walked and classified every file
 * once; the plan is added up from what it found (tallyPlan, the computation behind the CLI's dry run), so choosing
 * another workflow, the record limit or the identical-content option reads no file again.
 */
import type { ScanPlanArgs, ScanSummary } from '../../common/api.ts';
import type { UploadPlan } from '../../common/upload-plan.ts';
import { md5ForIntake } from '../uploads/steps/probe-step.ts';
import { tallyPlan } from '../uploads/intake/upload-plan.ts';
import type { PlannedFile } from '../uploads/intake/upload-plan.ts';
import type { ScannedFile, Scan } from './scans.ts';

/** Files hashed at once while comparing contents. */
const HASH_CONCURRENCY = 4;
/** Paths the dialog can list per reason (the count covers all of them). */
const LISTED_PER_REASON = 100;
/** Sets of identical files the dialog can list (the plan counts all of them). */
const LISTED_SETS = 100;

/**
 * Hashes the files that share their size with another (only those can share their content; a scan of distinct
 * sizes reads nothing more), counting them in the summary's `compared` as it goes.
 */
export async function hashSameSizes(
  files: ScannedFile[],
  summary: ScanSummary,
  signal: AbortSignal,
  report: () => void,
): Promise<void> {
  const sizes = new Map<number, number>();
  for (const file of files) sizes.set(file.size, (sizes.get(file.size) ?? 0) + 1);
  const due = files.filter((file) => (sizes.get(file.size) ?? 0) > 1);
  summary.compared = { files: due.length, done: 0 };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < due.length && !signal.aborted) {
      const file = due[next++] as ScannedFile;
      try {
        file.md5 = (await md5ForIntake(file.path, file.size)).md5;
      } catch {
        // Unreadable now: its upload says so when it checks the file; it is compared with nothing here.
      }
      summary.compared.done++;
      report();
    }
  };
  await Promise.all(Array.from({ length: HASH_CONCURRENCY }, worker));
}

/** What the dialog shows before queuing: the plan, where its records go, and how many identical sets there are. */
interface ScanPlanResult {
  plan: UploadPlan;
  /** Sets of identical files in all (the plan lists the largest LISTED_SETS). */
  identicalSets: number;
}

/**
 * The files of the scan that queuing with "each content once" skips, each with the file of its content that is
 * uploaded: exactly those the plan counts as identical content (the first of a content in walk order is kept).
 */
export function identicalCopies(
  scan: Pick<Scan, 'files' | 'skipped'>,
  args: ScanPlanArgs,
): Map<string, string> {
  const copies = new Map<string, string>();
  if (args.skipDuplicateContent) planOfScan(scan, args, (path, twin) => copies.set(path, twin));
  return copies;
}

/** The plan of queuing the scan into the chosen workflow with the chosen options. */
export function planOfScan(
  scan: Pick<Scan, 'files' | 'skipped'>,
  args: ScanPlanArgs,
  onIdentical?: (path: string, twin: string) => void,
): ScanPlanResult {
  const workflowId = args.target.workflowId;
  const walkSkips = scan.skipped.filter((skip) => skip.walk);
  function* planned(): Generator<PlannedFile> {
    // Queuing inserts the files the scan took first, then lists those it could not take as skipped.
    for (const file of scan.files) {
      const at = { path: file.path, size: file.size };
      if (!args.reupload && file.uploadedTo.includes(workflowId))
        yield { ...at, outcome: 'already uploaded' };
      else yield { ...at, outcome: 'probed', mediaKind: file.kind, md5: file.md5 };
    }
    for (const skip of scan.skipped)
      if (!skip.walk) yield { path: skip.path, size: skip.size, outcome: 'skipped', reason: skip.reason };
  }
  const plan = tallyPlan(walkSkips, planned(), {
    skipDuplicateContent: args.skipDuplicateContent ?? false,
    maxRecords: args.maxRecords ?? null,
    examples: LISTED_PER_REASON,
    ...(onIdentical ? { onIdentical } : {}),
  });
  const identicalSets = plan.identical.length;
  plan.identical = plan.identical
    .slice(0, LISTED_SETS)
    .map((set) => ({ ...set, paths: set.paths.slice(0, LISTED_PER_REASON) }));
  return { plan, identicalSets };
}
