import type { Command } from 'commander';

/** Registers the `sandbox` command(s). Placeholder until its issue lands: registers nothing. */
export function registerSandboxCommand(_program: Command): void {}
