import type { Command } from 'commander';

/** Registers the `export` command(s). Placeholder until its issue lands: registers nothing. */
export function registerExportCommand(_program: Command): void {}
