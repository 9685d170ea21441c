// Types of engines.mjs for the TypeScript scripts and tests.
export declare const FIREFOX_PATH: string;
export declare const WEBKIT_DRIVER_PATH: string;
export declare const MINIBROWSER_PATH: string;
export declare const FIREFOX_DARK: Record<string, number>;
export declare const FIREFOX_BLOCK_STORAGE: Record<string, number>;
export declare function firefoxPrefs(extra?: Record<string, unknown>): Record<string, unknown>;
export declare function firefoxLaunchOptions(extraPrefs?: Record<string, unknown>): {
  browser: 'firefox';
  executablePath: string;
  headless: boolean;
  extraPrefsFirefox: Record<string, unknown>;
};
export declare function freePort(): Promise<number>;
export declare function xDisplay(): Promise<string>;
export declare function startWebKitDriver(): Promise<{ port: number; stop(): void }>;
export declare const WEBKIT_BLOCK_STORAGE: string[];
export declare function webkitCapabilities(options?: { dark?: boolean; blockStorage?: boolean }): {
  browserName: string;
  'webkitgtk:browserOptions': { binary: string; args: string[] };
  'wdio:enforceWebDriverClassic': boolean;
};
