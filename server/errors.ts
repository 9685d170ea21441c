/** API errors with stable codes (contract `ERROR_CODES`) and zod issues mapped to field codes. */
import type { ErrorCode, FieldErrorCode } from '../src/api/contract.ts';
import { FIELD_ERROR_CODES } from '../src/api/contract.ts';

const STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  invalid_credentials: 401,
  token_invalid: 400,
  rate_limited: 429,
  origin_not_allowed: 403,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unauthorized: 401,
  not_found: 404,
  server_error: 500,
};

const DEFAULT_MESSAGE: Record<ErrorCode, string> = {
  invalid_input: 'The request is not valid.',
  invalid_credentials: 'The email or password is not correct.',
  token_invalid: 'The link is invalid, expired or already used.',
  rate_limited: 'Too many attempts; try again later.',
  origin_not_allowed: 'This origin is not allowed for this organization.',
  payload_too_large: 'The request body is too large.',
  unsupported_media_type: 'Send JSON with Content-Type: application/json.',
  unauthorized: 'Sign in first.',
  not_found: 'Not found.',
  server_error: 'Something went wrong.',
};

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly fields?: Record<string, FieldErrorCode>,
    readonly retryAfter?: number,
  ) {
    super(message ?? DEFAULT_MESSAGE[code]);
    this.status = STATUS[code];
  }

  body(): { error: { code: ErrorCode; message: string; fields?: Record<string, FieldErrorCode> } } {
    return { error: { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) } };
  }
}

const FIELD_CODES = new Set<string>(FIELD_ERROR_CODES);

interface IssueLike {
  code: string;
  path: PropertyKey[];
  message: string;
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let v = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** zod issues → `fields`: the issue message is already a field code; missing values → `required`. */
export function fieldsFromIssues(issues: readonly IssueLike[], input: unknown): Record<string, FieldErrorCode> {
  const fields: Record<string, FieldErrorCode> = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join('.') || '_';
    if (fields[key]) continue;
    let code: FieldErrorCode;
    if (issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined) code = 'required';
    else if (FIELD_CODES.has(issue.message)) code = issue.message as FieldErrorCode;
    else if (issue.code === 'invalid_value') code = 'invalid_choice';
    else if (issue.code === 'invalid_format' && issue.path.at(-1) === 'email') code = 'invalid_email';
    else code = 'invalid';
    fields[key] = code;
  }
  return fields;
}
