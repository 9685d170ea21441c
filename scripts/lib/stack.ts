/**
 * The demo stack: the reference API in its own process plus the demo pages on a Vite dev server, on
 * two origins, talking cross-origin as they would in production. Used by `npm start` and by the
 * end-to-end tests (which give it free ports and an in-memory database).
 */
import { createServer, type Plugin, type ViteDevServer } from 'vite';
import { join } from 'node:path';
import { ROOT, startApi, type ApiProcess } from './proc.ts';

export interface StackOptions {
  /** Demo pages port (default 5173). */
  port: number;
  /** API port (default 8787); 0 picks a free one. */
  apiPort: number;
  /** `memory` for a throwaway database, else a PGlite data directory. Ignored with DATABASE_URL. */
  dataDir: string;
  /** Extra environment for the API (DATABASE_URL, DATABASE_SCHEMA, RATE_LIMITS, …). */
  apiEnv?: Record<string, string | undefined>;
  /** Echo the API's output (npm start does, tests do not). */
  echo?: boolean;
}

export interface Stack {
  readonly demoUrl: string;
  readonly apiUrl: string;
  readonly api: ApiProcess;
  readonly vite: ViteDevServer;
  close(): Promise<void>;
}

/**
 * Replaces `%PORTAL_API%` and `%PORTAL_ORG%` in the demo pages with the running API's address, and
 * `%PORTAL_ADMIN_KEY%` (the staff demo page only) with the development admin API key. That key is
 * the API's development default; a real staff system keeps its key on its own server.
 */
function portalPlaceholders(apiUrl: string): Plugin {
  return {
    name: 'portal-demo-placeholders',
    transformIndexHtml: (html) =>
      html
        .replaceAll('%PORTAL_API%', apiUrl)
        .replaceAll('%PORTAL_ORG%', 'riverside-arts')
        .replaceAll('%PORTAL_ADMIN_KEY%', 'dev-admin-key-riverside-arts'),
  };
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  const origins = [`http://localhost:${opts.port}`, `http://127.0.0.1:${opts.port}`];
  const api = await startApi(
    {
      PORT: String(opts.apiPort),
      // The demo opts into development (production is the API's default): the demo orgs and
      // people, /dev/outbox for the mailbox page, the documented development admin key.
      NODE_ENV: 'development',
      DATA_DIR: opts.dataDir,
      PORTAL_DEV_ORIGINS: origins.join(','),
      DEMO_PORTAL_URL: `${origins[0]}/portal.html`,
      ...opts.apiEnv,
    },
    { echo: opts.echo },
  );
  let vite: ViteDevServer;
  try {
    vite = await createServer({
      configFile: false,
      root: join(ROOT, 'demo'),
      logLevel: opts.echo ? 'info' : 'error',
      clearScreen: false,
      plugins: [portalPlaceholders(api.url)],
      server: { host: '127.0.0.1', port: opts.port, strictPort: true, fs: { allow: [ROOT] } },
      // Scan every page and pre-bundle every dependency up front: otherwise Vite finds `qrcode` on the
      // first visit to the portal page and reloads that page mid-visit.
      optimizeDeps: {
        entries: ['*.html'],
        include: ['lit', 'lit/decorators.js', '@lit/context', 'ky', 'zod/mini', 'qrcode/lib/core/qrcode.js'],
      },
    });
    await vite.listen();
  } catch (err) {
    await api.stop();
    throw err;
  }
  // Vite's dev server answers SIGTERM itself by closing and calling process.exit(), which can come
  // before our own handler has stopped the API; never leave the API process behind.
  const orphanGuard = () => {
    if (api.child.exitCode === null && api.child.signalCode === null) api.child.kill('SIGTERM');
  };
  process.once('exit', orphanGuard);
  return {
    demoUrl: origins[0],
    apiUrl: api.url,
    api,
    vite,
    async close() {
      await Promise.all([vite.close(), api.stop()]);
      process.off('exit', orphanGuard);
    },
  };
}
