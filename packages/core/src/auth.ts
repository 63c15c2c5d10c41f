import { createHash, randomBytes } from "node:crypto";
import { UnauthorizedError } from "./errors.js";

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

export function generateApiKey(): string {
  return `mq_${randomBytes(24).toString("base64url")}`;
}

/** Reads `x-api-key` or `Authorization: Bearer <key>` and checks its hash against the configured ones. */
export function verifyApiKey(presented: string | undefined, hashes: ReadonlySet<string>): void {
  const key = presented?.replace(/^Bearer\s+/i, "").trim();
  if (!key) throw new UnauthorizedError("An API key is required: send it in the x-api-key header");
  if (!hashes.has(hashApiKey(key))) throw new UnauthorizedError("The API key is not valid");
}
