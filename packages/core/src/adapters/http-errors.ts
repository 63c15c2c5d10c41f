import {
  InvalidImageError,
  InvalidInputError,
  isMaasError,
  type MaasError,
  ModelNotFoundError,
  ModelNotInstalledError,
  NotFoundError,
  PayloadTooLargeError,
  UnauthorizedError,
  UnknownTaskError,
  UnsupportedMediaError,
} from "../errors.js";

const STATUS_BY_ERROR: ReadonlyArray<[new (...args: never[]) => MaasError, number]> = [
  [InvalidInputError, 400],
  [InvalidImageError, 400],
  [UnauthorizedError, 401],
  [NotFoundError, 404],
  [ModelNotFoundError, 404],
  [UnknownTaskError, 404],
  [PayloadTooLargeError, 413],
  [UnsupportedMediaError, 415],
  [ModelNotInstalledError, 503],
];

export interface HttpError {
  status: number;
  body: { error: { code: string; message: string } };
}

/** The only place where errors become HTTP statuses. Anything not named here is a generic 500. */
export function toHttpError(error: unknown): HttpError {
  if (isMaasError(error) && error.expose) {
    const match = STATUS_BY_ERROR.find(([type]) => error instanceof type);
    if (match) return { status: match[1], body: { error: { code: error.code, message: error.message } } };
  }
  return { status: 500, body: { error: { code: "internal_error", message: "Internal server error" } } };
}
