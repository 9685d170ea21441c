// Debian's Chromium and the flags it needs here, in one place for every runner: web-test-runner's
// config (plain .mjs) imports this file, and the TypeScript scripts re-export it (browser.ts).
// Tools that download their own browser do not work on this machine; Chromium runs headless as
// root, and the network flags keep it from trying to reach outside hosts.

/** Path of the Chromium binary (Debian's package), overridable with CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Launch flags. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless=new',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
