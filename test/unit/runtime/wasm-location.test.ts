import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ORT_WASM_FILES, resolveWasmDir } from "../../../packages/core/src/runtime/wasm-location.js";

describe("resolveWasmDir", () => {
  it("prefers the Lambda bundle root when the pair was copied there", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ort-"));
    for (const file of ORT_WASM_FILES) writeFileSync(path.join(dir, file), "");
    expect(resolveWasmDir({ LAMBDA_TASK_ROOT: dir })).toBe(dir);
  });

  it("falls back to the installed package", () => {
    expect(resolveWasmDir({})).toMatch(/onnxruntime-web[/\\]dist$/);
  });
});
