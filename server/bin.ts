#!/usr/bin/env node
/** The `portal-api` executable (built to dist/bin.js). See cli.ts for the commands. */
import { runCli } from './cli.ts';

process.exit(await runCli(process.argv.slice(2)));
