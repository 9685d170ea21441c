/**
 * `npm start`: the reference API on its embedded database (PGlite, kept in .data/) plus the demo
 * pages. PORT (demo, default 5173) and API_PORT (API, default 8787) move them.
 */
import { join } from 'node:path';
import { ROOT } from './lib/proc.ts';
import { startStack } from './lib/stack.ts';

const port = Number(process.env.PORT ?? 5173);
const apiPort = Number(process.env.API_PORT ?? 8787);

const stack = await startStack({
  port,
  apiPort,
  dataDir: process.env.DATA_DIR ?? join(ROOT, '.data/pglite'),
  apiEnv: { DATABASE_URL: process.env.DATABASE_URL },
  echo: true,
}).catch((err: unknown) => {
  // A newcomer's most likely failure is a port taken by an earlier run: say so, without a stack trace.
  const text = String((err as Error)?.message ?? err);
  const busy = /(?:EADDRINUSE.*:|Port )(\d+)/.exec(text);
  console.error(
    busy
      ? `\n  Cannot start the demo: port ${busy[1]} is already in use.\n` +
          `  Is the demo already running in another terminal? Stop it, or pick other ports:\n` +
          `    PORT=5180 API_PORT=8790 npm start\n`
      : `\n  Cannot start the demo: ${text}\n`,
  );
  process.exit(1);
});

const d = stack.demoUrl;
console.log(`
  portal-widgets demo is running (Ctrl+C to stop)

  Donation page     ${d}/donate.html
  Membership page   ${d}/membership.html
  Event page        ${d}/event.html
  Portal home       ${d}/portal.html
  Mailbox           ${d}/mailbox.html   (every email the API "sends" lands here)
  Staff admin       ${d}/admin.html   (portal info, QR, invitations, duplicates)

  Portal API        ${stack.apiUrl}/v1/orgs/riverside-arts/portal
  Seeded people     maria.garcia@example.org (Maria Garcia, current membership)
                    tom.baker@example.org (Tom Baker, expired membership)
                    They must sign up first (with that email and name) — portal accounts are never automatic.
`);

let closing = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (closing) return;
    closing = true;
    void stack.close().then(() => process.exit(0));
  });
}
