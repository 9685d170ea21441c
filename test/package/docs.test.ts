/**
 * The integrator docs and the one tokens module agree with the code (issue 11): every translation key
 * is documented (and nothing else), every event is in the events page, the theming page's token table
 * equals src/styles/tokens.ts, and no stylesheet in src/ writes a theme token's default by hand.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { ELEMENT_EVENTS } from '../../src/elements.ts';
import { INHERITED_TOKENS, TOKENS } from '../../src/styles/tokens.ts';
import { END, START, translationRows } from '../../scripts/docs-translations.ts';
import { ROOT } from '../../scripts/lib/proc.ts';

const doc = (name: string) => readFileSync(join(ROOT, 'docs', name), 'utf8');

describe('integrator docs', () => {
  test('docs/translations.md lists every translation key, with its English (npm run docs:translations)', () => {
    const block = doc('translations.md').split(START)[1]!.split(END)[0]!;
    const documented = [...block.matchAll(/^\| `([^`]+)`\s*\|/gm)].map((m) => m[1]!).sort();
    assert.deepEqual(
      documented,
      translationRows()
        .map(([k]) => k)
        .sort(),
    );
  });

  test('docs/events.md describes every event of every element', () => {
    const page = doc('events.md');
    for (const [tag, events] of Object.entries(ELEMENT_EVENTS)) {
      for (const event of events) {
        const row = page.split('\n').find((l) => new RegExp(`^\\| \`${event}\`\\s*\\|`).test(l));
        assert.ok(row, `${event} has a row`);
        assert.ok(row.includes(`<${tag}>`), `${event}'s row names <${tag}>`);
      }
    }
  });

  test('docs/theming.md lists every theme token with the defaults of src/styles/tokens.ts', () => {
    const rows = new Map(
      [...doc('theming.md').matchAll(/^\| `--portal-([\w-]+)`\s*\| [^|]+ \| ([^|]+) \| ([^|]+) \|$/gm)].map((m) => [
        m[1]!,
        [m[2]!.trim(), m[3]!.trim()],
      ]),
    );
    for (const [name, value] of Object.entries(TOKENS)) {
      const m = /^light-dark\((.+?), (.+)\)$/.exec(value);
      const [light, dark] = m ? [m[1]!, m[2]!] : [value, value];
      assert.deepEqual(rows.get(name), [`\`${light}\``, `\`${dark}\``], `--portal-${name}`);
    }
    for (const name of INHERITED_TOKENS) assert.ok(rows.has(name), `--portal-${name}`);
  });

  test('pages for plain HTML, WordPress, React, Vue and the session exist and link each other', () => {
    for (const page of ['html.md', 'wordpress.md', 'react.md', 'vue.md', 'events.md', 'translations.md', 'session.md', 'theming.md'])
      assert.ok(doc(page).length > 500, page);
    assert.match(doc('vue.md'), /isCustomElement: \(tag\) => tag\.startsWith\('portal-'\) \|\| tag === 'purchaser-autofill'/);
    assert.equal(
      readFileSync(join(ROOT, 'test/fixtures/consumers/vue-ts/vite.config.ts'), 'utf8').includes(
        "isCustomElement: (tag) => tag.startsWith('portal-') || tag === 'purchaser-autofill'",
      ),
      true,
      'the Vue fixture builds with the documented setting',
    );
  });
});

describe('one tokens module', () => {
  test('no stylesheet in src/ writes a theme token default by hand (they all read tokens.ts)', () => {
    const names = [...Object.keys(TOKENS), ...INHERITED_TOKENS];
    const pattern = new RegExp(`var\\(--portal-(${names.join('|')}),`, 'g');
    const scan = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? scan(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
      );
    const found: string[] = [];
    for (const file of scan(join(ROOT, 'src'))) {
      const rel = relative(ROOT, file);
      if (rel === 'src/styles/tokens.ts') continue;
      for (const m of readFileSync(file, 'utf8').matchAll(pattern)) found.push(`${rel}: ${m[0]}`);
    }
    assert.deepEqual(found, []);
  });
});
