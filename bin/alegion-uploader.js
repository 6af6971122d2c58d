#!/usr/bin/env node
// The CLI runs its TypeScript sources directly on Node 24 (type stripping).
import { buildProgram } from '../main/host/cli.ts';
import { runCli } from '../main/host/cli-support.ts';

await runCli(buildProgram(), process.argv);
