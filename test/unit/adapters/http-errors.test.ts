import {
  IntegrityError,
  InvalidImageError,
  InvalidInputError,
  ModelNotFoundError,
  ModelNotInstalledError,
  NotFoundError,
  PayloadTooLargeError,
  toHttpError,
  UnauthorizedError,
  UnknownTaskError,
  UnsupportedMediaError,
} from "@marquee/core";
import { describe, expect, it } from "vitest";

describe("toHttpError", () => {
  it.each([
    [new InvalidInputError("x"), 400, "invalid_input"],
    [new InvalidImageError("x"), 400, "invalid_image"],
    [new UnauthorizedError("x"), 401, "unauthorized"],
    [new NotFoundError("x"), 404, "not_found"],
    [new ModelNotFoundError("x"), 404, "model_not_found"],
    [new UnknownTaskError("x"), 404, "unknown_task"],
    [new PayloadTooLargeError("x"), 413, "payload_too_large"],
    [new UnsupportedMediaError("x"), 415, "unsupported_media"],
    [new ModelNotInstalledError("x"), 503, "model_not_installed"],
  ])("maps %s to %i", (error, status, code) => {
    expect(toHttpError(error)).toEqual({ status, body: { error: { code, message: "x" } } });
  });

  it("hides internal errors and their messages behind a generic 500", () => {
    for (const error of [
      new Error("db password is hunter2"),
      new IntegrityError("sha mismatch at /tmp/x"),
      "boom",
    ]) {
      const { status, body } = toHttpError(error);
      expect(status).toBe(500);
      expect(body).toEqual({ error: { code: "internal_error", message: "Internal server error" } });
    }
  });

  it("keeps the cause on named errors", () => {
    const cause = new Error("inner");
    expect(new InvalidImageError("outer", { cause }).cause).toBe(cause);
  });
});
