/** What `upload --dry-run` prints: the plan in plain lines, or as one JSON object. */
import type { UploadPlan } from '../../../common/upload-plan.ts';
import { formatBytes } from '../../../common/byte-size.ts';
import { jsonText, writeLines } from '../terminal-text.ts';

interface PlanReport {
  plan: UploadPlan;
  batch: { id: string | null; newName: string | null };
}

const files = (n: number): string => `${n} ${n === 1 ? 'file' : 'files'}`;

/** The plan as lines a person reads. */
function planLines({ plan, batch }: PlanReport): string[] {
  const lines = [`dry run: nothing is registered, uploaded or created`];
  const where = batch.id
    ? `batch ${batch.id}${batch.newName ? ` ("${batch.newName}", made by an earlier run)` : ''}`
    : `a new batch "${batch.newName ?? ''}" (created when the upload runs)`;
  lines.push(`found ${files(plan.found.files)}, ${formatBytes(plan.found.bytes)}`);
  if (plan.otherShards > 0) lines.push(`${files(plan.otherShards)} belong to other shards`);
  const kinds = Object.entries(plan.toUpload.byKind)
    .map(([kind, tally]) => `${tally.files} ${kind}, ${formatBytes(tally.bytes)}`)
    .join('; ');
  lines.push(
    `would upload ${files(plan.toUpload.files)}, ${formatBytes(plan.toUpload.bytes)}${kinds ? ` (${kinds})` : ''}`,
  );
  lines.push(
    `would create ${plan.recordsToCreate} ${plan.recordsToCreate === 1 ? 'record' : 'records'} in ${where}`,
  );
  for (const group of plan.skipped)
    lines.push(
      `would skip ${files(group.files)}: ${group.reason} (${group.examples.join(', ')}${group.files > group.examples.length ? ', …' : ''})`,
    );
  for (const group of plan.failing)
    lines.push(
      `would fail ${files(group.files)}: ${group.reason} (${group.examples.join(', ')}${group.files > group.examples.length ? ', …' : ''})`,
    );
  const copies = plan.identical.reduce((sum, set) => sum + set.paths.length - 1, 0);
  if (copies > 0) {
    lines.push(
      `${files(copies)} have the same content as another file of this upload (--skip-duplicate-content uploads each content once):`,
    );
    for (const set of plan.identical.slice(0, 5)) lines.push(`  ${set.paths.join(' = ')}`);
    if (plan.identical.length > 5) lines.push(`  and ${plan.identical.length - 5} more sets`);
  }
  return lines;
}

/** Prints the plan on stdout. */
export function printPlan(report: PlanReport, json: boolean): void {
  if (json) process.stdout.write(`${jsonText({ event: 'plan', ...report.plan, batch: report.batch })}\n`);
  else writeLines(process.stdout, planLines(report));
}
