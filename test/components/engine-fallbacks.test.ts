// The fallbacks of the browser features the elements use (issue 13), tested in every engine by taking
// the feature away: Web Locks (tabs take turns refreshing one token), CustomStateSet / `:state()`
// (styling hooks). Chromium 156, Firefox ESR 153 and WebKitGTK 2.50 all have both today, so without
// the stubs only the native path would ever run. Trusted Types: the strict-CSP page (csp.test.ts)
// requires them; an engine without them ignores the directive, and the same test must pass.
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/login/login.js';
import '../../src/components/provider/provider.js';
import type PortalLogin from '../../src/components/login/login.component.js';
import { override, refused } from './feature-stubs.js';
import { apiBase, clearStorage, createPerson, ORG, submit, text, type, uniqueEmail, waitUntil } from './helpers.js';

async function mount(): Promise<PortalLogin> {
  const provider = await fixture(html`<portal-provider api=${apiBase()} org=${ORG}><portal-login></portal-login></portal-provider>`);
  const login = provider.querySelector('portal-login')!;
  await waitUntil(() => login.querySelector('form') || text(login).includes('Signed in as'), '<portal-login> ready', { timeout: 8000 });
  return login;
}

/** Signs in through the form, then mounts a second provider (a widget added later): it restores the session. */
async function signInAndRestore(label: string): Promise<void> {
  const email = uniqueEmail(label);
  const password = 'correct horse battery staple';
  await createPerson({ firstName: 'Lin', lastName: 'Fallback', email, password });
  const login = await mount();
  type(login, 'input[name=email]', email);
  type(login, 'input[name=password]', password);
  submit(login);
  await waitUntil(() => text(login).includes('Signed in as Lin Fallback'), 'signed in', { timeout: 8000 });
  login.closest('portal-provider')!.remove();
  // The last provider is gone, so this one starts a new store that restores from storage (a refresh).
  const again = await mount();
  await waitUntil(() => text(again).includes('Signed in as Lin Fallback'), 'restored by a refresh', { timeout: 8000 });
  await again.session!.signOut();
}

describe('engine fallbacks', () => {
  beforeEach(() => clearStorage());
  afterEach(() => clearStorage());

  describe('Web Locks', () => {
    it('where the engine has them, refresh runs under the lock and still restores', async () => {
      await signInAndRestore('locks');
    });

    it('without navigator.locks, sign-in and the refresh on load work', async () => {
      const restore = override(navigator, 'locks', { get: () => undefined });
      try {
        expect(navigator.locks).to.equal(undefined);
        await signInAndRestore('nolocks');
      } finally {
        restore();
      }
    });

    it('when Web Locks refuse (SecurityError, storage still allowed), the refresh on load still runs, not "Loading…" forever', async () => {
      const restore = override(navigator, 'locks', {
        get: () => ({ request: () => Promise.reject(refused()), query: () => Promise.reject(refused()) }),
      });
      try {
        await signInAndRestore('refusedlocks');
      } finally {
        restore();
      }
    });
  });

  describe('CustomStateSet / :state()', () => {
    it('where the engine has them, the form exposes :state(user-invalid) after an invalid submit', async () => {
      const login = await mount();
      submit(login);
      await waitUntil(() => login.querySelector('[aria-invalid=true]'), 'invalid fields marked');
      let matches: boolean | undefined;
      try {
        matches = login.matches(':state(user-invalid)');
      } catch {
        matches = undefined; // `:state()` unsupported: nothing to check here, the next test covers it.
      }
      if (matches !== undefined) expect(matches).to.equal(true);
    });

    it('without ElementInternals.states (and without attachInternals), the form validates and signs in', async () => {
      const restores = [
        override(ElementInternals.prototype, 'states', { get: () => undefined }),
        override(HTMLElement.prototype, 'attachInternals', {
          writable: true,
          value() {
            throw new DOMException('not supported', 'NotSupportedError');
          },
        }),
      ];
      const errors: string[] = [];
      const onError = (e: ErrorEvent) => errors.push(e.message);
      addEventListener('error', onError);
      try {
        // A fresh tag: the stubs apply to element instances created from now on.
        const login = await mount();
        submit(login);
        await waitUntil(() => login.querySelector('[aria-invalid=true]'), 'invalid fields still marked (aria-invalid)');
        const email = uniqueEmail('nostates');
        await createPerson({ firstName: 'Sol', lastName: 'Plain', email, password: 'correct horse battery staple' });
        type(login, 'input[name=email]', email);
        type(login, 'input[name=password]', 'correct horse battery staple');
        submit(login);
        await waitUntil(() => text(login).includes('Signed in as Sol Plain'), 'signed in', { timeout: 8000 });
        expect(errors).to.deep.equal([]);
        await login.session!.signOut();
      } finally {
        removeEventListener('error', onError);
        for (const restore of restores.reverse()) restore();
      }
    });
  });
});
