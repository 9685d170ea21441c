/**
 * The typed error of every portal API call. Kept apart from `client.ts` (ky + zod), so elements can
 * check errors without loading the client before it is needed.
 */
import type { ErrorCode, FieldErrorCode } from './contract.js';

/** Error codes an element may meet: the server's, plus the two the network produces. */
export type ClientErrorCode = ErrorCode | 'network_error' | 'timeout';

/** Every failure of a `PortalApi` call. `message` is developer text; never show it to people. */
export class PortalApiError extends Error {
  override readonly name = 'PortalApiError';
  constructor(
    readonly code: ClientErrorCode,
    readonly status = 0,
    readonly fields?: Readonly<Record<string, FieldErrorCode>>,
    /** Seconds to wait, from `Retry-After` on `rate_limited`. */
    readonly retryAfter?: number,
    /** The underlying failure, for debugging. */
    cause?: unknown,
  ) {
    super(code, cause === undefined ? undefined : { cause });
  }
}
