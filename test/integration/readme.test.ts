import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { startTwin, type Twin } from "@marquee/core/twin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkResponse } from "../support/conformance.js";
import { hasShared, repoRoot } from "../support/shared.js";

interface Example {
  line: number;
  marker: string;
  code: string;
}

/** Every ```sh block of the README with the `<!-- example: … -->` marker just above it. */
function readmeExamples(): Example[] {
  const lines = readFileSync(path.join(repoRoot, "README.md"), "utf8").split("\n");
  const examples: Example[] = [];
  lines.forEach((text, index) => {
    if (text.trim() !== "```sh") return;
    const end = lines.findIndex((candidate, at) => at > index && candidate.trim() === "```");
    examples.push({
      line: index + 1,
      marker: /^<!-- example: (.*) -->$/.exec(lines[index - 1]?.trim() ?? "")?.[1] ?? "",
      code: lines.slice(index + 1, end).join("\n"),
    });
  });
  return examples;
}

describe("README", () => {
  it("says of every shell example whether the README test runs it, and why not", () => {
    for (const example of readmeExamples()) {
      expect(example.marker, `README.md:${example.line}`).toMatch(/^(run|not run .+)$/);
    }
  });
});

describe.skipIf(!hasShared)("README examples, run against the twin", () => {
  let twin: Twin;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "marquee-readme-"));
    twin = await startTwin({
      root: repoRoot,
      dataDir,
      retryDelayMs: 50,
      log: () => undefined,
      onResponse: checkResponse,
    });
  });
  afterAll(() => twin?.close());

  it("all run in one shell, in order, without an error answer", async () => {
    const port = (url: string) => new URL(url).port;
    const examples = readmeExamples().filter((example) => example.marker === "run");
    expect(examples.length).toBeGreaterThanOrEqual(6);
    // The README's fixed local ports and key file, mapped to this test's twin.
    const script = examples
      .map(
        (example, index) => `echo; echo "@@example ${index} (README.md:${example.line})@@"\n${example.code}`,
      )
      .join("\n")
      .replaceAll("127.0.0.1:3000", `127.0.0.1:${port(twin.apiUrl)}`)
      .replaceAll("127.0.0.1:4569", `127.0.0.1:${port(twin.s3Endpoint)}`)
      .replaceAll("127.0.0.1:3001", `127.0.0.1:${port(twin.streamUrls.GenerateStream as string)}`)
      .replaceAll(".marquee/dev-api-key", path.join(dataDir, "dev-api-key"));
    const { stdout } = await promisify(execFile)("bash", ["-euc", script], {
      cwd: repoRoot,
      maxBuffer: 64 * 1024 * 1024,
      timeout: 240_000,
      env: { ...process.env, AWS_PAGER: "" },
    });
    const outputs = stdout.split(/@@example \d+ \(README\.md:\d+\)@@/).slice(1);
    expect(outputs).toHaveLength(examples.length);
    outputs.forEach((output, index) => {
      expect(output, `README.md:${examples[index]?.line}`).not.toMatch(/"error":\{/);
    });
    const all = outputs.join("\n");
    expect(all).toContain('"dominant":"happy"');
    expect(all).toContain('"status":"completed');
    expect(all).toContain('"label":"negative"');
    expect(all).toContain(" named Jack. Jack loved to play with his toys and run around the park.");
    expect(all).toContain("event: done");
  }, 300_000);
});
