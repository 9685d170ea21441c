import type { Translation } from './en.js';

/** English of `<portal-qr>`, which loads with the element (see `en-steps.ts`). */
const enQr: Pick<Translation, 'qrLabel'> = {
  qrLabel: (url) => `QR code for ${url}`,
};

export default enQr;
