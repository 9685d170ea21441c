/**
 * Storybook as a designer gets it, from a fresh static build in Chromium, with no server:
 *  - every story renders, its `play` function (the story's interaction test) passes, nothing logs an
 *    error, and addon-a11y's own axe run (WCAG 2.2 A/AA, the rules of .storybook/preview.ts) reports
 *    no violation; the events a story names in `parameters.portalActions` reach the Actions panel;
 *    and all of that again with the toolbar set to French and dark;
 *  - every docs page renders without errors and passes axe-core (same rules) over its stories, its
 *    table and its snippets; it lists what the manifest says about its element and shows usage in
 *    HTML, React and Vue;
 *  - the toolbar (scheme, language, brand, viewport) and the theme tokens change what a story shows.
 * `STORIES=login` (a substring of the story id) limits the per-story and docs tests while working.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/lib/browser.ts';
import { ROOT, run } from '../../scripts/lib/proc.ts';

const OUT = join(ROOT, '.tmp', 'storybook-static');
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

// Build first, at load time, so the stories can be registered as tests one by one.
const built = await run(process.execPath, [join(ROOT, 'node_modules/storybook/dist/bin/dispatcher.js'), 'build', '-o', OUT, '--quiet'], {
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, STORYBOOK_DISABLE_TELEMETRY: '1' },
});
type Entry = { type: string; title: string; name: string; tags?: string[] };
const index = built === 0 ? (JSON.parse(readFileSync(join(OUT, 'index.json'), 'utf8')) as { entries: Record<string, Entry> }) : { entries: {} };
const only = process.env.STORIES ?? '';
const stories = Object.entries(index.entries).filter(([id, e]) => e.type === 'story' && id.includes(only));
const docs = Object.entries(index.entries).filter(([id, e]) => e.type === 'docs' && id.includes(only));
const manifest = JSON.parse(readFileSync(join(ROOT, 'custom-elements.json'), 'utf8')) as {
  modules: Array<{
    declarations?: Array<{
      tagName?: string;
      customElement?: boolean;
      events?: Array<{ name: string }>;
      attributes?: Array<{ name: string }>;
      cssParts?: Array<{ name: string }>;
      cssStates?: Array<{ name: string }>;
      cssProperties?: Array<{ name: string }>;
    }>;
  }>;
};
const elements = manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.customElement && d.tagName);

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

// Before any script of the page: record what reaches the Actions panel and how the story finished.
// When the preview switches to another story (see Previews below), Storybook tears the last one down
// and then says `storyChanged`, before the next one renders: that is where the page starts over as a
// new page would — no storage, no fragment (an emailed link's token) left by the last story.
const RECORDER = `window.__portal = { actions: [], finished: null };
let channel;
Object.defineProperty(window, '__STORYBOOK_ADDONS_CHANNEL__', { configurable: true, get: () => channel, set: (c) => {
  channel = c;
  c.on('storybook/actions/action-event', (e) => window.__portal.actions.push(e && e.data ? e.data.name : '?'));
  c.on('storyFinished', (e) => { window.__portal.finished = e; });
  c.on('storyChanged', () => {
    sessionStorage.clear();
    localStorage.clear();
    history.replaceState(null, '', location.pathname + location.search);
  });
} });`;

interface Finished {
  status: string;
  actions: string[];
  phase: string;
  parameters: Record<string, unknown>;
  reports: Array<{ type: string; status: string; violations: string[] }>;
}

/** Opens a page of the build, collecting page errors and console errors. */
async function open(path: string): Promise<Preview> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/favicon|Failed to load resource: the server responded with a status of 404/.test(m.text()))
      errors.push(`console: ${m.text()}`);
  });
  await page.addInitScript(RECORDER);
  await page.goto(`${origin}${path}`);
  return { page, errors };
}

/** What Storybook said when story `id` finished (render, play, addon-a11y's axe run), and its render. */
async function finishedOf(page: Page, id: string): Promise<Finished> {
  await page.waitForFunction(`window.__portal.finished !== null && window.__portal.finished.storyId === ${JSON.stringify(id)}`, undefined, {
    timeout: 20_000,
  });
  return (await page.evaluate(`(() => {
    const f = window.__portal.finished;
    const render = window.__STORYBOOK_PREVIEW__.currentRender;
    return {
      status: f.status,
      actions: window.__portal.actions,
      phase: render.phase,
      parameters: { portalActions: render.story.parameters.portalActions || [], portalConsoleErrors: render.story.parameters.portalConsoleErrors || [] },
      reports: f.reporters.map((r) => ({ type: r.type, status: r.status, violations: ((r.result && r.result.violations) || []).map((v) => v.id + ' ' + v.nodes.map((n) => n.target.join(' ')).join(' | ')) })),
    };
  })()`)) as Finished;
}

