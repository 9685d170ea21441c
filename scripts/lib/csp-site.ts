/**
 * The strict-CSP demo: `demo/csp.html` served with a real `Content-Security-Policy` response header
 * by a tiny static server, loading the BUILT library (Vite's dev server injects its own client
 * script, so it cannot show a strict policy). Used by `test/e2e/csp.test.ts`; run it by hand with
 *   node --import tsx scripts/lib/csp-site.ts        (API on a free port, page on PORT or 5174)
 *
 * Routes: `/dist/*` → the built library; everything else → `demo/` (HTML gets `%PORTAL_API%` and
 * `%PORTAL_ORG%` replaced and the policy header).
 */
import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { build } from 'vite';
import { ROOT, startApi, type ApiProcess } from './proc.ts';

/** The policy the page is served with. Nothing inline, no eval, Trusted Types for Lit only. */
export function strictCsp(apiOrigin: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${apiOrigin}`,
    "require-trusted-types-for 'script'",
    'trusted-types lit-html',
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

/** Builds the library (same config as `npm run build`) into a fresh directory of its own, so it never races other builds of `dist/`. */
export async function buildLibrary(): Promise<{ dir: string; remove(): Promise<void> }> {
  await mkdir(join(ROOT, '.tmp'), { recursive: true });
  const dir = await mkdtemp(join(ROOT, '.tmp', 'csp-dist-'));
  // Vite's build sets process.env.NODE_ENV = 'production', which the API started next would inherit
  // (and so drop its /dev routes): put it back.
  const nodeEnv = process.env.NODE_ENV;
  try {
    await build({
      configFile: join(ROOT, 'vite.config.ts'),
      root: ROOT,
      logLevel: 'error',
      build: { outDir: dir, emptyOutDir: true },
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
  '.json': 'application/json',
};

export interface CspSite {
  readonly url: string;
  readonly policy: string;
  close(): Promise<void>;
}

/** Resolves `rel` inside `base`, or undefined when it would escape it. */
function inside(base: string, rel: string): string | undefined {
  const file = normalize(join(base, rel));
  return file === base || file.startsWith(base.endsWith(sep) ? base : base + sep) ? file : undefined;
}

/** Serves `demo/` and the built library on 127.0.0.1:`port`, every HTML page with the strict policy. */
export function startCspSite(opts: { port: number; apiUrl: string | (() => string); distDir: string; org?: string }): Promise<CspSite> {
  const apiUrl = typeof opts.apiUrl === 'string' ? () => opts.apiUrl as string : opts.apiUrl;
  const policyFor = () => strictCsp(new URL(apiUrl()).origin);
  const demo = join(ROOT, 'demo');
  const server: Server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const file = path.startsWith('/dist/')
        ? inside(opts.distDir, path.slice('/dist/'.length))
        : inside(demo, path === '/' ? 'csp.html' : path.slice(1));
      if (
        !file ||
        req.method !== 'GET' ||
        !(await stat(file).then(
          (s) => s.isFile(),
          () => false,
        ))
      ) {
        res.writeHead(404, { 'content-type': 'text/plain', 'content-security-policy': policyFor() }).end('not found');
        return;
      }
      const type = TYPES[extname(file)] ?? 'application/octet-stream';
      let body: Buffer | string = await readFile(file);
      const headers: Record<string, string> = { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
      if (type.startsWith('text/html')) {
        body = body
          .toString('utf8')
          .replaceAll('%PORTAL_API%', apiUrl())
          .replaceAll('%PORTAL_ORG%', opts.org ?? 'riverside-arts');
        headers['content-security-policy'] = policyFor();
      }
      res.writeHead(200, headers).end(body);
    } catch {
      res.writeHead(500).end();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        url: `http://localhost:${port}`,
        get policy() {
          return policyFor();
        },
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

/** API (in-memory database unless DATA_DIR is set) + a fresh library build + the CSP site. */
export async function startCspDemo(opts: { port?: number; dataDir?: string; echo?: boolean } = {}): Promise<{
  site: CspSite;
  api: ApiProcess;
  close(): Promise<void>;
}> {
  const lib = await buildLibrary();
  let api: ApiProcess | undefined;
  let site: CspSite | undefined;
  try {
    // The site listens first (port 0 = any free one), so the API can be told its exact origin.
    site = await startCspSite({ port: opts.port ?? 0, apiUrl: () => api?.url ?? 'http://127.0.0.1:1', distDir: lib.dir });
    const port = new URL(site.url).port;
    api = await startApi(
      {
        PORT: '0',
        // Development, explicitly: the demo org and /dev/outbox (production is the API's default).
        NODE_ENV: 'development',
        DATA_DIR: opts.dataDir ?? 'memory',
        DATABASE_URL: undefined,
        PORTAL_DEV_ORIGINS: [`http://localhost:${port}`, `http://127.0.0.1:${port}`].join(','),
        DEMO_PORTAL_URL: `http://localhost:${port}/csp.html`,
      },
      { echo: opts.echo },
    );
    const started = { site, api };
    return {
      ...started,
      async close() {
        await started.site.close();
        await started.api.stop();
        await lib.remove();
      },
    };
  } catch (err) {
    await site?.close();
    await api?.stop();
    await lib.remove();
    throw err;
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const demo = await startCspDemo({ port: Number(process.env.PORT) || 5174, dataDir: process.env.DATA_DIR || 'memory' });
  console.log(`strict-CSP demo on ${demo.site.url}/csp.html (API ${demo.api.url})`);
  console.log(`policy: ${demo.site.policy}`);
  const bye = () => void demo.close().then(() => process.exit(0));
  process.on('SIGINT', bye);
  process.on('SIGTERM', bye);
}
