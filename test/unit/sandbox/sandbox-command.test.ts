import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerSandboxCommand } from '../../../main/host/commands/sandbox.ts';

function program(): Command {
  const root = new Command('alegion-uploader').exitOverride();
  registerSandboxCommand(root);
  return root;
}

describe('sandbox command', () => {
  it('offers every flag of the issue table and the fault flags', () => {
    const command = program().commands.find((c) => c.name() === 'sandbox');
    const flags = command?.options.map((o) => o.long) ?? [];
    for (const flag of [
      '--port',
      '--api-key',
      '--username',
      '--password',
      '--token-ttl',
      '--signed-url-ttl',
      '--download-url-ttl',
      '--task-seconds',
      '--exception-rate',
      '--cancel-rate',
      '--unresolved-exception-rate',
      '--seed',
      '--data-dir',
      '--no-labelers',
      '--bandwidth-mbps',
      '--put-cut-rate',
      '--put-cut-after-bytes',
      '--download-cut-rate',
      '--download-cut-after-bytes',
      '--error-rate',
      '--rate-limit-rate',
      '--retry-after-seconds',
      '--latency-ms',
      '--offline',
    ]) {
      expect(flags).toContain(flag);
    }
  });

  it('rejects out-of-range values with a message naming the flag', async () => {
    await expect(program().parseAsync(['node', 'cli', 'sandbox', '--exception-rate', '2'])).rejects.toThrow(
      '--exception-rate must be a number between 0 and 1, got "2"',
    );
    await expect(program().parseAsync(['node', 'cli', 'sandbox', '--port', 'abc'])).rejects.toThrow(/--port/);
    await expect(
      program().parseAsync(['node', 'cli', 'sandbox', '--unresolved-exception-rate', '1.5']),
    ).rejects.toThrow('--unresolved-exception-rate must be a number between 0 and 1, got "1.5"');
    await expect(program().parseAsync(['node', 'cli', 'sandbox', '--latency-ms', '-5'])).rejects.toThrow(
      /--latency-ms/,
    );
    await expect(
      program().parseAsync(['node', 'cli', 'sandbox', '--bandwidth-mbps', 'fast']),
    ).rejects.toThrow('--bandwidth-mbps must be a number >= 0, got "fast"');
  });
});