/** Opens a story on a page of its own and waits until Storybook says it finished. */
async function openStory(id: string, query = ''): Promise<{ page: Page; errors: string[]; finished: Finished }> {
  const { page, errors } = await open(`/iframe.html?id=${id}&viewMode=story${query}`);
  return { page, errors, finished: await finishedOf(page, id) };
}

/** An open page of the preview and the page and console errors it logged since its last story began. */
interface Preview {
  page: Page;
  errors: string[];
}

interface Shown extends Preview {
  finished: Finished;
  /** Gives the page back for the next story (`ok: false` closes it: a page that failed is not trusted again). */
  release(ok: boolean): Promise<void>;
}

/**
 * Pages of the preview, each loaded once with the same globals (`query`), that switch stories the way
 * the Storybook UI does — `setCurrentStory` on the preview's channel, so Storybook tears the last story
 * down and renders, plays and checks the next — instead of loading the whole preview again for every
 * story (that took about 3.5 s a story, mostly waiting). Up to `size` pages, one story at a time each.
 * A story that means to cause console errors gets a freshly loaded preview: the elements say a
 * configuration problem once per page, and it must be said in its own story.
 */
class Previews {
  private readonly idle: Preview[] = [];
  private readonly queue: Array<() => void> = [];
  private opened = 0;
  private readonly all = new Set<Page>();

  constructor(
    private readonly query: string,
    private readonly size: number,
  ) {}

  async show(id: string): Promise<Shown> {
    const path = `/iframe.html?id=${id}&viewMode=story${this.query}`;
    let entry = this.idle.pop();
    while (!entry && this.opened >= this.size) {
      await new Promise<void>((resolve) => this.queue.push(resolve));
      entry = this.idle.pop();
    }
    if (!entry) this.opened += 1;
    try {
      if (!entry) {
        entry = await open(path);
        this.all.add(entry.page);
      } else {
        entry.errors.length = 0;
        // (The same story again would be "unchanged" for Storybook, not shown anew: a fresh load too.)
        const how = await entry.page.evaluate(`(async (id) => {
          const story = await window.__STORYBOOK_PREVIEW__.storyStoreValue.loadStory({ storyId: id });
          if ((story.parameters.portalConsoleErrors || []).length > 0 || window.__STORYBOOK_PREVIEW__.currentSelection.storyId === id) return 'reload';
          window.__portal.actions = [];
          window.__portal.finished = null;
          window.__STORYBOOK_ADDONS_CHANNEL__.emit('setCurrentStory', { storyId: id, viewMode: 'story' });
          return 'switched';
        })(${JSON.stringify(id)})`);
        if (how === 'reload') await entry.page.goto(`${origin}${path}`);
      }
      const finished = await finishedOf(entry.page, id);
      const held = entry;
      return { page: held.page, errors: held.errors, finished, release: (ok) => this.release(held, ok) };
    } catch (err) {
      await this.release(entry, false);
      throw err;
    }
  }

  private async release(entry: Preview | undefined, ok: boolean): Promise<void> {
    if (entry && ok) this.idle.push(entry);
    else {
      this.opened -= 1;
      if (entry) {
        this.all.delete(entry.page);
        await entry.page.close().catch(() => undefined);
      }
    }
    this.queue.shift()?.();
  }

  async close(): Promise<void> {
    await Promise.all([...this.all].map((p) => p.close().catch(() => undefined)));
    this.all.clear();
    this.idle.length = 0;
  }
}

/** axe-core (WCAG 2.2 A/AA) over `selector` of an open page: the violations, one line each. */
async function axe(page: Page, selector: string): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(
    `axe.run(${JSON.stringify(selector)}, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG)} } }).then((r) => r.violations.map((v) => v.id + ' ' + v.nodes.map((n) => n.target.join(' ')).join(' | ')))`,
  ) as Promise<string[]>;
}

describe('Storybook build', () => {
  test('builds, with a story for every state and a docs page for every element', () => {
    assert.equal(built, 0, 'storybook build failed');
    assert.ok(stories.length >= (only ? 1 : 40), `only ${stories.length} stories`);
    if (only) return;
    const docsTitles = docs.map(([, e]) => e.title);
    for (const el of elements) assert.ok(docsTitles.includes(`Elements/${el.tagName}`), `no docs page for <${el.tagName}>`);
  });
});

