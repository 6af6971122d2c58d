#!/usr/bin/env node
/**
 * The command-line host: the same engine as the desktop app, for scripting and pipelines.
 * Each command group lives in its own module under ./commands and registers itself here.
 */
import { Command } from 'commander';
import { registerSessionCommands } from './commands/session.ts';
import { registerSandboxCommand } from './commands/sandbox.ts';
import { registerUploadCommand } from './commands/upload.ts';
import { registerExportCommand } from './commands/export.ts';
import { registerServeCommand } from './commands/serve.ts';
import { runCli } from './cli-support.ts';

/** Builds the full command tree (exported so tests can inspect it without running a process). */
export function buildProgram(): Command {
  const program = new Command('alegion-uploader')
    .description('Move images, videos and NER documents into Alegion, and bring the labeled results back.')
    .showHelpAfterError()
    .exitOverride();
  registerSessionCommands(program);
  registerSandboxCommand(program);
  registerUploadCommand(program);
  registerExportCommand(program);
  registerServeCommand(program);
  return program;
}

if (import.meta.main) await runCli(buildProgram(), process.argv);
