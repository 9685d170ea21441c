/**
 * The elements inside a framework: React 19 and Vue 3 render `<portal-provider>` and `<portal-login>`
 * from their own templates, the person signs in through the light-DOM form, and the framework's state
 * hears `portal-signed-in` / `portal-signed-out` through its ordinary event binding.
 */
import { expect } from '@open-wc/testing';
import { createApp, type App } from 'vue/dist/vue.esm-browser.js';
import '../../src/index.js';
import { renderReactLogin } from '../fixtures/frameworks/react-login.js';
import { apiBase, clearStorage, createPerson, ORG, submit, type, uniqueEmail, waitUntil } from './helpers.js';

const PASSWORD = 'correct horse battery staple';

async function signInThenOut(container: HTMLElement, firstName: string, email: string): Promise<void> {
  await waitUntil(() => container.querySelector('portal-login form input[name=email]'), 'login rendered by the framework', { timeout: 10000 });
  const login = container.querySelector('portal-login')!;
  await expect(login).to.be.accessible();
  expect(container.querySelector('.greeting')!.textContent).to.equal('Nobody is signed in');
  type(login, 'input[name=email]', email);
  type(login, 'input[name=password]', PASSWORD);
  submit(login);
  await waitUntil(() => container.querySelector('.greeting')!.textContent === `Hello ${firstName}`, 'framework state updated by portal-signed-in', {
    timeout: 10000,
  });
  const signOut = [...login.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Sign out');
  expect(signOut, 'sign-out button').to.exist;
  signOut!.click();
  await waitUntil(() => container.querySelector('.greeting')!.textContent === 'Nobody is signed in', 'framework state updated by portal-signed-out', {
    timeout: 10000,
  });
}

describe('inside a framework', () => {
  // Other files sign in with "Keep me signed in" (localStorage, shared by every page of this origin):
  // start each test signed out, and leave nothing behind.
  beforeEach(() => clearStorage());
  afterEach(() => clearStorage());

  it('React 19: renders the elements and hears their events', async () => {
    const email = uniqueEmail('react');
    await createPerson({ firstName: 'Reagan', lastName: 'Hooks', email, password: PASSWORD });
    const container = document.createElement('div');
    document.body.append(container);
    const unmount = renderReactLogin(container, { api: apiBase(), org: ORG });
    try {
      await signInThenOut(container, 'Reagan', email);
    } finally {
      unmount();
      container.remove();
    }
  });

  it('Vue 3: renders the elements and hears their events', async () => {
    const email = uniqueEmail('vue');
    await createPerson({ firstName: 'Vera', lastName: 'Model', email, password: PASSWORD });
    const container = document.createElement('div');
    document.body.append(container);
    const app: App = createApp({
      data: () => ({ api: apiBase(), org: ORG, name: '' }),
      template: `
        <portal-provider :api="api" :org="org">
          <p class="greeting">{{ name ? 'Hello ' + name : 'Nobody is signed in' }}</p>
          <portal-login
            @portal-signed-in="name = $event.detail.profile.constituent.firstName"
            @portal-signed-out="name = ''"></portal-login>
        </portal-provider>`,
    });
    app.config.compilerOptions.isCustomElement = (tag: string) => tag.startsWith('portal-') || tag === 'purchaser-autofill';
    app.mount(container);
    try {
      await signInThenOut(container, 'Vera', email);
    } finally {
      app.unmount();
      container.remove();
    }
  });
});
