/** Debian's Chromium for playwright-core; the flags live in chromium.mjs, shared with web-test-runner. */
export { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';
