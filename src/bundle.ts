/**
 * Entry of `dist/portal-widgets.bundle.js` (`vite build --mode bundle`): one self-contained file that
 * defines all five elements (provider, login, sign-up, QR, purchaser autofill) with every step and
 * language inlined, for hosts that can upload a single file. Exports what the lazy entry exports.
 */
import './index.js';
import './components/signup/signup.js';
import './components/qr/qr.js';

export * from './index.js';