/** In the page: every alert or status region of the story (light DOM and shadow roots) drawn with no text in it. */
const EMPTY_BOXES = String.raw`(() => {
  const story = document.querySelector('#storybook-root');
  const roots = [story];
  for (let i = 0; i < roots.length; i++) for (const el of roots[i].querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
  return roots
    .flatMap((root) => [...root.querySelectorAll('[role=alert], [role=status]')])
    .filter((el) => !el.textContent.trim() && el.getBoundingClientRect().height > 0)
    .map((el) => el.cloneNode(false).outerHTML);
})()`;

/** Shows a story on one of `previews`' pages and asserts all a story must do (see the top of this file). */
async function assertStory(previews: Previews, id: string): Promise<void> {
  const { page, errors, finished, release } = await previews.show(id);
  let ok = false;
  try {
    const errorDisplay = await page.locator('.sb-show-errordisplay').count();
    // An alert or status line with nothing to say must not be drawn (an empty red or green bar).
    const emptyBoxes = (await page.evaluate(EMPTY_BOXES)) as string[];
    const a11y = finished.reports.filter((r) => r.type === 'a11y');
    const missingActions = (finished.parameters.portalActions as string[]).filter((name) => !finished.actions.includes(name));
    // A story that means to cause console errors (a configuration problem) names them: each must appear, nothing else may.
    const meant = finished.parameters.portalConsoleErrors as string[];
    const unexpected = errors.filter((e) => !meant.some((m) => e.startsWith('console: ') && e.includes(m)));
    const missingErrors = meant.filter((m) => !errors.some((e) => e.includes(m)));
    assert.deepEqual(
      {
        status: finished.status,
        phase: finished.phase,
        errorDisplay,
        errors: unexpected,
        missingErrors,
        a11yRan: a11y.length,
        violations: a11y.flatMap((r) => r.violations),
        missingActions,
        emptyBoxes,
      },
      {
        status: 'success',
        phase: 'finished',
        errorDisplay: 0,
        errors: [],
        missingErrors: [],
        a11yRan: 1,
        violations: [],
        missingActions: [],
        emptyBoxes: [],
      },
    );
    ok = true;
  } finally {
    await release(ok);
  }
}

// Stories mostly wait on timers (a story's render, play and axe run use well under half a core): each
// pass shows four at a time, on four pages that stay open.
const CONCURRENCY = Number(process.env.STORIES_CONCURRENCY ?? 4);

describe('every story', { concurrency: CONCURRENCY }, () => {
  const previews = new Previews('', CONCURRENCY);
  after(() => previews.close());
  for (const [id, entry] of stories) test(`${entry.title} / ${entry.name}`, () => assertStory(previews, id));
});

// A designer switches the toolbar on any state: each story reaches it again in French (the longest
// strings) on a dark page — play functions read the strings of the page's language.
// Every story already passed above in English and light; this pass proves the toolbar switch on a
// fixed sample of them — every element, every fourth story (the whole suite must stay under ten
// minutes on two cores). `STORIES_FULL=1` runs every story again in French and dark.
const everyFourth = stories.filter(([, e], i) => i % 4 === 0 || !stories.slice(0, i).some(([, o]) => o.title === e.title));
const frenchDark = process.env.STORIES_FULL || only ? stories : everyFourth;
describe('stories in French, dark', { concurrency: CONCURRENCY }, () => {
  const previews = new Previews('&globals=language:fr;scheme:dark', CONCURRENCY);
  after(() => previews.close());
  for (const [id, entry] of frenchDark) test(`${entry.title} / ${entry.name}`, () => assertStory(previews, id));
});

