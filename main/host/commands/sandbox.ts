/**
 * `sandbox`: runs the local Alegion API (see sandbox/README.md) until killed, after printing its address and the
 * credentials it accepts (sandbox credentials, not secrets of any real account).
 */
import { Option } from 'commander';
import type { Command } from 'commander';
import { DEFAULT_OPTIONS, NO_FAULTS, SANDBOX_WORKFLOWS, startSandbox } from '../../../sandbox/server.ts';
import { CliError, EXIT_USAGE } from '../cli-support.ts';

interface SandboxFlags {
  port: string;
  apiKey: string;
  username: string;
  password: string;
  tokenTtl: string;
  signedUrlTtl: string;
  downloadUrlTtl: string;
  taskSeconds: string;
  exceptionRate: string;
  cancelRate: string;
  unresolvedExceptionRate: string;
  seed?: string;
  dataDir?: string;
  labelers: boolean;
  bandwidthMbps: string;
  putCutRate: string;
  putCutAfterBytes: string;
  downloadCutRate: string;
  downloadCutAfterBytes: string;
  errorRate: string;
  rateLimitRate: string;
  retryAfterSeconds: string;
  latencyMs: string;
  offline: boolean;
}

function number(flag: string, raw: string, { integer = false, max = Number.POSITIVE_INFINITY } = {}): number {
  const value = Number(raw);
  if (
    raw.trim() === '' ||
    !Number.isFinite(value) ||
    value < 0 ||
    value > max ||
    (integer && !Number.isInteger(value))
  ) {
    const kind = integer ? 'a whole number' : 'a number';
    const range = max === Number.POSITIVE_INFINITY ? '>= 0' : `between 0 and ${max}`;
    throw new CliError(`--${flag} must be ${kind} ${range}, got "${raw}"`, EXIT_USAGE);
  }
  return value;
}

const share = (flag: string, raw: string): number => number(flag, raw, { max: 1 });
const whole = (flag: string, raw: string): number => number(flag, raw, { integer: true });

