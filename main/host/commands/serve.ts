import type { Command } from 'commander';

/** Registers the `serve` command(s). Placeholder until its issue lands: registers nothing. */
export function registerServeCommand(_program: Command): void {}
