/**
 * Autofill corpus figures (issue #10), printed by `npm run bench` (or on its own:
 * `node --import tsx scripts/bench-autofill.ts`): over every purchaser-form fixture
 * (test/fixtures/purchaser-forms), the purchaser's own fields filled against those expected and
 * the wrong fills (must be 0); and the engine's own time for one pass on the largest fixture.
 * Measured in Debian's Chromium on an esbuild bundle of the fixtures, harness and element source.
 */
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './lib/browser.ts';
import { ROOT, freePort } from './lib/proc.ts';
import type { CorpusResult } from '../test/fixtures/purchaser-forms/corpus.ts';

export async function benchAutofill(browser: Browser): Promise<CorpusResult> {
  const bundle = await build({
    stdin: {
      contents: "import { runCorpus } from './test/fixtures/purchaser-forms/corpus.ts'; window.runCorpus = runCorpus;",
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    write: false,
    minify: true,
    tsconfig: join(ROOT, 'tsconfig.json'),
    conditions: ['production'],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  const code = bundle.outputFiles.map((f) => f.text).join('\n');
  const port = await freePort();
  const server = createServer((req, res) => {
    if (req.url === '/corpus.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(code);
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>autofill corpus</title><script type="module" src="/corpus.js"></script></head><body></body></html>',
      );
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  try {
    await page.goto(`http://127.0.0.1:${port}/corpus.html`);
    await page.waitForFunction(() => 'runCorpus' in window);
    return await page.evaluate(() => (window as unknown as { runCorpus: (runs?: number) => Promise<CorpusResult> }).runCorpus(Number(25)));
  } finally {
    await page.close();
    server.close();
  }
}

export function printAutofill(r: CorpusResult): void {
  const pct = r.own ? ((100 * r.filled) / r.own).toFixed(1) : 'n/a';
  console.log(`\nautofill corpus: ${r.forms} forms, ${r.filled}/${r.own} own fields filled (${pct} %), ${r.wrong} wrong`);
  for (const w of r.wrongFields) console.log(`  wrong: ${w}`);
  console.log(
    `autofill engine, one pass on the largest fixture ("${r.largest.title}", ${r.largest.controls} controls): ${r.largest.medianMs.toFixed(2)} ms (median of ${r.largest.runs})`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    printAutofill(await benchAutofill(browser));
  } finally {
    await browser.close();
  }
}
