/**
 * Named errors. Core code throws these; only the edge maps them to HTTP statuses, by category
 * (adapters/http-errors.ts). `expose` says whether the message may be shown to a caller.
 */
export type ErrorCategory =
  | "input"
  | "unauthorized"
  | "not-found"
  | "too-large"
  | "unsupported"
  | "unavailable"
  | "conflict"
  | "cancelled"
  | "internal";

export abstract class MaasError extends Error {
  abstract readonly code: string;
  abstract readonly category: ErrorCategory;
  readonly expose: boolean = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class InvalidInputError extends MaasError {
  readonly code = "invalid_input";
  readonly category = "input";
}

export class InvalidImageError extends MaasError {
  readonly code = "invalid_image";
  readonly category = "input";
}

export class UnsupportedMediaError extends MaasError {
  readonly code = "unsupported_media";
  readonly category = "unsupported";
}

export class PayloadTooLargeError extends MaasError {
  readonly code = "payload_too_large";
  readonly category = "too-large";
}

export class UnauthorizedError extends MaasError {
  readonly code = "unauthorized";
  readonly category = "unauthorized";
}

export class NotFoundError extends MaasError {
  readonly code = "not_found";
  readonly category = "not-found";
}

/** A write lost a race (two promotions of one alias at once): the caller may read again and retry. */
export class ConflictError extends MaasError {
  readonly code = "conflict";
  readonly category = "conflict";
}

export class ModelNotFoundError extends MaasError {
  readonly code = "model_not_found";
  readonly category = "not-found";
}

export class UnknownTaskError extends MaasError {
  readonly code = "unknown_task";
  readonly category = "not-found";
}

/** The model is in the catalog but not in any store: an operator must run the pull step. */
export class ModelNotInstalledError extends MaasError {
  readonly code = "model_not_installed";
  readonly category = "unavailable";
}

export class IntegrityError extends MaasError {
  readonly code = "integrity_error";
  readonly category = "internal";
  override readonly expose = false;
}

export class ConfigError extends MaasError {
  readonly code = "config_error";
  readonly category = "internal";
  override readonly expose = false;
}

/** A batch invocation ran out of its time budget; the message is retried and resumes where it stopped. */
export class DeadlineError extends MaasError {
  readonly code = "deadline";
  readonly category = "internal";
  override readonly expose = false;
}

/** Someone else holds the work (an upload another delivery is processing): retry later. */
export class BusyError extends MaasError {
  readonly code = "busy";
  readonly category = "unavailable";
}

/** The caller went away (a closed stream): the work stops; there is no one to answer. */
export class RequestAbortedError extends MaasError {
  readonly code = "client_closed";
  readonly category = "cancelled";
}

export class InternalError extends MaasError {
  readonly code = "internal_error";
  readonly category = "internal";
  override readonly expose = false;
}

export function isMaasError(error: unknown): error is MaasError {
  return error instanceof MaasError;
}

const ITEM_CATEGORIES: ReadonlySet<ErrorCategory> = new Set(["input", "too-large", "unsupported"]);

/** Errors caused by the item itself: in a batch they become the item's error record, not a retry. */
export function isInputError(error: unknown): boolean {
  return isMaasError(error) && ITEM_CATEGORIES.has(error.category);
}

/** A short, safe description of any error for records that users read (batch error records). */
export function publicError(error: unknown): { code: string; message: string } {
  if (isMaasError(error) && error.expose) return { code: error.code, message: error.message };
  return { code: "internal_error", message: "Internal error" };
}
