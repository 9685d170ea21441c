import { expect } from '@open-wc/testing';
import { createPerson, submit, text, type, uniqueEmail, waitUntil } from './helpers.js';

describe('strict Content-Security-Policy', () => {
  it('renders, loads lazily and signs in with no CSP violation', async () => {
    const email = uniqueEmail('csp');
    await createPerson({ firstName: 'Strict', lastName: 'Policy', email, password: 'correct horse battery staple' });
    const frame = document.createElement('iframe');
    frame.title = 'strict CSP page';
    frame.src = '/__csp/page.html';
    frame.style.width = '40rem';
    frame.style.height = '40rem';
    document.body.append(frame);
    try {
      await waitUntil(() => frame.contentDocument?.querySelector('portal-login form'), 'login rendered', { timeout: 10000 });
      const doc = frame.contentDocument!;
      const win = frame.contentWindow as unknown as { __cspViolations: string[] };
      const login = doc.querySelector('portal-login')!;
      await waitUntil(() => doc.querySelector('portal-qr')?.shadowRoot?.querySelector('svg'), 'qr rendered', { timeout: 10000 });
      // The document stylesheet is adopted (no <style> element) and applies.
      const input = login.querySelector<HTMLInputElement>('input[name=email]')!;
      expect(frame.contentWindow!.getComputedStyle(input).minHeight).to.equal('44px');
      type(login, 'input[name=email]', email);
      type(login, 'input[name=password]', 'correct horse battery staple');
      submit(login);
      await waitUntil(() => text(login).includes('Signed in as Strict Policy'), 'signed in', { timeout: 10000 });
      expect(win.__cspViolations).to.deep.equal([]);
      // Where the engine has Trusted Types the page enforces them (so the run above used lit's policy
      // only); where it has none, the directive is ignored and the elements work the same.
      if ('trustedTypes' in frame.contentWindow!) {
        expect(() => {
          doc.createElement('div').innerHTML = '<b>raw</b>';
        }, 'Trusted Types are enforced on this page').to.throw();
      }
    } finally {
      frame.remove();
    }
  });
});
