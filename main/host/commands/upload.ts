import type { Command } from 'commander';

/** Registers the `upload` command(s). Placeholder until its issue lands: registers nothing. */
export function registerUploadCommand(_program: Command): void {}
