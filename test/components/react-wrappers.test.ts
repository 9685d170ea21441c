/**
 * `portal-widgets/react` (issue 11): the @lit/react wrappers render the real elements, pass properties
 * (`withoutCard`), and call the typed `onPortal…` props when the elements fire their events, against the
 * real API. React is served as one ESM bundle by web-test-runner.config.mjs (plugin `reactEsm`).
 */
import { expect } from '@open-wc/testing';
import * as React from 'react';
import { createRoot } from 'react-dom/client';
import { ELEMENT_EVENTS } from '../../src/elements.js';
import * as wrappers from '../../src/react/index.js';
import { PortalLogin, PortalProvider } from '../../src/react/index.js';
import { apiBase, clearStorage, createPerson, ORG, submit, type, uniqueEmail, waitUntil } from './helpers.js';

const PASSWORD = 'correct horse battery staple';

describe('portal-widgets/react', () => {
  beforeEach(() => clearStorage());
  afterEach(() => clearStorage());

  it('has a wrapper per element, with one onPortal… prop per event of the event table', () => {
    expect(Object.keys(wrappers).sort()).to.deep.equal(['PortalLogin', 'PortalProvider', 'PortalQr', 'PortalSignup', 'PurchaserAutofill']);
    expect(Object.values(ELEMENT_EVENTS).flat()).to.include('portal-signed-in');
  });

  it('renders the elements, sets properties, and calls onPortalSignedIn / onPortalSignedOut', async () => {
    const email = uniqueEmail('react-wrapper');
    await createPerson({ firstName: 'Wren', lastName: 'Wrapper', email, password: PASSWORD });
    const container = document.createElement('div');
    document.body.append(container);
    const heard: string[] = [];
    const root = createRoot(container);
    root.render(
      React.createElement(
        PortalProvider,
        { api: apiBase(), org: ORG },
        React.createElement(PortalLogin, {
          withoutCard: true,
          onPortalSignedIn: (e) => heard.push(`in:${e.detail.profile.constituent.firstName}`),
          onPortalSignedOut: () => heard.push('out'),
        }),
      ),
    );
    try {
      await waitUntil(() => container.querySelector('portal-login form input[name=email]'), 'login rendered by React', { timeout: 10000 });
      const login = container.querySelector('portal-login')!;
      expect(login.hasAttribute('without-card'), 'withoutCard set as a property (it reflects)').to.equal(true);
      type(login, 'input[name=email]', email);
      type(login, 'input[name=password]', PASSWORD);
      submit(login);
      await waitUntil(() => heard.includes('in:Wren'), 'onPortalSignedIn called', { timeout: 10000 });
      [...login.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Sign out')!.click();
      await waitUntil(() => heard.includes('out'), 'onPortalSignedOut called', { timeout: 10000 });
      expect(heard).to.deep.equal(['in:Wren', 'out']);
    } finally {
      root.unmount();
      container.remove();
    }
  });
});
