import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startTwin, type Twin } from "@marquee/core/twin";
import { checkResponse } from "./conformance.js";
import { repoRoot } from "./shared.js";

/** A twin on random loopback ports with its own S3 folder, as the integration tests use it. */
export function startTestTwin(): Promise<Twin> {
  return startTwin({
    root: repoRoot,
    dataDir: mkdtempSync(path.join(tmpdir(), "marquee-twin-")),
    retryDelayMs: 50,
    log: () => undefined,
    onResponse: checkResponse,
  });
}

export function authed(twin: Twin, headers: Record<string, string> = {}): Record<string, string> {
  return { "x-api-key": twin.apiKey, ...headers };
}
