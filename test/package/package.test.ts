/**
 * The package as an agency meets it (issue 11): build and `npm pack` the library, then
 *   - assert the tarball's file list (what package.json promises is there; sources, tests, server are not);
 *   - install the tarball into a stock React 19 + TypeScript app and a Vue 3 + TypeScript app
 *     (test/fixtures/consumers/*; react, vue and the type packages resolve from this repo's
 *     node_modules), type-check them (tsc 5.9 for TSX, vue-tsc for Vue) with no declaration of their
 *     own, and build them with Vite;
 *   - check custom-elements.json against the elements (every observed attribute, every `part=` in the
 *     templates and every part rendered on the page is listed; its paths are shipped files);
 *   - load the one-file bundle on a bare page in Chromium and sign in against the real API; the same
 *     page on an origin the organization does not allow says so in the console and to the visitor.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/lib/chromium.mjs';
import { ROOT, freePort, run, startApi, type ApiProcess } from '../../scripts/lib/proc.ts';

const node = process.execPath;
const WORK = join(ROOT, '.tmp/package');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  types: string;
  exports: Record<string, string | { types?: string; import?: string }>;
  customElements: string;
};
const ORG = 'riverside-arts';
const PASSWORD = 'correct horse battery staple';
const TAGS = ['portal-provider', 'portal-login', 'portal-signup', 'portal-qr', 'purchaser-autofill'];

let files: string[] = [];
let tarball = '';

interface Manifest {
  modules: Array<{
    path: string;
    declarations?: Array<{
      tagName?: string;
      attributes?: Array<{ name: string }>;
      cssParts?: Array<{ name: string }>;
      events?: Array<{ name: string; type?: { text: string } }>;
    }>;
  }>;
}

function sh(cmd: string, args: string[], cwd = ROOT): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

/** Runs a command; on failure, the assertion shows its output. */
function check(label: string, cmd: string, args: string[], cwd: string): void {
  try {
    sh(cmd, args, cwd);
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    assert.fail(`${label} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

/** Copies a consumer fixture and installs the tarball into it (as `npm install ./portal-widgets.tgz` would unpack it). */
function consumer(name: string): string {
  const dir = join(WORK, name);
  cpSync(join(ROOT, 'test/fixtures/consumers', name), dir, { recursive: true });
  const target = join(dir, 'node_modules/portal-widgets');
  mkdirSync(target, { recursive: true });
  sh('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
  return dir;
}

before(async () => {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  // What `prepack` runs, then the pack itself (scripts off: they just ran, and their output would mix with --json).
  assert.equal(await run('npm', ['run', 'build', '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] }), 0, 'npm run build');
  assert.equal(await run('npm', ['run', 'analyze', '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] }), 0, 'npm run analyze');
  const packed = JSON.parse(sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', WORK])) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  tarball = join(WORK, packed[0]!.filename);
  files = packed[0]!.files.map((f) => f.path).sort();
});

describe('the tarball', () => {
  test('holds what package.json promises', () => {
    const targets = new Set<string>([pkg.types, pkg.customElements]);
    for (const value of Object.values(pkg.exports)) {
      if (typeof value === 'string') targets.add(value);
      else for (const v of Object.values(value)) if (v) targets.add(v);
    }
    for (const target of targets) assert.ok(files.includes(target.replace(/^\.\//, '')), `${target} (package.json) is in the tarball`);
    for (const required of [
      'LICENSE',
      'README.md',
      'package.json',
      'custom-elements.json',
      'dist/portal-widgets.js',
      'dist/portal-widgets.bundle.js',
      'dist/react.js',
      'dist/types/index.d.ts',
      'dist/types/react/index.d.ts',
      'docs/react.md',
      'docs/vue.md',
      'docs/html.md',
    ]) {
      assert.ok(files.includes(required), `${required} is in the tarball`);
    }
    if (existsSync(join(ROOT, 'CHANGELOG.md'))) assert.ok(files.includes('CHANGELOG.md'), 'CHANGELOG.md is in the tarball');
  });

  test('carries no sources, tests, server, demo or build leftovers', () => {
    const forbidden = /^(src|test|server|scripts|demo|stories|\.storybook|node_modules|\.tmp|dist\/\.vite)\//;
    assert.deepEqual(
      files.filter((f) => forbidden.test(f)),
      [],
    );
    assert.deepEqual(
      files.filter((f) => /\.test\.|tsconfig|vite\.config|eslint|prettier/.test(f)),
      [],
    );
  });

  test('every .d.ts for every public module, and every relative import in dist/ resolves inside the tarball', () => {
    for (const entry of [
      'index',
      'bundle',
      'react/index',
      'elements',
      'frameworks/react-jsx',
      'frameworks/vue',
      'events/signed-in',
      'api/contract',
    ]) {
      assert.ok(files.includes(`dist/types/${entry}.d.ts`), `dist/types/${entry}.d.ts`);
    }
    const missing: string[] = [];
    for (const file of files.filter((f) => /^dist\/.*\.(js|d\.ts)$/.test(f))) {
      const text = sh('tar', ['-xzOf', tarball, `package/${file}`]);
      for (const m of text.matchAll(/(?:from\s*|import\s*\(\s*|import\s*)["'`](\.{1,2}\/[^"'`]+)["'`]/g)) {
        const spec = m[1]!;
        const resolved = relative('.', join(file, '..', spec)).replace(/\.js$/, file.endsWith('.d.ts') ? '.d.ts' : '.js');
        if (!files.includes(resolved)) missing.push(`${file} → ${spec}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  test('every runtime dependency is code the shipped files use (read from their source maps)', () => {
    const used = new Set<string>();
    for (const map of ['dist/portal-widgets.bundle.js.map', 'dist/react.js.map']) {
      const { sources } = JSON.parse(sh('tar', ['-xzOf', tarball, `package/${map}`])) as { sources: string[] };
      for (const source of sources) {
        const at = source.lastIndexOf('node_modules/');
        if (at < 0) continue;
        const [scope, name] = source.slice(at + 'node_modules/'.length).split('/');
        used.add(scope!.startsWith('@') ? `${scope}/${name}` : scope!);
      }
    }
    const declared = Object.keys(
      (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies,
    );
    assert.deepEqual(
      declared.filter((d) => !used.has(d)),
      [],
      'dependencies no shipped file uses',
    );
  });

  test('the one-file bundle imports nothing', () => {
    const text = sh('tar', ['-xzOf', tarball, 'package/dist/portal-widgets.bundle.js']);
    // No static or dynamic import of a sibling file, and no chunk URL built from import.meta.url.
    const sibling = /(?:\bfrom|\bimport)\s*\(?\s*["'`]\.{0,2}\/|new URL\(\s*["'`]\.{0,2}\/[^"'`]*\.js["'`]\s*,\s*import\.meta\.url/.exec(text);
    assert.equal(sibling?.[0] ?? null, null, 'the bundle loads no other file');
  });
});

describe('custom-elements.json', () => {
  const manifest = () => JSON.parse(sh('tar', ['-xzOf', tarball, 'package/custom-elements.json'])) as Manifest;
  const elements = () => manifest().modules.flatMap((m) => (m.declarations ?? []).filter((d) => d.tagName).map((d) => ({ ...d, path: m.path })));

  test('lists the five elements; their paths and event types point at shipped files', () => {
    const decls = elements();
    assert.deepEqual(decls.map((d) => d.tagName).sort(), [...TAGS].sort());
    for (const mod of manifest().modules) assert.ok(files.includes(mod.path), `${mod.path} is shipped`);
    const text = JSON.stringify(manifest());
    for (const m of text.matchAll(/"module":"([^"]+)"/g)) assert.ok(files.includes(m[1]!), `${m[1]} is shipped`);
    for (const d of decls)
      for (const e of d.events ?? []) assert.match(e.type?.text ?? '', /^Portal\w+Event$/, `${d.tagName} ${e.name} has its event type`);
    const signup = decls.find((d) => d.tagName === 'portal-signup')!;
    for (const name of ['api', 'org', 'lang', 'dir', 'without-card', 'resend-cooldown'])
      assert.ok(
        signup.attributes?.some((a) => a.name === name),
        `portal-signup lists ${name}`,
      );
  });

  test('every part= in the templates is listed for its element', () => {
    const decls = elements();
    const partsOf = (tag: string) => new Set((decls.find((d) => d.tagName === tag)?.cssParts ?? []).map((p) => p.name));
    const missing: string[] = [];
    const scan = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? scan(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
      );
    for (const file of scan(join(ROOT, 'src'))) {
      const text = readFileSync(file, 'utf8');
      const parts = [...text.matchAll(/\bpart=["']([\w-]+)["']/g)].map((m) => m[1]!);
      if (parts.length === 0) continue;
      const rel = relative(join(ROOT, 'src'), file);
      // The form base class renders the card of every form element.
      const tags =
        rel.startsWith('internal/portal-form-element') || rel.startsWith('internal/inbox-element')
          ? ['portal-login', 'portal-signup']
          : decls.filter((d) => d.path === `dist/types/${rel.replace(/\.ts$/, '.d.ts')}`).map((d) => d.tagName!);
      if (tags.length === 0) continue; // an internal step (set-password, email-step) renders inside a public element's light DOM
      for (const tag of tags) for (const part of parts) if (!partsOf(tag).has(part)) missing.push(`<${tag}> part="${part}" (${rel})`);
    }
    assert.deepEqual(missing, []);
  });
});

describe('consumer apps against the tarball, with no declaration of their own', () => {
  test('React 19 + TypeScript (TSX, strict): tsc 5.9 type-checks, Vite builds', () => {
    const dir = consumer('react-ts');
    check('tsc', node, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], dir);
    check('vite build', node, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], dir);
    assert.ok(existsSync(join(dir, 'dist/index.html')));
  });

  test('Vue 3 + TypeScript: vue-tsc type-checks attributes and @portal-… events, Vite builds with isCustomElement', () => {
    const dir = consumer('vue-ts');
    check('vue-tsc', node, [join(ROOT, 'node_modules/vue-tsc/bin/vue-tsc.js'), '--noEmit', '-p', 'tsconfig.json'], dir);
    check('vite build', node, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], dir);
    assert.ok(existsSync(join(dir, 'dist/index.html')));
  });
});

describe('the one-file bundle on a bare page (Chromium, real API)', () => {
  let api: ApiProcess;
  let browser: Browser;
  const servers: Server[] = [];
  let allowed = '';
  let refused = '';
  const requested: string[] = [];

  /** Serves the bare page and the bundle taken from the tarball, and records every path asked for. */
  async function serve(port: number, apiUrl: string): Promise<string> {
    const bundle = sh('tar', ['-xzOf', tarball, 'package/dist/portal-widgets.bundle.js']);
    const page = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Bare page</title><script type="module" src="/portal-widgets.bundle.js"></script></head>
  <body>
    <h1>Become a member</h1>
    <portal-provider api="${apiUrl}/" org="${ORG}"><portal-login></portal-login></portal-provider>
  </body>
</html>`;
    const server = createServer((req, res) => {
      requested.push(req.url ?? '');
      if (req.url === '/' || req.url === '/index.html') res.writeHead(200, { 'content-type': 'text/html' }).end(page);
      else if (req.url === '/favicon.ico') res.writeHead(204).end();
      else if (req.url === '/portal-widgets.bundle.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
      else res.writeHead(404).end();
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${port}`;
  }

  before(async () => {
    const [a, b] = [await freePort(), await freePort()];
    allowed = `http://127.0.0.1:${a}`;
    api = await startApi({
      PORT: '0',
      DATA_DIR: 'memory',
      NODE_ENV: 'development',
      RATE_LIMITS: 'off',
      DATABASE_URL: '',
      PORTAL_DEV_ORIGINS: allowed,
    });
    await serve(a, api.url);
    refused = await serve(b, api.url);
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    for (const s of servers) s.close();
    await api?.stop();
  });

  test('defines all five elements from one file, at the package version, and signs in', async () => {
    const email = `bare.${Date.now()}@example.com`;
    const res = await fetch(`${api.url}/dev/orgs/${ORG}/fixtures`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ firstName: 'Bea', lastName: 'Bundle', email, password: PASSWORD }),
    });
    assert.equal(res.status < 300, true, `fixture: ${res.status}`);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    requested.length = 0;
    await page.goto(`${allowed}/`);
    await page.waitForSelector('portal-login form input[name=email]');
    const defined = await page.evaluate(
      (tags) => tags.map((t) => [t, (customElements.get(t) as unknown as { version?: string } | undefined)?.version ?? null]),
      TAGS,
    );
    assert.deepEqual(
      defined,
      TAGS.map((t) => [t, pkg.version]),
    );
    await page.evaluate(() => {
      (window as unknown as { signedIn?: string }).signedIn = '';
      document.addEventListener(
        'portal-signed-in',
        (e) => ((window as unknown as { signedIn?: string }).signedIn = (e as CustomEvent).detail.profile.email),
      );
    });
    await page.fill('portal-login input[name=email]', email);
    await page.fill('portal-login input[name=password]', PASSWORD);
    await page.click('portal-login button[type=submit]');
    await page.waitForSelector('portal-login .portal-signed-in');
    assert.match((await page.textContent('portal-login .portal-signed-in')) ?? '', /Signed in as Bea Bundle/);
    assert.equal(await page.evaluate(() => (window as unknown as { signedIn?: string }).signedIn), email);
    assert.deepEqual(
      [...new Set(requested)].filter((p) => p !== '/favicon.ico').sort(),
      ['/', '/portal-widgets.bundle.js'],
      'the page loaded nothing but the one file',
    );
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('custom-elements.json lists every observed attribute and every rendered part', async () => {
    const manifest = JSON.parse(sh('tar', ['-xzOf', tarball, 'package/custom-elements.json'])) as Manifest;
    const decls = manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.tagName);
    const page = await browser.newPage();
    await page.goto(`${allowed}/`);
    await page.waitForSelector('portal-login form');
    const seen = await page.evaluate(
      async ({ tags, apiUrl, org }) => {
        // Every element on the page, a QR code drawn and one that fails, and autofill around a form.
        document.body.insertAdjacentHTML(
          'beforeend',
          `<portal-provider api="${apiUrl}/" org="${org}"><portal-signup></portal-signup><portal-qr value="https://example.org/"></portal-qr><purchaser-autofill><form><input name="email" autocomplete="email"></form></purchaser-autofill></portal-provider>
         <portal-qr api="http://127.0.0.1:9/" org="${org}"></portal-qr>`,
        );
        // Until both QR codes have settled (drawn, and failed), then read what is rendered.
        const qrs = [...document.querySelectorAll('portal-qr')].slice(-2);
        for (let i = 0; i < 200 && !qrs.every((q) => q.shadowRoot?.querySelector('[part=base], [part=error]')); i++)
          await new Promise((r) => setTimeout(r, 50));
        const out: Record<string, { attributes: string[]; parts: string[] }> = {};
        for (const tag of tags) {
          const ctor = customElements.get(tag) as unknown as { observedAttributes?: string[] };
          const parts = new Set<string>();
          for (const el of document.querySelectorAll(tag))
            for (const p of el.shadowRoot?.querySelectorAll('[part]') ?? []) for (const name of p.getAttribute('part')!.split(/\s+/)) parts.add(name);
          out[tag] = { attributes: [...(ctor.observedAttributes ?? [])], parts: [...parts] };
        }
        return out;
      },
      { tags: TAGS, apiUrl: api.url, org: ORG },
    );
    const missing: string[] = [];
    for (const tag of TAGS) {
      const decl = decls.find((d) => d.tagName === tag)!;
      const attrs = new Set((decl.attributes ?? []).map((a) => a.name));
      const parts = new Set((decl.cssParts ?? []).map((p) => p.name));
      for (const a of seen[tag]!.attributes) if (!attrs.has(a)) missing.push(`<${tag}> attribute ${a}`);
      for (const p of seen[tag]!.parts) if (!parts.has(p)) missing.push(`<${tag}> part ${p}`);
    }
    assert.ok(
      seen['portal-qr']!.parts.includes('base') && seen['portal-qr']!.parts.includes('error'),
      `rendered QR parts: ${seen['portal-qr']!.parts}`,
    );
    assert.deepEqual(missing, []);
    await page.close();
  });

  test('on an origin the organization does not allow: a console error naming the origin and the fix, and a kind message', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${refused}/`);
    await page.waitForSelector('portal-login .portal-unavailable', { timeout: 15000 });
    assert.equal(
      (await page.textContent('portal-login .portal-unavailable'))?.trim(),
      'Sign-in isn’t available on this page right now. Please try again later.',
    );
    const message = errors.find((e) => e.includes('[portal-widgets]')) ?? '';
    assert.match(message, new RegExp(`refused this page's origin ${refused.replace(/[.:/]/g, '\\$&')}`));
    assert.match(message, /Fix: add .* to the organization's allowed origins/);
    await page.close();
  });
});
