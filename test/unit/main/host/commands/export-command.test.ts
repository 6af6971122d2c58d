import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { CliError, EXIT_USAGE } from '../../../../../main/host/cli-support.ts';
import { registerExportCommand } from '../../../../../main/host/commands/export.ts';

const W = '5f0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a01';

function program(): Command {
  const root = new Command('alegion-uploader').exitOverride();
  root.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  registerExportCommand(root);
  root.commands.forEach((command) => command.exitOverride());
  return root;
}

async function usageError(args: string[]): Promise<CliError> {
  const error = await program()
    .parseAsync(['node', 'cli', 'export', ...args])
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CliError);
  expect((error as CliError).exitCode).toBe(EXIT_USAGE);
  return error as CliError;
}

describe('export command flags', () => {
  it('refuses malformed ids and conflicting filters before connecting', async () => {
    expect((await usageError(['--workflow', 'nope', '--out', '/tmp/x'])).message).toMatch(
      /--workflow "nope" is not an id/,
    );
    // Every --batch is collected and checked, not only the first or the last.
    expect(
      (await usageError(['--workflow', W, '--batch', W, '--batch', 'b', '--batch', W, '--out', '/tmp/x']))
        .message,
    ).toMatch(/--batch "b"/);
    expect(
      (
        await usageError([
          '--workflow',
          W,
          '--since-last',
          '--min-created-at',
          '2026-01-01T00:00:00Z',
          '--out',
          '/tmp/x',
        ])
      ).message,
    ).toMatch(/cannot be used together/);
    expect(
      (await usageError(['--workflow', W, '--format', 'json', '--extract', '--out', '/tmp/x'])).message,
    ).toMatch(/--extract needs --format zip/);
  });

  it('requires --workflow and --out, and knows only zip and json', async () => {
    await expect(program().parseAsync(['node', 'cli', 'export', '--out', '/tmp/x'])).rejects.toThrow(
      /--workflow/,
    );
    await expect(program().parseAsync(['node', 'cli', 'export', '--workflow', W])).rejects.toThrow(/--out/);
    await expect(
      program().parseAsync(['node', 'cli', 'export', '--workflow', W, '--out', '/x', '--format', 'csv']),
    ).rejects.toThrow(/csv/);
  });
});
