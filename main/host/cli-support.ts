/**
 * What every CLI command shares: connection options and credentials (flags or ALEGION_* variables), exit codes,
 * and error reporting as one clear line (terminal-safe: see terminal-text.ts). Secrets are read, never echoed.
 */
import { CommanderError, Option } from 'commander';
import type { Command } from 'commander';
import { ALEGION_API_URL, isUuid } from '../../common/alegion.ts';
import { createAlegionClient } from '../alegion/index.ts';
import type { ClosableAlegionClient } from '../alegion/index.ts';
import { AlegionError } from '../alegion/index.ts';
import type { AlegionClientOptions } from '../alegion/index.ts';
import { hostNotFoundMessage } from '../uploads/index.ts';
import { isDiskFull } from '../uploads/index.ts';
import { terminalSafe, writeLine, writeLines } from './terminal-text.ts';

/** Exit codes: 0 success, 1 failure, 2 usage error. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A failure the CLI reports as one line (then its details, one indented line each) with the given exit code. */
export class CliError extends Error {
  readonly exitCode: number;
  readonly details: readonly string[];
  constructor(message: string, exitCode = EXIT_FAILURE, details: readonly string[] = []) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.details = details;
  }
}

export interface ConnectionFlags {
  apiUrl?: string;
  apiKey?: string;
  username?: string;
  password?: string;
}

/** Adds --api-url, --api-key, --username and --password (each defaulting to its ALEGION_* variable). */
export function withConnectionOptions(command: Command): Command {
  return command
    .addOption(new Option('--api-url <url>', 'API root (default: $ALEGION_API_URL or the platform)'))
    .addOption(new Option('--api-key <key>', 'API key (default: $ALEGION_API_KEY)'))
    .addOption(new Option('--username <name>', 'login name (default: $ALEGION_USERNAME)'))
    .addOption(new Option('--password <password>', 'password (default: $ALEGION_PASSWORD)'));
}

/** Resolves the connection from flags, then the environment; a missing piece is a usage error naming it. */
export function connectionFrom(
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv = process.env,
): AlegionClientOptions {
  const baseUrl = flags.apiUrl ?? env.ALEGION_API_URL ?? ALEGION_API_URL;
  const apiKey = flags.apiKey ?? env.ALEGION_API_KEY;
  const username = flags.username ?? env.ALEGION_USERNAME;
  const password = flags.password ?? env.ALEGION_PASSWORD;
  const missing = [
    apiKey ? undefined : 'API key (--api-key or ALEGION_API_KEY)',
    username ? undefined : 'username (--username or ALEGION_USERNAME)',
    password ? undefined : 'password (--password or ALEGION_PASSWORD)',
  ].filter((item): item is string => item !== undefined);
  if (missing.length > 0 || !apiKey || !username || !password) {
    throw new CliError(`missing ${missing.join(', ')}`, EXIT_USAGE);
  }
  try {
    new URL(baseUrl);
  } catch {
    throw new CliError(`--api-url "${baseUrl}" is not a URL (expected e.g. ${ALEGION_API_URL})`, EXIT_USAGE);
  }
  return { baseUrl, apiKey, username, password };
}

/** Runs `action` with a client for the resolved connection, freeing its sockets afterwards. */
export async function withClient<T>(
  flags: ConnectionFlags,
  action: (client: ClosableAlegionClient) => Promise<T>,
): Promise<T> {
  const client = createAlegionClient(connectionFrom(flags));
  try {
    return await action(client);
  } finally {
    client.close();
  }
}

/** Checks that a flag holds a UUID, as the API's ids are; anything else is a usage error naming the flag. */
export function requireUuid(value: string, flag: string): string {
  if (!isUuid(value)) throw new CliError(`${flag} "${value}" is not an id (expected a UUID)`, EXIT_USAGE);
  return value;
}

/** Renders rows as a plain-text table with a header row, columns padded to their widest cell. */
export function formatTable(header: readonly string[], rawRows: readonly (readonly string[])[]): string {
  // Cells come from the server (names): made terminal-safe first, so widths are those of what is shown.
  const rows = rawRows.map((row) => row.map(terminalSafe));
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ');
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/**
 * One line for any error: typed client errors and CLI errors by message, anything else without its stack. A host
 * name that does not resolve and a full disk are said as such, whatever layer they surfaced through.
 */
export function describeError(error: unknown): string {
  if (error instanceof CliError) return error.message;
  const hostNotFound = hostNotFoundMessage(error);
  if (hostNotFound) return hostNotFound;
  if (isDiskFull(error)) {
    const path = (error as { path?: unknown }).path;
    const where = typeof path === 'string' ? ` (writing ${path})` : '';
    return `the disk is full${where}: free some space, then run the same command again`;
  }
  if (error instanceof AlegionError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Writes an error as the CLI reports it: `error: ` and its line, then its details, on stderr. */
export function printError(error: unknown): void {
  writeLine(process.stderr, `error: ${describeError(error)}`);
  if (error instanceof CliError)
    writeLines(
      process.stderr,
      error.details.map((line) => `  ${line}`),
    );
}

/**
 * Output settings for commander (usage errors and help): each line made terminal-safe, since an error may quote an
 * argument (a file name given as an option, say).
 */
export const SAFE_COMMANDER_OUTPUT = {
  writeOut: (text: string): void => {
    process.stdout.write(safeLines(text));
  },
  writeErr: (text: string): void => {
    process.stderr.write(safeLines(text));
  },
};

function safeLines(text: string): string {
  return text.split('\n').map(terminalSafe).join('\n');
}

/** Runs the program, mapping errors to one line on stderr and the documented exit codes. */
export async function runCli(program: Command, argv: string[]): Promise<void> {
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version print and exit 0; everything commander rejects is a usage error.
      process.exitCode = error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
      return;
    }
    printError(error);
    process.exitCode = error instanceof CliError ? error.exitCode : EXIT_FAILURE;
  }
}