// A docs page renders every story of its element and runs axe over all of it (a core's worth): two at a time.
describe('every docs page', { concurrency: 2 }, () => {
  for (const [id, entry] of docs) {
    test(`${entry.title} / ${entry.name}`, async () => {
      const { page, errors } = await open(`/iframe.html?id=${id}&viewMode=docs`);
      try {
        await page.waitForFunction('document.querySelector("#storybook-docs .sbdocs-title") !== null', undefined, { timeout: 20_000 });
        // Every inline story of the page has rendered its element (iframed ones load on their own).
        await page.waitForFunction(
          `[...document.querySelectorAll('#storybook-docs .docs-story')].every((s) => s.querySelector('iframe') || s.querySelector('[id^="story--"] *'))`,
          undefined,
          { timeout: 20_000 },
        );
        const tag = /^Elements\/(.+)$/.exec(entry.title)?.[1];
        // The snippets' highlighter renders after the page: wait for the last one.
        if (tag)
          await page
            .waitForFunction(`document.querySelector('#storybook-docs').innerText.includes('isCustomElement')`, undefined, { timeout: 20_000 })
            .catch(() => undefined);
        const text = await page.locator('#storybook-docs').innerText();
        const el = elements.find((e) => e.tagName === tag);
        if (el) {
          // The manifest's whole story of the element is on the page.
          for (const name of [...(el.attributes ?? []), ...(el.events ?? [])].map((x) => x.name))
            assert.ok(text.includes(name), `docs of <${tag}> do not mention ${name}`);
          for (const p of el.cssParts ?? []) assert.ok(text.includes(`::part(${p.name})`), `docs of <${tag}> miss part ${p.name}`);
          for (const s of el.cssStates ?? []) assert.ok(text.includes(`:state(${s.name})`), `docs of <${tag}> miss state ${s.name}`);
          for (const c of el.cssProperties ?? []) assert.ok(text.includes(c.name), `docs of <${tag}> miss ${c.name}`);
          for (const heading of ['HTML', 'React 19', 'Vue 3']) assert.ok(text.includes(heading), `docs of <${tag}> have no ${heading} snippet`);
          assert.ok(text.includes(`<${tag}`), `docs of <${tag}> show no snippet with the tag`);
        }
        assert.deepEqual({ errors, violations: await axe(page, '#storybook-docs') }, { errors: [], violations: [] });
      } finally {
        await page.close();
      }
    });
  }
});

describe('every brand preset in both schemes passes axe', { skip: only ? 'STORIES is set' : false, concurrency: 2 }, () => {
  // States with the most colour on them: alerts, field errors, status lines, filled forms, links.
  // (Each brand's colours land on the same few roles, so five states cover them: alert, field error,
  // status line with a link, filled fields, the QR code's two colours.)
  const states = [
    'elements-portal-login--wrong-password',
    'elements-portal-signup--company-field-errors',
    'elements-portal-signup--check-your-inbox',
    'elements-purchaser-autofill--after-sign-in',
    'elements-portal-qr--portal-url',
  ];
  // The two schemes side by side, and in each every brand at once: a page per brand and scheme that
  // shows the five states one after another (pages mostly wait, as above).
  for (const scheme of ['light', 'dark']) {
    test(`every brand of the toolbar, ${scheme}`, async () => {
      // The brands are the toolbar's, as the preview declares them.
      const first = await openStory(states[0]!);
      const brands = (await first.page.evaluate(
        `window.__STORYBOOK_PREVIEW__.storyStoreValue.projectAnnotations.globalTypes.brand.toolbar.items.map((i) => i.value)`,
      )) as string[];
      await first.page.close();
      assert.ok(brands.length >= 3, `brands: ${brands.join(', ')}`);
      const problems: string[] = [];
      await Promise.all(
        brands.map(async (brand) => {
          const previews = new Previews(`&globals=brand:${brand};scheme:${scheme}`, 1);
          try {
            for (const id of states) {
              const { errors, finished, release } = await previews.show(id);
              const violations = finished.reports.filter((r) => r.type === 'a11y').flatMap((r) => r.violations);
              const ok = finished.status === 'success' && errors.length === 0 && violations.length === 0;
              if (!ok) problems.push(`${brand} ${id}: ${[finished.status, ...errors, ...violations].join('; ')}`);
              await release(ok);
            }
          } finally {
            await previews.close();
          }
        }),
      );
      assert.deepEqual(problems.sort(), []);
    });
  }
});

