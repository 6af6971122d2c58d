#!/usr/bin/env node
// The installed command runs the bundled CLI (`npm run build:cli`); in a source checkout without a build, it runs
// the TypeScript sources directly on Node 24.
import { existsSync } from 'node:fs';

const built = new URL('../out/cli/cli.js', import.meta.url);
const cli = existsSync(built) ? await import(built.href) : await import('../main/host/cli.ts');
await cli.runCli(await cli.buildProgram(process.argv), process.argv);
