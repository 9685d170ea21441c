// Types of pglite-template.mjs for the TypeScript scripts and tests.
export declare function pgliteTemplate(): Promise<string>;
export declare function pgliteCopy(): Promise<{ dir: string; remove(): void }>;