/** Registers the `sandbox` command. */
export function registerSandboxCommand(program: Command): void {
  const d = DEFAULT_OPTIONS;
  const f = NO_FAULTS;
  program
    .command('sandbox')
    .description('Run the local Alegion sandbox API (127.0.0.1 only) until killed')
    .option('--port <port>', 'listen port (0 = pick a free port)', String(d.port))
    .option('--api-key <key>', 'the accepted x-api-key', d.apiKey)
    .option('--username <name>', 'the accepted username', d.username)
    .option('--password <password>', 'the accepted password', d.password)
    .option('--token-ttl <seconds>', 'seconds an access token lives', String(d.tokenTtl))
    .option('--signed-url-ttl <seconds>', 'seconds an upload URL lives', String(d.signedUrlTtl))
    .option('--download-url-ttl <seconds>', 'seconds an export download URL lives', String(d.downloadUrlTtl))
    .option(
      '--task-seconds <seconds>',
      'seconds a simulated labeler takes per task (0 = immediately)',
      String(d.taskSeconds),
    )
    .option('--exception-rate <share>', 'share of tasks that end in exception', String(d.exceptionRate))
    .option(
      '--cancel-rate <share>',
      'share of exceptions that are canceled (the rest restart)',
      String(d.cancelRate),
    )
    .option(
      '--unresolved-exception-rate <share>',
      'share of exceptions never resolved (they stay in exception, with no result)',
      String(d.unresolvedExceptionRate),
    )
    .option('--seed <n>', 'makes the labelers and fault decisions reproducible (default: random)')
    .option('--data-dir <dir>', 'where uploaded files and exports are stored (default: a temp dir)')
    .option('--no-labelers', 'no simulated labelers: records stay queued')
    .option(
      '--bandwidth-mbps <n>',
      'megabits per second each way, shared by all connections (0 = no cap)',
      String(d.bandwidthMbps),
    )
    .addOption(
      new Option('--put-cut-rate <share>', 'share of upload PUTs cut off').default(String(f.putCutRate)),
    )
    .addOption(
      new Option('--put-cut-after-bytes <n>', 'bytes a cut PUT receives').default(String(f.putCutAfterBytes)),
    )
    .addOption(
      new Option('--download-cut-rate <share>', 'share of export downloads cut off').default(
        String(f.downloadCutRate),
      ),
    )
    .addOption(
      new Option('--download-cut-after-bytes <n>', 'bytes a cut download sends').default(
        String(f.downloadCutAfterBytes),
      ),
    )
    .addOption(
      new Option('--error-rate <share>', 'share of API requests answered 500/503').default(
        String(f.errorRate),
      ),
    )
    .addOption(
      new Option('--rate-limit-rate <share>', 'share of API requests answered 429').default(
        String(f.rateLimitRate),
      ),
    )
    .addOption(
      new Option('--retry-after-seconds <n>', 'Retry-After of a 429').default(String(f.retryAfterSeconds)),
    )
    .addOption(
      new Option('--latency-ms <ms>', 'milliseconds added to every request').default(String(f.latencyMs)),
    )
    .addOption(
      new Option('--offline', 'start with every connection refused (switch off via POST /__sandbox/faults)'),
    )
    .action(async (flags: SandboxFlags) => {
      const sandbox = await startSandbox({
        port: whole('port', flags.port),
        apiKey: flags.apiKey,
        username: flags.username,
        password: flags.password,
        tokenTtl: number('token-ttl', flags.tokenTtl),
        signedUrlTtl: number('signed-url-ttl', flags.signedUrlTtl),
        downloadUrlTtl: number('download-url-ttl', flags.downloadUrlTtl),
        taskSeconds: number('task-seconds', flags.taskSeconds),
        exceptionRate: share('exception-rate', flags.exceptionRate),
        cancelRate: share('cancel-rate', flags.cancelRate),
        unresolvedExceptionRate: share('unresolved-exception-rate', flags.unresolvedExceptionRate),
        seed: flags.seed === undefined ? undefined : whole('seed', flags.seed),
        dataDir: flags.dataDir,
        labelers: flags.labelers,
        bandwidthMbps: number('bandwidth-mbps', flags.bandwidthMbps),
        faults: {
          putCutRate: share('put-cut-rate', flags.putCutRate),
          putCutAfterBytes: whole('put-cut-after-bytes', flags.putCutAfterBytes),
          downloadCutRate: share('download-cut-rate', flags.downloadCutRate),
          downloadCutAfterBytes: whole('download-cut-after-bytes', flags.downloadCutAfterBytes),
          errorRate: share('error-rate', flags.errorRate),
          rateLimitRate: share('rate-limit-rate', flags.rateLimitRate),
          retryAfterSeconds: whole('retry-after-seconds', flags.retryAfterSeconds),
          latencyMs: whole('latency-ms', flags.latencyMs),
          offline: flags.offline === true,
        },
      }).catch((error: unknown) => {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') {
          throw new CliError(`port ${flags.port} is in use; pick another with --port (0 = any free port)`);
        }
        throw error;
      });
      const o = sandbox.options;
      process.stdout.write(
        [
          `Alegion sandbox listening on ${sandbox.baseUrl}`,
          `  api key:   ${o.apiKey}`,
          `  username:  ${o.username}`,
          `  password:  ${o.password}`,
          `  workflows: image ${SANDBOX_WORKFLOWS.image}`,
          `             video ${SANDBOX_WORKFLOWS.video}`,
          `             text  ${SANDBOX_WORKFLOWS.text}`,
          `             records ${SANDBOX_WORKFLOWS.records}`,
          `  data dir:  ${o.dataDir ?? 'a temporary directory (removed on exit)'}`,
          'Press Ctrl+C to stop.',
          '',
        ].join('\n'),
      );
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void sandbox.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
