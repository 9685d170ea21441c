import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/provider/provider.js';
import '../../src/components/qr/qr.js';
import type PortalQr from '../../src/components/qr/qr.component.js';
import { apiBase, ORG, waitUntil } from './helpers.js';

describe('<portal-qr>', () => {
  it('renders a value as an SVG image with a label', async () => {
    const el = await fixture<PortalQr>(html`<portal-qr value="https://example.org/portal"></portal-qr>`);
    await waitUntil(() => el.shadowRoot!.querySelector('svg'), 'svg rendered');
    await expect(el).to.be.accessible();
    const svg = el.shadowRoot!.querySelector('svg')!;
    expect(svg.getAttribute('role')).to.equal('img');
    expect(svg.getAttribute('aria-label')).to.equal('QR code for https://example.org/portal');
    expect(svg.querySelector('path')!.getAttribute('d')!.length).to.be.greaterThan(100);
  });

  it('encodes the organization portal URL from the API', async () => {
    const provider = await fixture(html`<portal-provider api=${apiBase()} org=${ORG}><portal-qr></portal-qr></portal-provider>`);
    const el = provider.querySelector('portal-qr')!;
    await waitUntil(() => el.shadowRoot!.querySelector('svg'), 'svg rendered', { timeout: 5000 });
    await expect(el).to.be.accessible();
    const info = (await (await fetch(`${apiBase()}v1/orgs/${ORG}/portal`)).json()) as { portalUrl: string };
    expect(el.shadowRoot!.querySelector('svg')!.getAttribute('aria-label')).to.equal(`QR code for ${info.portalUrl}`);
  });

  it('shows a kind message for an unknown organization', async () => {
    const el = await fixture<PortalQr>(html`<portal-qr api=${apiBase()} org="no-such-org"></portal-qr>`);
    await waitUntil(() => el.shadowRoot!.querySelector('[role=alert]'), 'error shown', { timeout: 5000 });
    await expect(el).to.be.accessible();
    // The API makes an unknown org's 404 readable (issue 11), so this is "could not find this portal"; an
    // API that strips that header would give a network error.
    const message = el.shadowRoot!.querySelector('[role=alert]')!.textContent!;
    expect(message).to.match(/could not (find this portal|reach the server)/);
    expect(message).not.to.match(/not_found|network_error/);
  });
});
