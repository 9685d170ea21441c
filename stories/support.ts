/**
 * What every story file shares: a meta that renders the element from its manifest-driven args, the
 * English strings the play functions expect (from the translation modules, so a reworded message is
 * not a broken story), and waiting for an element's form.
 */
import type { Meta } from '@storybook/web-components-vite';
import { waitFor } from 'storybook/test';
import { renderElement } from '../.storybook/manifest.ts';
import en from '../src/translations/en.ts';
import enMore from '../src/translations/en-more.ts';
import enQr from '../src/translations/en-qr.ts';
import enSteps from '../src/translations/en-steps.ts';
import es from '../src/translations/es.ts';
import fr from '../src/translations/fr.ts';

/** English, as the elements show it: the first load plus what loads with the API client, the steps and the QR code. */
const english = { ...en, ...enMore, ...enSteps, ...enQr, errors: { ...en.errors, ...enMore.errors } };
export type Strings = typeof english;
const LANGUAGES: Record<string, Strings> = { en: english, es, fr };

/**
 * The strings the elements of a story show, so a play function reaches its state in whatever
 * language the toolbar chose: for the story's root, the language of the page around the story; for
 * an element, its own `lang` or its nearest ancestor's.
 */
export function strings(node: Element): Strings {
  return LANGUAGES[languageOf(node)] ?? english;
}

/** The base language (`en`, `es`, `fr`) {@link strings} picks for `node`. */
export function languageOf(node: Element): string {
  const page = node.querySelector('.portal-story[lang]');
  const lang = (page ?? node.closest('[lang]:not([lang=""])'))?.getAttribute('lang') ?? 'en';
  return lang.toLowerCase().split('-')[0]!;
}

/** A RegExp for a message with a number in it, e.g. `t.resendIn` → "…in \d+ s". */
export function pattern(message: (n: number) => string): RegExp {
  return new RegExp(
    message(987654)
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .replace('987654', '\\d+'),
  );
}

/** A meta's `render` for `tag`: args are its attributes and properties (controls from the manifest). */
export function renderOf(tag: string): NonNullable<Meta['render']> {
  return (args) => renderElement(tag, args);
}

/**
 * The story's `tag` element, once it has rendered `what` (its form, by default) in its language:
 * Spanish and French load on demand, so an element first draws English for a moment.
 */
export function ready(root: HTMLElement, tag: string, what = 'form'): Promise<HTMLElement> {
  return waitFor(() => {
    const el = root.querySelector<HTMLElement>(tag);
    const shown = el?.querySelector(what === 'form' ? 'form button[type=submit]' : what);
    if (!el || !shown) throw new Error(`${tag} has no ${what} yet`);
    const texts = new Set(Object.values(strings(el)).filter((v): v is string => typeof v === 'string'));
    if (!texts.has(shown.textContent?.trim() ?? '')) throw new Error(`${tag} is not in ${languageOf(el)} yet`);
    return el;
  });
}

export const alertText = (el: HTMLElement) => el.querySelector('[role=alert]')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

/** Story parameter read by the story test: these events must reach the Actions panel. */
export const expectActions = (...names: string[]) => ({ portalActions: names });

/**
 * Story parameter read by the story test: the console errors this story means to cause (substrings),
 * e.g. the elements' loud configuration errors. Each must appear; any other error still fails. Such a
 * story stays off its docs page (`!autodocs`), where the page's own console must stay clean.
 */
export const expectConsoleErrors = (...texts: string[]) => ({ portalConsoleErrors: texts });