describe('toolbar and theme panel', { skip: only ? 'STORIES is set' : false, concurrency: CONCURRENCY }, () => {
  /** The computed background of the sign-in button and the scheme/language around it. */
  const look = (page: Page) =>
    page.evaluate(`(() => {
      const login = document.querySelector('portal-login');
      const button = login.querySelector('button[type=submit]');
      return { background: getComputedStyle(button).backgroundColor, text: button.textContent.trim(), scheme: getComputedStyle(login).colorScheme, font: getComputedStyle(login).fontFamily };
    })()`) as Promise<{ background: string; text: string; scheme: string; font: string }>;

  test('scheme, language and brand globals restyle and translate any story', async () => {
    const plain = await openStory('elements-portal-login--empty');
    const styled = await openStory('elements-portal-login--playground', '&globals=scheme:dark;language:es;brand:teal-arts');
    try {
      assert.deepEqual(await look(plain.page), {
        background: 'rgb(31, 95, 191)',
        text: 'Sign in',
        scheme: 'light',
        font: (await look(plain.page)).font,
      });
      const dark = await look(styled.page);
      // Dark teal in dark scheme is the light teal of the preset's light-dark() pair.
      assert.deepEqual(
        { background: dark.background, text: dark.text, scheme: dark.scheme },
        { background: 'rgb(111, 211, 211)', text: 'Iniciar sesión', scheme: 'dark' },
      );
      assert.match(dark.font, /Georgia/);
      assert.deepEqual(styled.errors, []);
    } finally {
      await plain.page.close();
      await styled.page.close();
    }
  });

  test('a token set through Controls (URL args) wins over the brand preset', async () => {
    const { page, errors } = await openStory(
      'elements-portal-login--playground',
      '&globals=brand:warm-choir&args=--portal-color-primary:!hex(6a1b9a)',
    );
    try {
      assert.equal((await look(page)).background, 'rgb(106, 27, 154)');
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });

  test('every --portal-* token the elements read is an editable control, colours with a colour picker', async () => {
    const { page } = await openStory('theme-all-elements--element-defaults');
    try {
      const argTypes = (await page.evaluate(`(() => {
        const story = window.__STORYBOOK_PREVIEW__.currentRender.story;
        return Object.fromEntries(Object.entries(story.argTypes).map(([k, v]) => [k, v.control && v.control.type]));
      })()`)) as Record<string, string | undefined>;
      const sources = await collectTokens();
      assert.ok(sources.length > 20, `only ${sources.length} tokens found in src/`);
      for (const name of sources) {
        assert.ok(argTypes[name], `${name} has no control`);
        if (/-color-|-qr-(dark|light)$|-color$/.test(name)) assert.equal(argTypes[name], 'color', `${name} has no colour picker`);
      }
    } finally {
      await page.close();
    }
  });

  test('the manager shows the scheme, language, brand and viewport switchers, and the phone viewport narrows the preview', async () => {
    const { page, errors } = await open('/?path=/story/elements-portal-login--playground&globals=viewport:phone');
    try {
      const toolbar = page.locator('[role=toolbar], .sb-bar').first();
      await toolbar.waitFor({ timeout: 20_000 });
      for (const title of ['Light', 'English', 'Element defaults'])
        await page
          .getByRole('button', { name: new RegExp(title) })
          .first()
          .waitFor({ timeout: 20_000 });
      const frame = page.locator('#storybook-preview-iframe');
      await frame.waitFor();
      await page.waitForFunction(`document.querySelector('#storybook-preview-iframe').getBoundingClientRect().width <= 322`, undefined, {
        timeout: 20_000,
      });
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });
});

/**
 * Every public `--portal-*` property: the tokens module's, every `var(--portal-…)` in src/, and every
 * one docs/theming.md documents (not its "Renamed" list, not those it calls internal).
 */
async function collectTokens(): Promise<string[]> {
  const names = new Set<string>();
  const tokensModule = join(ROOT, 'src/styles/tokens.ts');
  if (existsSync(tokensModule)) {
    const m = (await import(tokensModule)) as { TOKENS?: Record<string, string>; INHERITED_TOKENS?: readonly string[] };
    for (const n of [...Object.keys(m.TOKENS ?? {}), ...(m.INHERITED_TOKENS ?? [])]) names.add(`--portal-${n}`);
  }
  for (const file of readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts')) continue;
    for (const m of readFileSync(join(ROOT, 'src', file), 'utf8').matchAll(/var\((--portal-[a-z0-9-]+)/g)) names.add(m[1]!);
  }
  const internal = new Set<string>();
  for (const line of readFileSync(join(ROOT, 'docs/theming.md'), 'utf8').split('\n')) {
    const found = [...line.matchAll(/`(--portal-[a-z0-9-]+)`/g)].map((m) => m[1]!);
    if (/\binternal\b/i.test(line)) found.forEach((n) => internal.add(n));
    else if (!/renamed|→/i.test(line)) found.forEach((n) => names.add(n));
  }
  return [...names].filter((n) => !internal.has(n)).sort();
}
