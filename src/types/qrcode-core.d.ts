/**
 * `qrcode`'s core encoder alone (no canvas/SVG/PNG renderers, ~1.6 kB gzip smaller than the
 * package's browser build): `<portal-qr>` draws its own SVG from the module matrix.
 */
declare module 'qrcode/lib/core/qrcode.js' {
  export function create(
    text: string,
    options?: { errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H'; version?: number },
  ): { modules: { size: number; data: Uint8Array } };
}
