// Shared helpers of the element tests: the real API started by web-test-runner.config.mjs.
import { waitUntil as openWcWaitUntil } from '@open-wc/testing';
import { OutboxList } from '../../src/api/contract.js';

export const ORG = 'riverside-arts';

/**
 * open-wc's `waitUntil` with a 5 s default instead of 1 s: these tests wait on a real API, real
 * password hashes and lazily loaded chunks, and on a busy 2-core machine running three engines a
 * sign-in can take longer than a second (issue 13). What is waited for is unchanged; a test that
 * means a deadline passes its own `timeout`.
 */
export function waitUntil(predicate: () => unknown, message?: string, options: { interval?: number; timeout?: number } = {}): Promise<void> {
  return openWcWaitUntil(predicate, message, { timeout: 5000, ...options });
}

/** Base URL of the reference API under test (ends with `/`). */
export function apiBase(): string {
  const url = (globalThis as { __PORTAL_API__?: string }).__PORTAL_API__;
  if (!url) throw new Error('window.__PORTAL_API__ is not set: run the tests through web-test-runner.config.mjs');
  return url;
}

let counter = 0;
/** A fresh email address for one test. */
export function uniqueEmail(label = 'test'): string {
  counter += 1;
  return `${label}.${Date.now().toString(36)}.${counter}.${Math.random().toString(36).slice(2, 7)}@example.com`;
}

/** Forget every stored session between tests. */
export function clearStorage(): void {
  for (const storage of [localStorage, sessionStorage]) {
    for (const key of Object.keys(storage)) if (key.startsWith('portal-widgets:')) storage.removeItem(key);
  }
  if (location.hash) history.replaceState(history.state, '', `${location.pathname}${location.search}`);
}

/** Creates a signed-up person directly (dev fixture endpoint). */
export async function createPerson(person: {
  firstName: string;
  lastName: string;
  email: string;
  password?: string;
  membership?: { name: string; status: 'current' | 'expired' };
}): Promise<{ constituentId: string; accountId?: string }> {
  const res = await fetch(`${apiBase()}dev/orgs/${ORG}/fixtures`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(person),
  });
  if (!res.ok) throw new Error(`fixture failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { constituentId: string; accountId?: string };
}

/** Waits for the newest emailed link with a token for `email`; returns its fragment. */
export async function emailedFragment(email: string, flow: 'signup' | 'reset', timeoutMs = 8000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  const pattern = new RegExp(`#portal-token=([A-Za-z0-9_-]+)&portal-flow=${flow}`);
  while (Date.now() < deadline) {
    const res = await fetch(`${apiBase()}dev/outbox?to=${encodeURIComponent(email)}`);
    if (res.ok) {
      const list = OutboxList.parse(await res.json());
      for (const message of list.messages) {
        const match = pattern.exec(message.text) ?? pattern.exec(message.html ?? '');
        if (match) return `#portal-token=${match[1]}&portal-flow=${flow}`;
      }
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`no ${flow} link emailed to ${email}`);
}

/** Counts the messages sent to `email`. */
export async function outboxCount(email: string): Promise<number> {
  const res = await fetch(`${apiBase()}dev/outbox?to=${encodeURIComponent(email)}`);
  return OutboxList.parse(await res.json()).messages.length;
}

/** Sets a light-DOM input's value the way typing does. */
export function type(root: ParentNode, selector: string, value: string): HTMLInputElement {
  const input = root.querySelector<HTMLInputElement>(selector);
  if (!input) throw new Error(`no ${selector}`);
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  return input;
}

/** Clicks the form's submit button. */
export function submit(root: ParentNode): void {
  const button = root.querySelector<HTMLButtonElement>('form button[type=submit]');
  if (!button) throw new Error('no submit button');
  button.click();
}

/** Visible text of the element's light DOM, whitespace collapsed. */
export function text(el: Element): string {
  return (el.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** Base URL of the second reference API, which runs with rate limits on (real `429` + `Retry-After`). */
export function rateLimitedApiBase(): string {
  const url = (globalThis as { __PORTAL_API_RATE_LIMITED__?: string }).__PORTAL_API_RATE_LIMITED__;
  if (!url) throw new Error('window.__PORTAL_API_RATE_LIMITED__ is not set: run the tests through web-test-runner.config.mjs');
  return url;
}
