// Mocha's globals as web-test-runner provides them (no @types/mocha in this repo).
type MochaDone = (error?: unknown) => void;
type MochaFn = (this: { timeout(ms: number): void }, done: MochaDone) => void | Promise<unknown>;
type MochaAsyncFn = (this: { timeout(ms: number): void }) => void | Promise<unknown>;
declare function describe(title: string, fn: (this: { timeout(ms: number): void }) => void): void;
declare function it(title: string, fn?: MochaFn | MochaAsyncFn): void;
declare namespace it {
  function skip(title: string, fn?: MochaFn | MochaAsyncFn): void;
  function only(title: string, fn?: MochaFn | MochaAsyncFn): void;
}
declare function before(fn: MochaFn | MochaAsyncFn): void;
declare function after(fn: MochaFn | MochaAsyncFn): void;
declare function beforeEach(fn: MochaFn | MochaAsyncFn): void;
declare function afterEach(fn: MochaFn | MochaAsyncFn): void;
