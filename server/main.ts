/**
 * `node --import tsx server/main.ts`: `portal-api serve` for the repository (tests, the demo, the
 * benches). Reads the environment (server/config.ts, docs/operations.md), prints exactly one line
 * `portal API listening on http://127.0.0.1:<port>` when ready, and shuts down cleanly (PGlite
 * closed) on SIGTERM / SIGINT. Configuration mistakes: one line each on stderr, exit 2.
 */
import { runCli } from './cli.ts';

// What an unset NODE_ENV means for this entry point: production, as for the packaged `portal-api`
// (issue 9 item 6). The demo, the element tests and the benches set NODE_ENV=development.
// Request logs are off here unless LOG_REQUESTS=on (tests read this process's stdout).
const DEFAULTS = { production: true, logRequests: false };

process.exit(await runCli(['serve', ...process.argv.slice(2)], process.env, undefined, DEFAULTS));
