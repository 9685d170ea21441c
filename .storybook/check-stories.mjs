// Opens every story of the static Storybook build (storybook-static/) in Chromium and fails on page
// errors, console errors or Storybook's error display; play functions run as part of loading.
// Run: npx storybook build -o storybook-static && node .storybook/check-stories.mjs
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { chromium } from 'playwright-core';
const root = 'storybook-static';
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml' };
const srv = createServer(async (req, res) => {
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  try { const body = await readFile(join(root, path.endsWith('/') ? path + 'index.html' : path)); res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }); res.end(body); } catch { res.writeHead(404); res.end(); }
}).listen(0);
const port = srv.address().port;
const index = JSON.parse(await readFile(join(root, 'index.json'), 'utf8'));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage'] });
let bad = 0;
for (const id of Object.keys(index.entries).filter((id) => index.entries[id].type === 'story')) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().includes('404')) errors.push(m.text()); });
  await page.goto(`http://127.0.0.1:${port}/iframe.html?id=${id}&viewMode=story`);
  await page.waitForTimeout(2500);
  const text = (await page.locator('#storybook-root').innerText().catch(() => '')).slice(0, 80).replace(/\s+/g, ' ');
  const sbError = await page.locator('.sb-show-errordisplay').count();
  if (errors.length || sbError) bad++;
  console.log(errors.length || sbError ? 'FAIL' : 'ok  ', id, '|', text, errors.join(' / '));
  await page.close();
}
await browser.close(); srv.close();
process.exit(bad ? 1 : 0);
