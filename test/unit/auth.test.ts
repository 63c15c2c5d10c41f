import { generateApiKey, hashApiKey, UnauthorizedError, verifyApiKey } from "@marquee/core";
import { describe, expect, it } from "vitest";

describe("API keys", () => {
  const key = generateApiKey();
  const hashes = new Set([hashApiKey(key)]);

  it("generates distinct, prefixed keys and stores only their sha256", () => {
    expect(key).toMatch(/^mq_[\w-]{32}$/);
    expect(generateApiKey()).not.toBe(key);
    expect(hashApiKey(key)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("accepts the key as x-api-key or a bearer token", () => {
    expect(() => verifyApiKey(key, hashes)).not.toThrow();
    expect(() => verifyApiKey(`Bearer ${key}`, hashes)).not.toThrow();
  });

  it("rejects a missing or wrong key", () => {
    expect(() => verifyApiKey(undefined, hashes)).toThrow(UnauthorizedError);
    expect(() => verifyApiKey("", hashes)).toThrow("required");
    expect(() => verifyApiKey("mq_wrong", hashes)).toThrow("not valid");
    expect(() => verifyApiKey(hashApiKey(key), hashes)).toThrow(UnauthorizedError);
  });
});
