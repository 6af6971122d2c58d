/**
 * The `watch` command: watch a folder and upload every file that appears in it (and its subfolders) once the file
 * is complete, until Ctrl+C. It runs the same folder watch as the app, over the same journal: files written while
 * it was not running are picked up when it starts, and each version of a file is uploaded once.
 */
import type { Command } from 'commander';
import { serverKey } from '../../uploads/index.ts';
import { startFolderWatch } from '../../watch/index.ts';
import { serviceWatchQueue } from '../../watch/index.ts';
import { CliError, EXIT_OK, EXIT_USAGE, connectionFrom, withConnectionOptions } from '../cli-support.ts';
import type { ConnectionFlags } from '../cli-support.ts';
import { openUploadService } from './open-upload-service.ts';
import { planFrom } from './upload-flags.ts';

interface WatchFlags extends ConnectionFlags {
  workflow: string;
  batch?: string;
  newBatch?: string;
  enabled?: boolean;
  settle: string;
  reupload?: boolean;
  poll?: boolean;
  stateDir?: string;
  json?: boolean;
}

/** The settle time in milliseconds, from `--settle` in seconds. */
function settleMsFrom(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0.1 || seconds > 3600) {
    throw new CliError(`--settle "${value}" must be a number of seconds from 0.1 to 3600`, EXIT_USAGE);
  }
  return Math.round(seconds * 1000);
}

/** Registers `watch`. */
export function registerWatchCommand(program: Command): void {
  const command = program
    .command('watch')
    .description('Watch a folder and upload each file once it is complete, until Ctrl+C.')
    .argument('<dir>', 'folder to watch (subfolders included)')
    .requiredOption('--workflow <id>', 'workflow to upload into')
    .option('--batch <id>', 'existing batch to add records to')
    .option('--new-batch <name>', 'create this batch (once: a later run finds it again)')
    .option('--enabled', 'create the new batch enabled, so labelers start at once')
    .option('--settle <seconds>', 'a file is complete once unchanged this long', '5')
    .option('--reupload', 'upload a file again when it changes after its upload (default: report it)')
    .option('--poll', 'poll the folder instead of change notifications (network drives)')
    .option('--state-dir <dir>', 'where the upload journal lives (default: the app state folder)')
    .option('--json', 'print NDJSON events instead of lines');
  withConnectionOptions(command).action(async (dir: string, flags: WatchFlags) => {
    process.exitCode = await runWatch(dir, flags);
  });
}

async function runWatch(dir: string, flags: WatchFlags): Promise<number> {
  planFrom([dir], flags); // usage errors first, before credentials are looked for
  const settleMs = settleMsFrom(flags.settle);
  const connection = connectionFrom(flags);
  const { target } = planFrom([dir], flags, serverKey(connection.baseUrl, connection.username));
  const { client, service } = await openUploadService(connection, flags.stateDir);
  const say = (event: Record<string, unknown>, line: string): void => {
    process.stdout.write(flags.json ? `${JSON.stringify(event)}\n` : `${line}\n`);
  };
  service.on('itemsSettled', (items) => {
    for (const item of items) {
      if (item.state === 'done') say({ event: 'uploaded', path: item.path }, `uploaded ${item.path}`);
      else if (item.state === 'failed') {
        say(
          { event: 'failed', path: item.path, reason: item.error },
          `failed ${item.path}: ${item.error ?? ''}`,
        );
      }
    }
  });
  service.on('notice', (notice) => say({ event: 'notice', ...notice }, `${notice.level}: ${notice.message}`));
  service.start();
  const queue = serviceWatchQueue(service, (path, reason) =>
    say({ event: 'skipped', path, reason }, `skipped ${path}: ${reason}`),
  );
  // Offline or a transient error: the pipeline creates the batch once the network is back.
  await queue.resolveBatch(target).catch(() => {});
  const watch = startFolderWatch(
    { folder: dir, target, settleMs, reupload: flags.reupload ?? false, polling: flags.poll ?? false },
    () => queue,
    {
      queued: (count) => say({ event: 'queued', count }, `queued ${count} file${count === 1 ? '' : 's'}`),
      changedAfterUpload: (path) =>
        say(
          { event: 'changed-after-upload', path },
          `changed after its upload, not sent again (use --reupload to send it): ${path}`,
        ),
      error: (message) => say({ event: 'error', message }, `error: ${message}`),
    },
  );
  let stop = (): void => {};
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    await watch.ready;
    say(
      { event: 'watching', folder: dir },
      `watching ${dir} (Ctrl+C stops; what is queued resumes next time)`,
    );
    await stopped;
    return EXIT_OK;
  } finally {
    await watch.close();
    await service.stop();
    client.close();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
