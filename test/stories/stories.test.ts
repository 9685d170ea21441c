/**
 * Every Storybook story, opened from a fresh static build in Chromium: each must render, its `play`
 * function (the story's interaction test) must finish without throwing, and nothing may log an error
 * or show Storybook's error display. Stories answer API calls from recorded fixtures, so this needs
 * no server — exactly what a designer sees.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/lib/browser.ts';
import { ROOT, run } from '../../scripts/lib/proc.ts';

const OUT = join(ROOT, '.tmp', 'storybook-static');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.woff2': 'font/woff2' };

// Build first, at load time, so the stories can be registered as tests one by one.
const built = await run(process.execPath, [join(ROOT, 'node_modules/storybook/dist/bin/dispatcher.js'), 'build', '-o', OUT, '--quiet'], {
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, STORYBOOK_DISABLE_TELEMETRY: '1' },
});
const index = built === 0 ? (JSON.parse(readFileSync(join(OUT, 'index.json'), 'utf8')) as { entries: Record<string, { type: string; title: string; name: string }> }) : { entries: {} };
const stories = Object.entries(index.entries).filter(([, e]) => e.type === 'story');

let server: Server;
let origin: string;
let browser: Browser;

before(async () => {
  server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(OUT, path.endsWith('/') ? `${path}index.html` : path));
    const body = file.startsWith(OUT) ? await readFile(file).catch(() => undefined) : undefined;
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  server?.close();
});

describe('Storybook', () => {
  test('builds, with stories', () => {
    assert.equal(built, 0, 'storybook build failed');
    assert.ok(stories.length > 0, 'no stories found');
  });

  for (const [id, entry] of stories) {
    test(`${entry.title} / ${entry.name}`, async () => {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error' && !/favicon|404/.test(m.text())) errors.push(`console: ${m.text()}`);
      });
      try {
        await page.goto(`${origin}/iframe.html?id=${id}&viewMode=story`);
        // Storybook's preview moves a render through phases; `completed` comes after `play` finished.
        const phase = await page
          .waitForFunction(
            () => {
              const render = (window as { __STORYBOOK_PREVIEW__?: { currentRender?: { phase?: string } } }).__STORYBOOK_PREVIEW__?.currentRender;
              const p = render?.phase;
              return p === 'completed' || p === 'finished' || p === 'errored' || p === 'aborted' ? p : false;
            },
            undefined,
            { timeout: 15_000 },
          )
          .then((h) => h.jsonValue());
        const errorDisplay = await page.locator('.sb-show-errordisplay').count();
        assert.deepEqual({ phase, errorDisplay, errors }, { phase: phase === 'finished' ? 'finished' : 'completed', errorDisplay: 0, errors: [] });
      } finally {
        await page.close();
      }
    });
  }
});
