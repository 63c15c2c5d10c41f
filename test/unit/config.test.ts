import { ConfigError, readConfig } from "@marquee/core";
import { describe, expect, it } from "vitest";

describe("readConfig", () => {
  it("derives threads from Lambda memory: one per 1,769 MB", () => {
    expect(readConfig({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "1769" }).threads).toBe(1);
    expect(readConfig({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "3538" }).threads).toBe(2);
    expect(readConfig({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "512" }).threads).toBe(1);
    expect(readConfig({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "3538", MAAS_THREADS: "1" }).threads).toBe(1);
  });

  it("fails loudly on bad values", () => {
    expect(() => readConfig({ MAAS_THREADS: "two" })).toThrow(ConfigError);
    expect(() => readConfig({ MAAS_API_KEY_HASHES: "plaintext-key" })).toThrow("sha256");
    expect(() => readConfig({ MAAS_LOG_LEVEL: "loud" })).toThrow("MAAS_LOG_LEVEL");
  });

  it("is frozen", () => {
    const config = readConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(config.maxSyncImageBytes).toBeLessThan(6 * 1024 * 1024);
  });
});
