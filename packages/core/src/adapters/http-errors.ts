import { type ErrorCategory, isMaasError } from "../errors.js";

/** The one category -> status table. Internal errors, and anything that is not a MaasError, are a 500. */
const STATUS_BY_CATEGORY: Readonly<Record<ErrorCategory, number>> = {
  input: 400,
  unauthorized: 401,
  "not-found": 404,
  "too-large": 413,
  unsupported: 415,
  conflict: 409,
  unavailable: 503,
  // nginx's "client closed request": only ever logged, as nobody is left to receive it.
  cancelled: 499,
  internal: 500,
};

export interface HttpError {
  status: number;
  body: { error: { code: string; message: string } };
}

const INTERNAL: HttpError = {
  status: 500,
  body: { error: { code: "internal_error", message: "Internal server error" } },
};

/** The only place where errors become HTTP statuses; messages of unexposed errors never leave. */
export function toHttpError(error: unknown): HttpError {
  if (!isMaasError(error) || !error.expose) return INTERNAL;
  const status = STATUS_BY_CATEGORY[error.category];
  if (status >= 500 && status !== 503) return INTERNAL;
  return { status, body: { error: { code: error.code, message: error.message } } };
}
