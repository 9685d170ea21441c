/**
 * What every story file shares: a meta that renders the element from its manifest-driven args, the
 * English strings the play functions expect (from the translation modules, so a reworded message is
 * not a broken story), and waiting for an element's form.
 */
import type { Meta } from '@storybook/web-components-vite';
import { waitFor } from 'storybook/test';
import { renderElement } from '../.storybook/manifest.ts';
import en from '../src/translations/en.ts';
import enSteps from '../src/translations/en-steps.ts';

/** English, as the elements show it (first load plus the lazily loaded steps). */
export const t = { ...en, ...enSteps };

/** A meta's `render` for `tag`: args are its attributes and properties (controls from the manifest). */
export function renderOf(tag: string): NonNullable<Meta['render']> {
  return (args) => renderElement(tag, args);
}

/** The story's `tag` element, once it has rendered a form. */
export function ready(root: HTMLElement, tag: string, what = 'form'): Promise<HTMLElement> {
  return waitFor(() => {
    const el = root.querySelector<HTMLElement>(tag);
    if (!el?.querySelector(what)) throw new Error(`${tag} has no ${what} yet`);
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
