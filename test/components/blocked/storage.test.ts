// Run only by the `storage-blocked` group of web-test-runner.config.mjs, in browsers set to refuse
// site data: Firefox with network.cookie.cookieBehavior = 2 ("block all cookies"), Chromium with the
// cookies-and-site-data content setting blocked. Nothing on this page is stubbed.
import { expect } from '@open-wc/testing';
import { spyWarnings, storageRefusedChecks } from '../storage-refused-checks.js';

describe('storage refused by the browser settings', () => {
  const spy = spyWarnings();
  after(() => spy.restore());

  it('this browser really refuses site storage', () => {
    expect(() => {
      window.localStorage.setItem('portal-widgets:check', '1');
      window.sessionStorage.setItem('portal-widgets:check', '1');
    }).to.throw();
  });

  storageRefusedChecks(spy.warnings);
});
