import { html, nothing, svg, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { PortalApiError } from '../../api/errors.js';
import { loadApi } from '../../api/load.js';
import { extendTranslation, LocalizeController } from '../../internal/localize.js';
import { PortalElement } from '../../internal/portal-element.js';
import { consumeConfig, type PortalConfig } from '../../session/context.js';
import { SessionStore } from '../../session/store.js';
import enQr from '../../translations/en-qr.js';
import styles from './qr.styles.js';

extendTranslation('en', enQr);

/** The configuration check (src/internal/config-check.ts), loaded only when something is wrong. */
const loadConfigCheck = () => import('../../internal/config-check.js');

type QrCreate = typeof import('qrcode/lib/core/qrcode.js').create;

interface Matrix {
  size: number;
  data: ArrayLike<number>;
}

/** Builds one SVG path (a square per dark module) from a QR matrix. */
export function matrixPath(m: Matrix, margin: number): string {
  let d = '';
  for (let y = 0; y < m.size; y++) {
    for (let x = 0; x < m.size; x++) {
      if (m.data[y * m.size + x]) d += `M${x + margin} ${y + margin}h1v1h-1z`;
    }
  }
  return d;
}

/**
 * @summary A QR code of the organization's portal URL, or of any `value`.
 * @tagname portal-qr
 * @status experimental
 * @since 0.1
 * @csspart base - The SVG image.
 * @csspart loading - The "Loading…" line shown until the code is drawn.
 * @csspart error - The message shown when the portal URL could not be loaded.
 * @cssproperty --portal-qr-size - Rendered size (default 12rem).
 * @cssproperty --portal-qr-dark - Color of dark modules.
 * @cssproperty --portal-qr-light - Background color.
 */
export default class PortalQr extends PortalElement {
  static override styles = styles;
  static override get properties(): PropertyDeclarations {
    return {
      config: { state: true, attribute: false },
      matrix: { state: true, attribute: false },
      url: { state: true, attribute: false },
      failed: { state: true, attribute: false },
      unavailable: { state: true, attribute: false },
      value: {},
      label: {},
    };
  }

  private readonly localize = new LocalizeController(this);
  private request = 0;

  config?: PortalConfig;

  private matrix?: Matrix;
  private url = '';
  private failed?: PortalApiError;
  /** The element cannot work here (missing or wrong configuration, no API): the console says why. */
  private unavailable = false;

  /** Text to encode; when empty, the portal URL of the organization. */
  value = '';
  /** Accessible label; defaults to "QR code for <url>". */
  label = '';

  constructor() {
    super();
    consumeConfig(this);
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('value') || changed.has('config') || changed.has('api') || changed.has('org')) void this.load();
  }

  private async load(): Promise<void> {
    const request = ++this.request;
    this.failed = undefined;
    this.unavailable = false;
    try {
      let url = this.value;
      if (!url) {
        const session = this.config?.session;
        const api =
          session instanceof SessionStore
            ? await session.api()
            : this.api && this.org
              ? new (await loadApi()).PortalApi({ api: this.api, org: this.org })
              : undefined;
        if (!api) {
          // Judged after this task: a provider may upgrade, or a framework set the attributes, right after connecting.
          setTimeout(() => {
            if (request !== this.request || !this.isConnected || this.value || this.config) return;
            const provider = this.closest('portal-provider');
            void loadConfigCheck().then((m) => {
              m.missingConfig(
                'portal-qr',
                provider ? 'incomplete' : 'none',
                provider?.getAttribute('api') ?? this.api,
                provider?.getAttribute('org') ?? this.org,
              );
              if (request === this.request) this.unavailable = true;
            });
          });
          return;
        }
        url = (await api.portal()).portalUrl;
      }
      // The core encoder only (CommonJS: bundlers give `create` as a named or a default member).
      const mod = (await import('qrcode/lib/core/qrcode.js')) as { create?: QrCreate; default?: { create: QrCreate } };
      const create = (mod.create ?? mod.default?.create)!;
      const { modules } = create(url, { errorCorrectionLevel: 'M' });
      if (request !== this.request) return;
      this.url = url;
      this.matrix = { size: modules.size, data: modules.data };
    } catch (error) {
      if (request !== this.request) return;
      this.failed = error instanceof PortalApiError ? error : new PortalApiError('server_error');
      // No answer, or the portal is gone: ask what is wrong, and say so in the console.
      const api = this.config?.api ?? this.api;
      const org = this.config?.org ?? this.org;
      if (['network_error', 'not_found', 'origin_not_allowed'].includes(this.failed.code) && api && org && this.config?.checkConfig !== false) {
        const problem = await (await loadConfigCheck()).checkPortal(api, org).catch(() => undefined);
        // A wrong slug or a refused origin keeps its own message ("We could not find this portal."); an API
        // that is not there gets the general one.
        if (problem?.code === 'api_unreachable' && request === this.request) this.unavailable = true;
      }
    }
  }

  override render(): TemplateResult {
    if (this.unavailable) return html`<p part="error" role="status">${this.localize.term('unavailable')}</p>`;
    if (this.failed) return html`<p part="error" role="alert">${this.localize.table('errors', this.failed.code)}</p>`;
    const m = this.matrix;
    if (!m) return html`<p part="loading" role="status">${this.localize.term('loading')}</p>`;
    const margin = 4;
    const size = m.size + margin * 2;
    return html`<svg
      part="base"
      role="img"
      aria-label=${this.label || this.localize.term('qrLabel', this.url)}
      viewBox=${`0 0 ${size} ${size}`}
      shape-rendering="crispEdges"
      xmlns="http://www.w3.org/2000/svg"
    >
      ${svg`<rect class="light" width=${size} height=${size}></rect><path class="dark" d=${matrixPath(m, margin)}></path>`}
    </svg>${nothing}`;
  }
}
