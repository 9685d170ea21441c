/**
 * Screenshots of the static Storybook build as a designer sees it (the README's docs/storybook.png).
 *   npx storybook build -o storybook-static && node --import tsx .storybook/screenshot.ts [out.png] [path]
 * `path` is the manager path; by default every element with the teal brand preset, in dark, in Spanish.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/lib/browser.ts';
import { ROOT } from '../scripts/lib/proc.ts';

const dir = join(ROOT, process.env.STORYBOOK_DIR ?? 'storybook-static');
const out = process.argv[2] ?? join(ROOT, 'docs/storybook.png');
const path = process.argv[3] ?? '/?path=/story/theme-all-elements--playground&globals=brand:teal-arts;scheme:dark;language:es';
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

const server = createServer(async (req, res) => {
  const p = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  const file = normalize(join(dir, p.endsWith('/') ? `${p}index.html` : p));
  const body = file.startsWith(dir) ? await readFile(file).catch(() => undefined) : undefined;
  if (!body) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: Number(process.env.WIDTH ?? 1440), height: Number(process.env.HEIGHT ?? 900) } });
  await page.goto(`${origin}${path}`);
  const frame = page.frameLocator('#storybook-preview-iframe');
  await frame.locator('#storybook-root > *, #storybook-docs > *').first().waitFor({ timeout: 20_000 });
  // Let the story's play function and the addon panels settle.
  await page.waitForTimeout(Number(process.env.SETTLE ?? 3000));
  await page.screenshot({ path: out, fullPage: false });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  server.close();
}
