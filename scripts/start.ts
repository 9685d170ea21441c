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
});

const d = stack.demoUrl;
console.log(`
  portal-widgets demo is running (Ctrl+C to stop)

  Donation page     ${d}/donate.html
  Membership page   ${d}/membership.html
  Event page        ${d}/event.html
  Portal home       ${d}/portal.html
  Mailbox           ${d}/mailbox.html   (every email the API "sends" lands here)

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
