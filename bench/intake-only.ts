/**
 * Intake without upload, for scenario Q when the CLI offers no such mode: the engine's own walk
 * (main/uploads/intake/walk-off-thread.ts, in its worker thread as the upload command's) feeding the engine's own journal (main/uploads/journal/journal.ts), chunk by chunk, as
 * the upload command's intake does (UploadService.addPaths: 500-file slices into insertFiles), in a fresh state
 * dir. Nothing is sent anywhere.
 *
 * Usage: node bench/intake-only.ts --state-dir DIR --workflow ID <paths...>
 * Prints `{ "queued": N, "skipped": N }`.
 */
import { parseArgs } from 'node:util';
import { walkPathsOffThread } from '../main/uploads/intake/walk-off-thread.ts';
import { openJournal } from '../main/uploads/journal/journal.ts';
import { journalPathIn, resolveStateDir } from '../main/uploads/journal/state-dir.ts';
import { insertFiles } from '../main/uploads/journal/items.ts';
import { addWalkSkipped, ensureTarget, openRun } from '../main/uploads/journal/targets.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'state-dir': { type: 'string' }, workflow: { type: 'string' } },
});
if (!values['state-dir'] || !values.workflow || positionals.length === 0) {
  process.stderr.write('usage: intake-only.ts --state-dir DIR --workflow ID <paths...>\n');
  process.exit(2);
}
const journal = openJournal(journalPathIn(resolveStateDir(values['state-dir'])));
try {
  const run = openRun(journal, `bench-intake:${positionals.join('\n')}`);
  const target = ensureTarget(journal, values.workflow, { newBatchName: 'bench intake', enabled: false });
  let queued = 0;
  let skipped = 0;
  for await (const chunk of walkPathsOffThread(positionals, { onSkip: () => skipped++ })) {
    const outcome = insertFiles(
      journal,
      run.id,
      target,
      chunk.map((file) => ({
        path: file.path,
        name: file.relativePath,
        size: file.size,
        mtimeMs: file.mtimeMs,
      })),
      false,
    );
    queued += outcome.queued;
  }
  addWalkSkipped(journal, run.id, skipped);
  process.stdout.write(`${JSON.stringify({ queued, skipped })}\n`);
} finally {
  journal.close();
}
