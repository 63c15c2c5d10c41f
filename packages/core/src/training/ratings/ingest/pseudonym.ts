/**
 * User ids become pseudonyms at ingestion: HMAC-SHA256 under a key from configuration, the first 128 bits
 * in hex. The same key maps the same uploaded id to the same pseudonym (so serving can find a user that a
 * request names), and without the key a pseudonym cannot be linked back by trying candidate ids.
 * The key is never logged or stored with a dataset or model.
 */
import { createHmac } from "node:crypto";
import { ConfigError } from "../../../errors.js";

export const MIN_KEY_BYTES = 16;
export type PseudonymKey = Uint8Array | string;

export function checkKey(key: PseudonymKey): void {
  const bytes = typeof key === "string" ? Buffer.byteLength(key, "utf8") : key.byteLength;
  if (bytes < MIN_KEY_BYTES) {
    throw new ConfigError(`the pseudonymisation key must be at least ${MIN_KEY_BYTES} bytes`);
  }
}

export function pseudonymise(userId: string, key: PseudonymKey): string {
  return createHmac("sha256", key).update(userId, "utf8").digest("hex").slice(0, 32);
}

/** Pseudonymises many ids, each distinct id once. */
export function pseudonymiser(key: PseudonymKey): (userId: string) => string {
  checkKey(key);
  const cache = new Map<string, string>();
  return (userId) => {
    let pseudonym = cache.get(userId);
    if (pseudonym === undefined) {
      pseudonym = pseudonymise(userId, key);
      cache.set(userId, pseudonym);
    }
    return pseudonym;
  };
}
