import type { Command } from 'commander';

/** Registers the `session` command(s). Placeholder until its issue lands: registers nothing. */
export function registerSessionCommands(_program: Command): void {}
